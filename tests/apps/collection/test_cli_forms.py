"""``lanbai forms list / template / import`` in process, against the test database."""

from __future__ import annotations

import pytest
from reporting_helpers import ZONE_FORM, zone_file
from typer.testing import CliRunner

from lanbai.cli.main import app
from lanbai.collection.models import Submission, Upload

runner = CliRunner()


@pytest.fixture(autouse=True)
def _open_periods(settings):
    settings.LANBAI_PERIOD_LOCK_DAYS = 100_000  # the 2018 test periods stay open


def test_list_shows_both_forms():
    res = runner.invoke(app, ["forms", "list"])
    assert res.exit_code == 0 and "兰白统Q1表" in res.output and "企业季报" in res.output


def test_template_by_chinese_unit_name(people, tmp_path):
    out = tmp_path / "t.xlsx"
    res = runner.invoke(
        app, ["forms", "template", ZONE_FORM, "--period", "2018Q2", "--unit", "兰州新区", "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    from lanbai.collection.intake.parsing import forms
    from lanbai.core.collection import read_workbook

    parsed = read_workbook(out.read_bytes(), filename="t.xlsx", forms=forms())
    assert (parsed.form_code, parsed.period, parsed.unit_code) == (ZONE_FORM, "2018Q2", "lzxq")


def test_import_exit_codes_and_error_report(people, tmp_path):
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(zone_file())
    bad.write_bytes(zone_file(period="2018Q3", gdp=-1))
    res = runner.invoke(app, ["forms", "import", str(good), "--user", "xq_fill"])
    assert res.exit_code == 0, res.output
    assert Submission.objects.count() == 1
    res = runner.invoke(app, ["forms", "import", str(good), str(bad), "--user", "xq_fill"])
    assert res.exit_code == 1
    assert "未作任何更改" in res.output and "value.below_min" in res.output and "bad.xlsx" in res.output
    res_en = runner.invoke(app, ["forms", "import", str(bad), "--user", "xq_fill", "--lang", "en"])
    assert res_en.exit_code == 1 and "below the minimum" in res_en.output


def test_import_dry_run_and_forbidden_user(people, tmp_path):
    good = tmp_path / "good.xlsx"
    good.write_bytes(zone_file())
    res = runner.invoke(app, ["forms", "import", str(good), "--user", "xq_fill", "--dry-run"])
    assert res.exit_code == 0 and Submission.objects.count() == 0
    res = runner.invoke(app, ["forms", "import", str(good), "--user", "by_fill"])
    assert res.exit_code == 1 and "无权" in res.output and Submission.objects.count() == 0
    assert list(Upload.objects.values_list("outcome", flat=True).order_by("id")) == ["validated", "refused"]
