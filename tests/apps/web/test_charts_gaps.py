"""Honest charts (issue 14): a missing report is a gap marked 缺报, never a dip, never blanks a neighbour."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from lanbai.web.charts import Series, line_chart

NS = "{http://www.w3.org/2000/svg}"


def _chart(values, **kw):
    return ET.fromstring(
        line_chart(list("abcdefg")[: len(values)], [Series("实际值", values, **kw)], title="t", desc="d", y_label="y")
    )


def test_a_missing_report_is_marked_not_drawn_as_a_decline():
    root = _chart([10.0, 11.0, None, 12.0, 13.0])
    gaps = root.findall(f".//{NS}g[@class='gap']")
    assert len(gaps) == 1
    assert gaps[0].find(f"{NS}text").text == "缺报" and "c: 缺报" in gaps[0].find(f"{NS}title").text
    assert len(root.findall(f".//{NS}circle")) == 4
    ticks = [t.text for t in root.iter(f"{NS}text") if t.get("text-anchor") == "end"]
    assert "0" not in ticks  # the scale is not stretched down to a zero for the missing report
    for poly in root.iter(f"{NS}polyline"):  # no line crosses the gap
        assert len(poly.get("points").split()) == 2


def test_a_quarter_between_two_gaps_stays_visible_without_markers():
    root = _chart([None, 5.0, None, 6.0, 7.0], markers=False)
    circles = root.findall(f".//{NS}circle")
    assert len(circles) == 1 and "b: 5" in circles[0].find(f"{NS}title").text  # the isolated value
    assert len(root.findall(f".//{NS}g[@class='gap']")) == 2
    assert len(root.findall(f".//{NS}polyline")) == 1  # d–e still drawn


def test_target_paths_and_empty_charts_get_no_gap_marks():
    assert not _chart([None, 1.0, None], dashed=True).findall(f".//{NS}g[@class='gap']")
    assert not _chart([None, None]).findall(f".//{NS}g[@class='gap']")
    assert not _chart([None, 1.0], gap_label=None).findall(f".//{NS}g[@class='gap']")
