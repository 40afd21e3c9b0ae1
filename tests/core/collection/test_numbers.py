"""The number rule shared by xlsx, csv, JSON and web entry (docs/collection.md)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lanbai.core.collection.numbers import parse_number, parse_number_column

ACCEPTED = [
    ("1234.5", None, 1234.5),
    ("1,234.5", None, 1234.5),
    ("1,234,567", None, 1234567.0),
    ("-1,234.5", None, -1234.5),
    ("１２３４．５", None, 1234.5),  # full-width digits and full stop
    ("１，２３４", None, 1234.0),  # full-width comma
    ("  12  ", None, 12.0),
    ("\u300012\u3000", None, 12.0),  # ideographic spaces
    ("0", None, 0.0),
    ("12%", "%", 12.0),  # in a % field, 12% means 12
    ("12 %", "%", 12.0),
    ("１２％", "%", 12.0),
    (12.5, None, 12.5),
    (7, None, 7.0),
]

REFUSED = [
    ("12%", "万元", "number.percent"),
    ("12万元", "万元", "number.unit_suffix"),
    ("12 人", "人", "number.unit_suffix"),
    ("约12", "万元", "number.approximate"),
    ("12左右", "万元", "number.approximate"),
    ("~12", "万元", "number.approximate"),
    ("-", "万元", "number.placeholder"),
    ("—", "万元", "number.placeholder"),
    ("/", "万元", "number.placeholder"),
    ("无", "万元", "number.placeholder"),
    ("N/A", "万元", "number.placeholder"),
    ("12,34", "万元", "number.thousands"),
    ("1,2345", "万元", "number.thousands"),
    ("1e5", "万元", "number.invalid"),
    ("abc", "万元", "number.invalid"),
    (".5", "万元", "number.invalid"),
    ("12.", "万元", "number.invalid"),
    ("1 234", "万元", "number.invalid"),
    (True, "万元", "number.invalid"),
    (float("nan"), "万元", "number.invalid"),
    (dt.date(2018, 1, 1), "万元", "number.invalid"),
]


@pytest.mark.parametrize(("raw", "unit", "value"), ACCEPTED)
def test_accepted(raw, unit, value):
    assert parse_number(raw, unit=unit) == (value, None, "")


@pytest.mark.parametrize(("raw", "unit", "rule"), REFUSED)
def test_refused_with_its_own_rule(raw, unit, rule):
    value, got, _ = parse_number(raw, unit=unit)
    assert value is None and got == rule


def test_unit_suffix_message_names_the_expected_unit():
    _, _, detail = parse_number("12万元", unit="亿元")
    assert "万元" in detail and "亿元" in detail and "不会自动换算" in detail


@pytest.mark.parametrize("raw", ["", "   ", None, "\u3000"])
def test_empty_is_missing_never_zero(raw):
    assert parse_number(raw, unit="万元") == (None, None, "")


def test_column_parser_matches_scalar_rule():
    raws = [1.5, "1,234.5", "", "12万元", "约3", None, "-", 0.0, "１２", 7, dt.date(2018, 1, 1), True]
    arr, errors = parse_number_column(raws, unit="万元")
    for i, raw in enumerate(raws):
        value, rule, _ = parse_number(raw, unit="万元")
        if value is None:
            assert np.isnan(arr[i])
        else:
            assert arr[i] == value
        assert (rule is not None) == any(e[0] == i for e in errors)
    assert [e[1] for e in errors] == [
        "number.unit_suffix",
        "number.approximate",
        "number.placeholder",
        "number.invalid",
        "number.invalid",
    ]


def test_column_fast_path_all_numeric_cells():
    arr, errors = parse_number_column([1.0, 2.5, -3.0], unit="万元")
    assert arr.tolist() == [1.0, 2.5, -3.0] and errors == []


FULL_WIDTH = str.maketrans("0123456789,.-", "０１２３４５６７８９，．－")


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_grouped_and_full_width_numbers_round_trip(value):
    text = f"{value:,.2f}"
    assert parse_number(text, unit="万元") == (float(value), None, "")
    assert parse_number(text.translate(FULL_WIDTH), unit="万元") == (float(value), None, "")
    assert parse_number(f"  {value:.2f}\u3000", unit="万元") == (float(value), None, "")


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["万元", "亿元", "人", "元", "个", "吨"]))
def test_a_trailing_unit_is_never_scaled(number, suffix):
    value, rule, detail = parse_number(f"{number}{suffix}", unit="万元")
    assert value is None and rule == "number.unit_suffix" and suffix in detail
