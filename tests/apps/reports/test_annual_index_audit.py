"""The annual report's development index with its statistical audit (issue 17 item 3)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
import pytest

from lanbai.reports import services

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "indices"))
from index_helpers import zone_values  # noqa: E402

GDP = 1_000_000.0


@pytest.fixture
def three_zones(report):
    for year, g in ((2015, 1.0), (2016, 1.4), (2017, 1.9)):
        report("lzgx", f"{year}Q4", zone_values(GDP * (1 + 0.1 * (year - 2015)), g))
        report("bygx", f"{year}Q4", zone_values(GDP / 2 * (1 + 0.05 * (year - 2015)), g**0.5, level=0.8))
        report("lzjj", f"{year}Q4", zone_values(GDP * 0.7 * (1 + 0.2 * (year - 2015)), g**0.8, level=0.9))


@pytest.mark.django_db
def test_annual_report_carries_the_index_audit(three_zones):
    from openpyxl import load_workbook

    rel = services.release_create(kind="annual", period="2017")
    sec = rel.content["index"]
    assert sec.get("rows"), sec.get("error")
    assert [r["园区 / zone"] for r in sec["rows"]] == ["兰州高新区", "兰州经济区", "白银高新区"]
    assert all(r["水平指数（0–100）/ level index"] is not None for r in sec["rows"])
    a = sec["audit"]
    assert a["years"] == "2015–2017" and a["observations"] == 9 and a["runs"] > 0 and sec["seed"] == 0
    pillars = {p["node"]: p for p in a["pillars"]}
    assert pillars["innovation_input"]["children"] == 4 and pillars["green"]["cronbach_alpha"] is None
    assert pillars["innovation_input"]["effective_weight"] == pytest.approx(0.25)
    imp = {m["indicator"]: m for m in a["importance"]}
    assert sum(m["importance_share"] for m in imp.values()) == pytest.approx(1.0)
    assert imp["rd_intensity"]["nominal_weight"] == pytest.approx(0.0625)
    assert {c["indicator"] for c in a["correlations"]} == set(imp)
    assert all(np.isfinite(c["r_index"]) for c in a["correlations"])
    assert {f["factor"] for f in a["sensitivity"]} >= {"aggregate", "impute"}
    paras = a["paragraphs"]
    assert [p["unit"] for p in paras] == ["lzgx", "lzjj", "bygx"]  # by rank
    assert all("增长指数" in p["text_zh"] and "基期" in p["text_zh"] for p in paras)
    html = rel.html
    assert "统计审计" in html and "Cronbach" in html and "各园区得分的主要来源" in html
    assert paras[0]["text_zh"] in html and "水平指数" in html
    wb = load_workbook(
        io.BytesIO(services.render_xlsx({"number": rel.number, "title": rel.title}, rel.content))
    )
    assert {"发展指数", "指数审计"} <= set(wb.sheetnames)
    cells = [c for row in wb["指数审计"].iter_rows(values_only=True) for c in row if c is not None]
    assert "Cronbach's α" in cells and paras[-1]["text_zh"] in cells
