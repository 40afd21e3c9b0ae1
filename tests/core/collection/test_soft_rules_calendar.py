"""Pure: soft (核实性审核) vs hard (强制性审核) rules, the year-on-year rule, the reporting calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from lanbai.core.collection import (
    FormSpec,
    ReportingSpec,
    check_yoy,
    period_info,
    reporting_periods,
    split_by_severity,
    validate_records,
)

BASE = {
    "code": "T1",
    "name": "测试表",
    "issuing_body": "甘肃省创新办",
    "approval_no": "甘统制〔2016〕1号（模拟）",
    "valid_until": "2030-12-31",
    "version": 1,
    "level": "zone",
    "fields": [
        {"code": "a", "label": "甲", "type": "decimal", "nature": "flow"},
        {"code": "b", "label": "乙", "type": "decimal", "nature": "flow"},
    ],
}


def form(**over) -> FormSpec:
    return FormSpec.model_validate(BASE | over)


def test_rules_are_hard_unless_marked_soft_and_problems_carry_the_severity():
    f = form(
        rules=[
            {"code": "hard_one", "expr": "a <= b", "message_zh": "甲不大于乙"},
            {
                "code": "soft_one",
                "expr": "a <= 2 * b",
                "message_zh": "甲一般不超过乙的两倍",
                "severity": "soft",
            },
        ]
    )
    assert f.rule_severity("hard_one") == "hard" and f.rule_severity("soft_one") == "soft"
    only_soft = validate_records(f, [{"a": 3, "b": 1}], source="x")  # breaks both
    hard, soft = split_by_severity(only_soft)
    assert [p.rule_key for p in hard] == ["hard_one"] and [p.rule_key for p in soft] == ["soft_one"]
    assert soft[0].severity == "soft" and soft[0].bound == "a <= 2 * b"
    hard, soft = split_by_severity(validate_records(f, [{"a": 1.5, "b": 1}], source="x"))
    assert hard and not soft  # 1.5 <= 2 holds, 1.5 <= 1 does not
    hard, soft = split_by_severity(validate_records(f, [{"a": 1, "b": 0.4}], source="x"))
    assert [p.rule_key for p in hard] == ["hard_one"] and [p.rule_key for p in soft] == ["soft_one"]


def test_severity_must_be_hard_or_soft():
    with pytest.raises(ValueError):
        form(rules=[{"code": "r", "expr": "a <= b", "message_zh": "m", "severity": "maybe"}])


def test_yoy_rule_is_soft_by_default_and_names_the_rule_field_and_bound():
    f = form(
        yoy_rules=[{"code": "a_yoy", "field": "a", "max_change": 0.5, "message_zh": "甲同比变化超过50%"}]
    )
    problems = check_yoy(
        f, [{"a": 160.0}], [{"a": "100"}], current_period="2019Q2", last_year_period="2018Q2"
    )
    assert [(p.rule, p.rule_key, p.field, p.severity, p.bound) for p in problems] == [
        ("yoy.change", "a_yoy", "a", "soft", "±50%")
    ]
    assert "+60.0%" in problems[0].message_zh and "甲同比变化超过50%" in problems[0].message_zh
    assert check_yoy(f, [{"a": 149.0}], [{"a": 100}]) == []  # within the bound
    assert len(check_yoy(f, [{"a": 40.0}], [{"a": 100}])) == 1  # a fall counts too
    assert check_yoy(f, [{"a": 40.0}], [{"a": 0}]) == [] and check_yoy(f, [{"a": None}], [{"a": 1}]) == []
    # not a year apart: nothing
    assert check_yoy(f, [{"a": 400.0}], [{"a": 1}], current_period="2019Q2", last_year_period="2019Q1") == []
    with pytest.raises(ValueError):
        form(yoy_rules=[{"code": "z", "field": "nope", "max_change": 0.5, "message_zh": "m"}])


def test_shipped_forms_have_a_soft_yoy_rule_on_their_main_field():
    from lanbai.core.collection import default_forms_dir, load_forms

    forms = load_forms(default_forms_dir())
    assert {(r.field, r.severity) for r in forms["兰白统Q1表"].yoy_rules} == {("gdp", "soft")}
    assert {(r.field, r.severity) for r in forms["兰白统Q2表"].yoy_rules} == {("revenue", "soft")}
    assert all(r.severity == "hard" for f in forms.values() for r in f.rules)
    assert forms["兰白统Q1表"].reporting.first_period == "2015Q1"


SPEC = ReportingSpec(first_period="2015Q1", deadline_days=15, lock_days=45)


@pytest.mark.parametrize(
    ("period", "today", "state"),
    [
        ("2027Q1", dt.date(2026, 12, 2), "future"),
        ("2026Q4", dt.date(2026, 12, 2), "future"),  # the current quarter has not ended
        ("2026Q3", dt.date(2026, 10, 10), "open"),  # before its deadline (10-15)
        ("2026Q3", dt.date(2026, 10, 16), "closed"),  # late, still accepted
        ("2026Q3", dt.date(2026, 11, 14), "closed"),
        ("2026Q3", dt.date(2026, 11, 15), "locked"),  # 45 days after 09-30
        ("2014Q4", dt.date(2026, 12, 2), "outside"),
    ],
)
def test_period_states(period, today, state):
    assert period_info(SPEC, period, today=today).state == state


def test_open_current_and_last_period_and_the_list():
    spec = ReportingSpec(first_period="2015Q1", open_current=True)
    assert period_info(spec, "2026Q4", today=dt.date(2026, 12, 2)).state == "open"
    assert period_info(spec, "2027Q1", today=dt.date(2026, 12, 2)).state == "future"
    ended = ReportingSpec(first_period="2015Q1", last_period="2020Q4")
    assert period_info(ended, "2021Q1", today=dt.date(2026, 12, 2)).state == "outside"
    rows = reporting_periods(SPEC, today=dt.date(2026, 12, 2))
    assert str(rows[0].period) == "2015Q1" and str(rows[-1].period) == "2026Q4"
    assert rows[-1].state == "future" and rows[-2].state == "locked"
    assert rows[-2].deadline == dt.date(2026, 10, 15) and rows[-2].locks_on == dt.date(2026, 11, 15)
    assert str(reporting_periods(ended, today=dt.date(2026, 12, 2))[-1].period) == "2021Q1"
    with pytest.raises(ValueError):
        ReportingSpec(deadline_days=50, lock_days=10)


def test_yoy_breaks_only_a_change_beyond_the_bound_between_two_numbers():
    """The 同比 rule's test, vectorised: |new / old - 1| > bound; missing, boolean, text or a zero
    last year never break it (not comparable), and the bound itself does not."""
    from lanbai.core.collection import yoy_breaks

    current = [150, "150.0", 151, 49, None, 10, True, "abc", 10, 0, -100]
    last = [100, "100", 100, 100, 100, None, 1, 1, 0, 100, 100]
    assert yoy_breaks(0.5, current, last).tolist() == [
        False, False, True, True, False, False, False, False, False, True, True]
    assert yoy_breaks(0.5, [], []).tolist() == []
