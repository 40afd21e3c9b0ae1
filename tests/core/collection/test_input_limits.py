"""Numbers too large to be figures are refused with their own rule, never stored as infinity (issue 13)."""

from __future__ import annotations

import numpy as np
import pytest

from lanbai.core.collection.numbers import MAX_MAGNITUDE, parse_number, parse_numbers


@pytest.mark.parametrize(
    "raw",
    [
        "9" * 400,  # a 400-digit text: float() would give inf
        "1" + "0" * 15,  # exactly 10^15
        "-1,000,000,000,000,000",
        "12345678901.1234567890",  # 21 digits
        10**400,  # a JSON integer of 400 digits: float() would raise OverflowError
        1e300,
        -float(MAX_MAGNITUDE),
    ],
)
def test_too_large_is_refused(raw):
    value, rule, _ = parse_number(raw)
    assert (value, rule) == (None, "number.too_large")


@pytest.mark.parametrize("raw", ["999999999999999", "-123,456,789,012.5", 123456789012345, 9.99e14, "0.5"])
def test_large_but_plausible_is_kept(raw):
    value, rule, _ = parse_number(raw)
    assert rule is None and value == pytest.approx(float(str(raw).replace(",", "")))


def test_columns_refuse_huge_floats_and_keep_the_rest():
    out, errors, all_float = parse_numbers([1.5, 1e300, float("inf"), 2.0])
    assert all_float and errors == [(1, "number.too_large", ""), (2, "number.invalid", "")]
    assert out[0] == 1.5 and np.isnan(out[1]) and np.isnan(out[2]) and out[3] == 2.0
    out, errors, _ = parse_numbers([1.5, "9" * 30, None, 10**20])
    assert [(i, r) for i, r, _ in errors] == [(1, "number.too_large"), (3, "number.too_large")]
    assert out[0] == 1.5 and np.isnan(out[1]) and np.isnan(out[3])


def test_the_rule_has_a_message_in_both_languages():
    from lanbai.core.collection.problems import RULES

    zh, en = RULES["number.too_large"]
    assert "10^15" in zh and "10^15" in en


@pytest.mark.parametrize("text", ["0000Q1", "9999Q4", "1900Q2", "3000Q1"])
def test_periods_outside_any_calendar_sense_are_refused_with_a_message(text):
    from lanbai.core.periods import Quarter

    with pytest.raises(ValueError, match="年份应在 1949–2999"):
        Quarter.parse(text)


def test_periods_in_range_parse():
    from lanbai.core.periods import Quarter

    assert str(Quarter.parse("2018Q2")) == "2018Q2" and Quarter.parse("2999Q4").end.year == 2999
