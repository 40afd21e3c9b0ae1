"""``lanbai report bulletin|inspection|annual`` writes the files and records a numbered release."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from lanbai.cli.main import app
from lanbai.reports.models import Release


@pytest.mark.django_db(transaction=True)
def test_bulletin_command_writes_pdf_html_xlsx(two_years, tmp_path):
    runner = CliRunner()
    pdf, html, xlsx = tmp_path / "b.pdf", tmp_path / "b.html", tmp_path / "b.xlsx"
    result = runner.invoke(
        app,
        [
            "report",
            "bulletin",
            "--period",
            "2018Q2",
            "--pdf",
            str(pdf),
            "--html",
            str(html),
            "--xlsx",
            str(xlsx),
            "--publish",
            "--confirm-incomplete",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "兰白监测〔2018〕第1号" in result.output
    assert pdf.read_bytes()[:5] == b"%PDF-" and "兰白监测〔2018〕第1号" in html.read_text(encoding="utf-8")
    assert load_workbook(xlsx)["说明"]["B1"].value == "兰白监测〔2018〕第1号"
    assert Release.objects.get().status == "published"
    listed = runner.invoke(app, ["report", "list"])
    assert listed.exit_code == 0 and f"{Release.objects.get().issued_at:%Y-%m-%d}" in listed.output


@pytest.mark.django_db(transaction=True)
def test_bad_period_is_an_error_naming_the_rule(two_years):
    result = CliRunner().invoke(app, ["report", "inspection", "--period", "2018Q1"])
    assert result.exit_code == 1 and "第二或第四季度" in result.output


def test_period_is_parsed_once_at_the_edge_with_a_clear_error():
    result = CliRunner().invoke(app, ["report", "bulletin", "--period", "2018Q5"])
    assert result.exit_code == 1 and "--period" in result.output and "2018Q2" in result.output


@pytest.mark.django_db(transaction=True)
def test_no_plan_is_a_message_not_a_traceback():
    result = CliRunner().invoke(app, ["report", "bulletin", "--period", "2018Q2"])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # typer.Exit, not an uncaught PlanNotLoaded
    assert "lanbai init" in result.output
    assert not Release.objects.exists()


@pytest.mark.django_db
def test_diagnoses_and_index_state_why_they_are_missing_without_a_plan():
    # both sections are optional parts of a release: an ApplicationError (PlanNotLoaded here) is stated
    from lanbai.reports import services

    [diagnosed] = services._diagnoses("2018Q2", [{"indicator": "grp", "status": "预警"}], "lanbai")
    assert diagnosed["indicator"] == "grp" and diagnosed["units"] == [] and "lanbai init" in diagnosed["error"]
    section = services._index_section(2018)
    assert section["rows"] == [] and section["error"]
