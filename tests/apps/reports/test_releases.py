"""Releases from approved figures: numbering, metadata, PDF (embedded CJK font), XLSX, corrections."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from publication_helpers import zone_values

from lanbai.monitoring.selectors import monitoring_table
from lanbai.reports import services
from lanbai.reports.models import Release

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def grp(period, unit="lanbai"):
    return next(
        r for r in monitoring_table(period=period, unit=unit) if r.org_unit == unit and r.indicator == "grp"
    )


@pytest.mark.django_db
def test_bulletin_is_numbered_dated_and_states_cutoff_and_approvals(two_years):
    first = services.release_create(kind="bulletin", period="2018Q2", publish=True, confirm_incomplete=True)
    second = services.release_create(kind="bulletin", period="2018Q4")
    assert first.number == "兰白监测〔2018〕第1号" and second.number == "兰白监测〔2018〕第2号"
    assert first.title == "兰白试验区2018年1-6月季度监测数据"
    assert (first.approved_count, first.pending_count) == (2, 0)
    assert first.issued_at is not None and second.issued_at is None and second.status == "draft"
    assert "数据截止时间" in first.html and "已审核报表 2 份，待审核 0 份" in first.html
    assert "草稿（未发布）" in second.html and "草稿（未发布）" not in first.html
    units = {r["org_unit"] for r in first.content["rows"]}
    assert {"lanbai", "lzxq", "bygx"} <= units and "lzxq_a" not in units  # no park is ever published


@pytest.mark.django_db
def test_pending_reports_are_counted_but_never_used(two_years):
    with pytest.raises(services.ReleaseError, match="没有已审核的数据"):
        services.release_create(kind="bulletin", period="2019Q2")
    assert services.approval_status(["2019Q2"])[:2] == (0, 1)


@pytest.mark.django_db
@needs_poppler
def test_pdf_embeds_the_cjk_font_holds_the_figures_and_renders(two_years, tmp_path):
    rel = services.release_create(kind="bulletin", period="2018Q4", publish=True, confirm_incomplete=True)
    pdf = tmp_path / "b.pdf"
    pdf.write_bytes(bytes(rel.pdf))
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes yes " in line for line in cjk), fonts  # embedded (subset)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    value = grp("2018Q4").value  # 1.1 × (180 + 50) = 253 亿元
    assert value == pytest.approx(253.0)
    assert "兰白监测〔2018〕第1号" in text and "253" in text and "兰州新区" in text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True
    )
    png = next(tmp_path.glob("p*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 1000


@pytest.mark.django_db
def test_xlsx_has_cover_and_data_and_neutralises_formulas(two_years):
    rel = services.release_create(kind="bulletin", period="2018Q4")
    wb = load_workbook(io.BytesIO(bytes(rel.xlsx)))
    cover = {r[0]: r[1] for r in wb["说明"].iter_rows(values_only=True)}
    assert cover["文号"] == rel.number and cover["已审核报表"] == 2
    data = list(wb["数据"].iter_rows(values_only=True))
    assert data[0][:3] == ("报告期", "单位代码", "单位") and len(data) == len(rel.content["rows"]) + 1
    evil = dict(
        rel.content, rows=[dict(rel.content["rows"][0], indicator_name='=HYPERLINK("x")', rule="-1+1")]
    )
    wb = load_workbook(io.BytesIO(services.render_xlsx({"number": "N", "title": "T"}, evil)))
    header, row = list(wb["数据"].iter_rows(max_row=2, values_only=True))
    cells = dict(zip(header, row, strict=True))
    assert cells["指标"] == '\'=HYPERLINK("x")' and cells["判定规则"] == "'-1+1"


@pytest.mark.django_db
def test_inspection_is_half_yearly_and_lists_lagging_with_diagnosis(two_years):
    with pytest.raises(services.ReleaseError, match="第二或第四季度"):
        services.release_create(kind="inspection", period="2018Q3")
    rel = services.release_create(kind="inspection", period="2018Q4")
    assert rel.number == "兰白检查〔2018〕第1号" and rel.title == "兰白试验区2018年全年检查通报"
    lagging = rel.content["lagging"]
    assert lagging and all(r["status"] in ("预警", "严重滞后") for r in lagging)
    assert {d["indicator"] for d in rel.content["diagnoses"]} == {r["indicator"] for r in lagging}
    assert "滞后情况" in rel.html and "原因诊断" in rel.html and lagging[0]["org_unit_name"] in rel.html


@pytest.mark.django_db
def test_annual_report_covers_the_year_and_has_the_index_section(two_years):
    rel = services.release_create(kind="annual", period="2018")
    assert rel.number == "兰白评估〔2018〕第1号" and rel.content["monitor_period"] == "2018Q4"
    assert "发展指数" in rel.html
    with pytest.raises(services.ReleaseError, match="period"):
        services.release_create(kind="annual", period="18")


@pytest.mark.django_db
def test_correction_is_a_new_release_with_the_differences_and_the_old_stays(report, client):
    report("lzxq", "2018Q4", zone_values(2_000_000))
    old = services.release_create(kind="bulletin", period="2018Q4", publish=True, confirm_incomplete=True)
    with pytest.raises(services.ReleaseError, match="note"):
        services.release_correct(old, note=" ")
    report("bygx", "2018Q4", zone_values(500_000))  # a late approval changes the pilot zone's total
    new = services.release_correct(old, note="补充白银高新区数据", confirm_incomplete=True)
    old.refresh_from_db()
    assert new.supersedes == old and not old.is_current and new.is_current
    assert (
        new.number == "兰白监测〔2018〕第2号" and new.title.endswith("（更正）") and new.status == "published"
    )
    change = next(d for d in new.diff if d["org_unit"] == "lanbai" and d["indicator"] == "grp")
    assert (change["change"], change["old_value"], change["new_value"]) == ("changed", 200.0, 250.0)
    bygx = next(d for d in new.diff if d["org_unit"] == "bygx" and d["indicator"] == "grp")
    assert bygx["old_value"] is None and bygx["new_value"] == pytest.approx(50.0)
    assert "更正内容" in new.html and "补充白银高新区数据" in new.html
    assert client.get(f"/reports/{old.pk}/file.pdf").status_code == 200  # the old release stays downloadable
    page = client.get(f"/reports/{new.pk}/").content.decode()
    assert "更正内容" in page and old.number in page
    with pytest.raises(services.ReleaseError, match="已被更正"):
        services.release_correct(old, note="again")
    assert Release.objects.count() == 2


def test_content_diff_policy():
    row = {
        "period": "2018Q4",
        "org_unit": "u",
        "org_unit_name": "U",
        "indicator": "i",
        "indicator_name": "I",
        "value": 1.0,
        "status": "正常",
    }
    assert services.content_diff({"rows": [row]}, {"rows": [row]}) == []
    d = services.content_diff({"rows": [row]}, {"rows": [dict(row, status="预警")]})
    assert d[0]["change"] == "changed" and (d[0]["old_status"], d[0]["new_status"]) == ("正常", "预警")
    assert services.content_diff({"rows": [row]}, {"rows": []})[0]["change"] == "removed"
