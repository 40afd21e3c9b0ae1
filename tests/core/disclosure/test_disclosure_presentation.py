"""The marker × and its legend, kept as data for pages and downloads."""

from __future__ import annotations

import math

import pandas as pd

from lanbai.core.disclosure import CONFIDENTIAL, DisclosureRules, masked_frame, masked_values


def test_marker_and_legend_chinese_first():
    legend = CONFIDENTIAL.legend()
    assert legend["symbol"] == "×"
    assert legend["zh"] == "因涉及单个企业数据予以保密"
    assert legend["en"].startswith("Confidential")
    assert "少于3家企业" in legend["rule_zh"] and "超过85%" in legend["rule_zh"]
    assert "fewer than 3 enterprises" in legend["rule_en"]
    assert "单个企业占比超过85%" in legend["rule_zh"]
    assert "one enterprise contributes more than 85%" in legend["rule_en"]
    other = CONFIDENTIAL.legend(DisclosureRules(min_contributors=5, dominance_n=2, dominance_k=90.0))
    assert "少于5家企业" in other["rule_zh"] and "最大2家企业合计占比超过90%" in other["rule_zh"]


def test_masked_values_and_download_frame():
    table = pd.DataFrame({"zone": ["a", "b", "c"], "value": [1.5, 2.0, 3.5]})
    hidden = pd.Series([False, True, False])
    assert masked_values(table["value"], hidden).tolist() == [1.5, "×", 3.5]
    out = masked_frame(table, hidden)
    assert math.isnan(out.loc[1, "value"]) and out.loc[0, "value"] == 1.5
    assert out["obs_status"].tolist() == ["", "C", ""]
    assert table.loc[1, "value"] == 2.0  # the input is not changed
