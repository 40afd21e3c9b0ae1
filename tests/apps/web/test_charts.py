"""The SVG chart renderer: valid, accessible, gaps stay gaps, escaping, contrast."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lanbai.web.charts import PALETTE, TEXT, Series, contrast_ratio, line_chart, nice_ticks

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_chart_is_valid_svg_with_title_desc_and_axis_labels():
    svg = line_chart(
        ["2017Q4", "2018Q4"],
        [Series("实际值", [1.0, 2.0]), Series("目标路径", [1.5, 2.5], dashed=True)],
        title="地区生产总值",
        desc="兰州新区 2017–2018",
        y_label="亿元",
        chart_id="c1",
    )
    root = parse(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c1-t c1-d"
    assert root.find(f"{NS}title").text == "地区生产总值"
    assert root.find(f"{NS}desc").text == "兰州新区 2017–2018"
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "亿元" in texts and "报告期" in texts and "2017Q4" in texts and "目标路径" in texts
    assert len(root.findall(f".//{NS}polyline")) == 2
    assert any(p.get("stroke-dasharray") for p in root.iter(f"{NS}polyline"))


def test_missing_values_are_gaps_not_zero():
    svg = line_chart(
        list("abcde"), [Series("s", [1.0, 2.0, None, 4.0, 5.0])], title="t", desc="d", y_label="y"
    )
    root = parse(svg)
    polylines = root.findall(f".//{NS}polyline")
    assert len(polylines) == 2  # two segments around the gap
    assert len(root.findall(f".//{NS}circle")) == 4


def test_no_data_says_so():
    svg = line_chart(["2018Q4"], [Series("s", [None])], title="t", desc="d", y_label="y")
    assert "无数据" in svg
    parse(svg)


def test_text_is_escaped():
    svg = line_chart(["<a>"], [Series("x&y", [1.0])], title="<script>", desc='d"', y_label="y")
    assert "<script>" not in svg
    parse(svg)


def test_series_length_mismatch_names_the_series():
    with pytest.raises(ValueError, match="'s' has 1 values but x_labels has 2"):
        line_chart(["a", "b"], [Series("s", [1.0])], title="t", desc="d", y_label="y")


def test_palette_and_text_have_accessible_contrast():
    for colour in (*PALETTE, TEXT):
        assert contrast_ratio(colour) >= 4.5, colour
    assert contrast_ratio("#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#000000") == pytest.approx(21.0)


@given(st.floats(-1e9, 1e9), st.floats(-1e9, 1e9))
def test_nice_ticks_cover_the_range(a, b):
    ticks = nice_ticks(a, b)
    assert ticks[0] <= min(a, b) + 1e-6 * max(1, abs(a), abs(b))
    assert ticks[-1] >= max(a, b) - 1e-6 * max(1, abs(a), abs(b))
    assert ticks == sorted(ticks) and len(ticks) >= 2


@given(st.floats(-1e6, 1e6), st.floats(0, 1e-6))
def test_nearly_equal_values_still_span_a_range(a, eps):
    ticks = nice_ticks(a, a * (1 + eps))
    assert ticks[-1] > ticks[0]
    svg = line_chart(["x", "y"], [Series("s", [a, a * (1 + eps)])], title="t", desc="d", y_label="y")
    ET.fromstring(svg)


def test_equal_values_regression():
    assert nice_ticks(0.012, 0.01200000001)[-1] > nice_ticks(0.012, 0.01200000001)[0]
