"""Pure instrument-sharing core: conflicts, fees and annual figures, checked against hand sums."""

from datetime import datetime
from decimal import Decimal

import pytest

from lanbai.core.instruments import (
    OUTCOME_NO_SHOW,
    OUTCOME_OVERTIME,
    FeeRule,
    FeeRuleError,
    Interval,
    UsageRecord,
    compute_fee,
    find_conflicts,
    format_ratio,
    hours_within_year,
    overlaps,
    sharing_by_instrument,
    sharing_by_unit,
)


def dt(*a):
    return datetime(*a)


def test_overlapping_booking_is_found_touching_is_not():
    a = Interval(dt(2019, 3, 1, 9), dt(2019, 3, 1, 12), key=1)
    b = Interval(dt(2019, 3, 1, 12), dt(2019, 3, 1, 14), key=2)
    c = Interval(dt(2019, 3, 1, 11), dt(2019, 3, 1, 13), key=3)
    assert not overlaps(a, b)
    assert overlaps(a, c) and overlaps(c, b)
    assert [i.key for i in find_conflicts(c, [b, a])] == [1, 2]
    assert find_conflicts(b, [a]) == []


def test_empty_interval_refused():
    with pytest.raises(ValueError, match="结束时间"):
        Interval(dt(2019, 3, 1, 9), dt(2019, 3, 1, 9))


def test_fee_per_hour_and_minimum():
    rule = FeeRule("per_hour", Decimal("300"), Decimal("500"))
    assert compute_fee(rule, hours=2.5) == Decimal("750.00")
    assert compute_fee(rule, hours=1) == Decimal("500.00")  # minimum charge
    assert compute_fee(rule, hours=0) == Decimal("0.00")  # no-show charged nothing


def test_fee_per_sample():
    rule = FeeRule("per_sample", Decimal("120.5"))
    assert compute_fee(rule, samples=3) == Decimal("361.50")


def test_bad_fee_rule_names_field():
    with pytest.raises(FeeRuleError) as e:
        FeeRule("per_day", Decimal("1"))
    assert e.value.field == "basis"
    with pytest.raises(FeeRuleError) as e:
        FeeRule("per_hour", Decimal("-1"))
    assert e.value.field == "rate"


def test_year_boundary_split_by_hours():
    start, end = dt(2019, 12, 31, 20), dt(2020, 1, 1, 6)
    assert hours_within_year(start, end, 2019) == 4.0
    assert hours_within_year(start, end, 2020) == 6.0
    assert hours_within_year(start, end, 2021) == 0.0


def test_sharing_figures_by_instrument_and_unit():
    recs = [
        # instrument A of unit U: internal 4 h, external 6 h (超时 counted by actual), no-show 0
        UsageRecord("A", "U", "U", dt(2019, 5, 1, 8), dt(2019, 5, 1, 12)),
        UsageRecord("A", "U", "X", dt(2019, 5, 2, 8), dt(2019, 5, 2, 14), OUTCOME_OVERTIME),
        UsageRecord("A", "U", "X", dt(2019, 5, 3, 8), dt(2019, 5, 3, 18), OUTCOME_NO_SHOW),
        # instrument B of unit U: external 4 h in 2019 of a usage that spans the year end
        UsageRecord("B", "U", "Y", dt(2019, 12, 31, 20), dt(2020, 1, 1, 6)),
        # instrument C of unit U: only a no-show -> rate undefined
        UsageRecord("C", "U", "Y", dt(2019, 6, 1, 8), dt(2019, 6, 1, 9), OUTCOME_NO_SHOW),
    ]
    by_i = sharing_by_instrument(recs, 2019)
    assert (by_i["A"].effective_hours, by_i["A"].external_hours) == (10.0, 6.0)
    assert by_i["A"].sharing_rate == pytest.approx(0.6)
    assert by_i["B"].sharing_rate == 1.0
    assert by_i["C"].sharing_rate is None
    assert format_ratio(by_i["C"].sharing_rate) == "—"
    by_u = sharing_by_unit(recs, 2019)
    # summed hours: 14 effective, 10 external -> 10/14, not the mean of 0.6 and 1.0 (0.8)
    assert by_u["U"].effective_hours == 14.0
    assert by_u["U"].sharing_rate == pytest.approx(10 / 14)
    assert format_ratio(by_u["U"].sharing_rate) == "71.4%"
    assert sharing_by_instrument(recs, 2020)["B"].effective_hours == 6.0
