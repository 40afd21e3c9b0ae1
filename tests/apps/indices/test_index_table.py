"""The annual report's development-index section reads index_table()."""

from __future__ import annotations

import pytest
from index_helpers import zone_values

from lanbai.indices.selectors import index_results, index_table


@pytest.mark.django_db
def test_index_table_rows_follow_index_results(report):
    report("lzgx", "2015Q4", zone_values(1_000_000.0, 1.0))
    report("lzgx", "2016Q4", zone_values(1_000_000.0, 2.0))
    report("bygx", "2015Q4", zone_values(500_000.0, 1.0, level=0.8))
    report("bygx", "2016Q4", zone_values(550_000.0, 1.0, level=0.8))
    year = 2016
    full = {r["unit_name"]: r for r in index_results(year, runs=50)["results"] if r["year"] == year}
    rows = index_table(year=year, runs=50)
    assert [r["园区 / zone"] for r in rows] == ["兰州高新区", "白银高新区"]
    assert rows[0]["排名区间（5%–95%）/ rank band"] == "1–1"
    assert [r["排名 / rank"] for r in rows] == sorted(r["排名 / rank"] for r in rows)
    for r in rows:
        ref = full[r["园区 / zone"]]
        assert r["增长指数（基期=100）/ growth index"] == pytest.approx(round(ref["index"], 1))
        assert r["排名 / rank"] == ref["rank"]
        assert r["水平排名 / level rank"] == ref["level_rank"] and r["基期 / base"] == ref["base"]
