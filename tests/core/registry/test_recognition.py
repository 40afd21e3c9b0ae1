"""附件7 recognition rules at their boundaries, with thresholds read from the plan."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from lanbai.core.registry import EnterpriseProfile, recognition_table, screen_enterprise, screen_enterprises

BASE = dict(
    name="测试企业",
    zone="lzgx",
    registered_in_zone=True,
    is_independent_legal_person=True,
    revenue_wan=2000.0,
    profit_tax_rate_pct=5.0,
    main_business_kind="制造",
    rd_staff=20,
    rd_staff_senior_or_master=4,
    has_rd_institution=True,
    rd_expenditure_wan=40.0,
    valid_patents=5,
    valid_invention_patents=1,
    new_drug_certificates=0,
    software_copyrights=0,
    trademarks=1,
    plant_varieties=0,
    origin_protections=0,
    quality_certified=True,
)


def profile(**changes) -> EnterpriseProfile:
    return EnterpriseProfile(**{**BASE, **changes})


def verdict(criteria, number: int, **changes) -> str:
    return screen_enterprise(profile(**changes), criteria).criterion(number).verdict


def test_full_profile_is_eligible_with_judgements_left_to_review(criteria) -> None:
    r = screen_enterprise(profile(), criteria)
    assert r.status == "eligible"
    assert [c.verdict for c in r.criteria] == ["needs_review", "needs_review", "pass", "pass", "pass", "pass"]
    assert any("信用良好" in p for p in r.pending_review)
    assert any("符合国家产业政策" in p for p in r.pending_review)


def test_criterion_1_checks_registration_and_never_guesses_credit(criteria) -> None:
    assert verdict(criteria, 1, registered_in_zone=False) == "fail"
    assert verdict(criteria, 1, registered_in_zone=None) == "not_decidable"
    checks = screen_enterprise(profile(), criteria).criterion(1).checks
    assert [c.verdict for c in checks if c.field is None] == ["needs_review"] * 4


# criterion 3 ------------------------------------------------------------------------------------


def test_revenue_exactly_1000_passes_and_999_99_fails(criteria) -> None:
    assert verdict(criteria, 3, revenue_wan=1000.0) == "pass"
    assert verdict(criteria, 3, revenue_wan=999.99) == "fail"
    check = screen_enterprise(profile(revenue_wan=999.99), criteria).criterion(3).checks[0]
    assert (check.field, check.figure, check.op, check.threshold, check.unit) == (
        "revenue_wan",
        999.99,
        ">=",
        1000.0,
        "万元",
    )


def test_profit_tax_rate_20_pct_is_an_alternative(criteria) -> None:
    assert verdict(criteria, 3, revenue_wan=500.0, profit_tax_rate_pct=20.0) == "pass"
    assert verdict(criteria, 3, revenue_wan=500.0, profit_tax_rate_pct=19.99) == "fail"
    # derived: (profit + tax) / revenue = (80 + 20) / 500 = 20 %
    assert (
        verdict(criteria, 3, revenue_wan=500.0, profit_tax_rate_pct=None, profit_wan=80.0, tax_wan=20.0)
        == "pass"
    )
    assert (
        verdict(criteria, 3, revenue_wan=500.0, profit_tax_rate_pct=None, profit_wan=79.0, tax_wan=20.0)
        == "fail"
    )


def test_tech_main_business_is_an_alternative(criteria) -> None:
    assert verdict(criteria, 3, revenue_wan=100.0, main_business_kind="软件开发") == "pass"
    assert verdict(criteria, 3, revenue_wan=100.0, main_business_kind="批发零售") == "fail"


def test_criterion_3_missing_names_the_fields(criteria) -> None:
    r = screen_enterprise(
        profile(
            revenue_wan=500.0, profit_tax_rate_pct=None, main_business_kind=None, rd_expenditure_wan=10.0
        ),
        criteria,
    )
    c3 = r.criterion(3)
    assert c3.verdict == "not_decidable"
    assert "profit_tax_rate_pct" in c3.missing and "main_business_kind" in c3.missing
    assert r.status == "undecided" and "main_business_kind" in r.missing


# criterion 4 ------------------------------------------------------------------------------------


def test_rd_staff_10_passes_9_fails(criteria) -> None:
    assert verdict(criteria, 4, rd_staff=10, rd_staff_senior_or_master=2) == "pass"
    assert verdict(criteria, 4, rd_staff=9, rd_staff_senior_or_master=2) == "fail"


def test_senior_share_exactly_15_pct_passes(criteria) -> None:
    assert verdict(criteria, 4, rd_staff=20, rd_staff_senior_or_master=3) == "pass"  # 15 %
    assert verdict(criteria, 4, rd_staff=20, rd_staff_senior_or_master=2) == "fail"  # 10 %
    assert verdict(criteria, 4, has_rd_institution=False) == "fail"


def test_no_rd_staff_fails_and_explains_the_share(criteria) -> None:
    c4 = screen_enterprise(profile(rd_staff=0, rd_staff_senior_or_master=0), criteria).criterion(4)
    assert c4.verdict == "fail"
    assert "无定义" in c4.checks[1].message


# criterion 5 ------------------------------------------------------------------------------------


def test_rd_share_exactly_1_5_pct_below_3000(criteria) -> None:
    assert verdict(criteria, 5, revenue_wan=1000.0, rd_expenditure_wan=15.0) == "pass"
    assert verdict(criteria, 5, revenue_wan=1000.0, rd_expenditure_wan=14.99) == "fail"


def test_revenue_exactly_3000_needs_only_1_pct(criteria) -> None:
    assert verdict(criteria, 5, revenue_wan=3000.0, rd_expenditure_wan=30.0) == "pass"
    assert verdict(criteria, 5, revenue_wan=3000.0, rd_expenditure_wan=29.99) == "fail"
    assert verdict(criteria, 5, revenue_wan=2999.99, rd_expenditure_wan=30.0) == "fail"  # 1.0 % < 1.5 %
    check = (
        screen_enterprise(profile(revenue_wan=3000.0, rd_expenditure_wan=30.0), criteria)
        .criterion(5)
        .checks[0]
    )
    assert check.threshold == 1.0 and check.figure == pytest.approx(1.0)
    check = (
        screen_enterprise(profile(revenue_wan=2999.99, rd_expenditure_wan=30.0), criteria)
        .criterion(5)
        .checks[0]
    )
    assert check.threshold == 1.5


def test_rd_share_missing_revenue_is_not_decidable(criteria) -> None:
    c5 = screen_enterprise(profile(revenue_wan=None), criteria).criterion(5)
    assert c5.verdict == "not_decidable" and c5.missing == ("revenue_wan",)
    assert "缺少 revenue_wan" in c5.checks[0].message
    c5 = screen_enterprise(profile(rd_expenditure_wan=None), criteria).criterion(5)
    assert c5.missing == ("rd_expenditure_wan",)
    c5 = screen_enterprise(profile(revenue_wan=0.0, profit_tax_rate_pct=25.0), criteria).criterion(5)
    assert c5.verdict == "not_decidable" and "无定义" in c5.checks[0].message


def test_revenue_is_not_monotone_for_the_rd_share(criteria) -> None:
    # documented: revenue is the share's denominator, so more revenue can fail criterion 5
    assert verdict(criteria, 5, revenue_wan=1000.0, rd_expenditure_wan=20.0) == "pass"
    assert verdict(criteria, 5, revenue_wan=3000.0, rd_expenditure_wan=20.0) == "fail"


# criterion 6 ------------------------------------------------------------------------------------


def test_two_patents_fail_three_pass(criteria) -> None:
    assert verdict(criteria, 6, valid_patents=2, valid_invention_patents=0) == "fail"
    assert verdict(criteria, 6, valid_patents=3, valid_invention_patents=0) == "pass"


def test_one_invention_patent_or_new_drug_certificate_suffices(criteria) -> None:
    assert verdict(criteria, 6, valid_patents=1, valid_invention_patents=0) == "fail"
    assert verdict(criteria, 6, valid_patents=1, valid_invention_patents=1) == "pass"
    assert verdict(criteria, 6, valid_patents=0, valid_invention_patents=0, new_drug_certificates=1) == "pass"


def test_other_ip_and_quality_are_required(criteria) -> None:
    assert verdict(criteria, 6, trademarks=0) == "fail"
    assert verdict(criteria, 6, trademarks=0, plant_varieties=1) == "pass"
    assert verdict(criteria, 6, quality_certified=False) == "fail"
    c6 = screen_enterprise(profile(trademarks=None), criteria).criterion(6)
    assert c6.verdict == "not_decidable" and c6.missing == ("trademarks",)


# thresholds come from the plan ------------------------------------------------------------------


def test_thresholds_are_read_from_the_criteria(criteria) -> None:
    c3 = next(c for c in criteria if c.number == 3)
    raised = c3.model_copy(update={"parameters": {**c3.parameters, "min_revenue_wan": 2500}})
    other = [raised if c.number == 3 else c for c in criteria]
    assert screen_enterprise(profile(revenue_wan=2000.0), other).criterion(3).verdict == "fail"
    assert screen_enterprise(profile(revenue_wan=2000.0), criteria).criterion(3).verdict == "pass"


def test_missing_parameter_is_named(criteria) -> None:
    c5 = next(c for c in criteria if c.number == 5)
    broken = c5.model_copy(update={"parameters": {"revenue_threshold_wan": 3000}})
    with pytest.raises(ValueError, match="min_rd_share_below_pct"):
        screen_enterprise(profile(), [broken if c.number == 5 else c for c in criteria])
    with pytest.raises(TypeError, match="profiles"):
        screen_enterprises(profile(), criteria)  # type: ignore[arg-type]


def test_profile_validation_names_the_field() -> None:
    with pytest.raises(ValidationError, match="rd_staff_senior_or_master"):
        EnterpriseProfile(rd_staff=3, rd_staff_senior_or_master=4)
    with pytest.raises(ValidationError, match="credit_code"):
        EnterpriseProfile(credit_code="91620100ABCDEFGHIJ")
    with pytest.raises(ValidationError, match="revenue_wan"):
        EnterpriseProfile(revenue_wan=-1)


def test_empty_profile_is_undecided_and_names_every_missing_field(criteria) -> None:
    r = screen_enterprise(EnterpriseProfile(), criteria)
    assert r.status == "undecided"
    for f in ("registered_in_zone", "revenue_wan", "rd_staff", "rd_expenditure_wan", "quality_certified"):
        assert f in r.missing


def test_batch_equals_one_by_one_and_table(criteria) -> None:
    profiles = [profile(), profile(revenue_wan=999.99), EnterpriseProfile(), profile(trademarks=None)]
    batch = screen_enterprises(profiles, criteria)
    assert batch == [screen_enterprise(p, criteria) for p in profiles]
    table = recognition_table(batch)
    assert list(table["status"]) == ["eligible", "not_eligible", "undecided", "undecided"]
    assert list(table["criterion_6"]) == ["pass", "pass", "not_decidable", "not_decidable"]


# property: more of a threshold figure never turns a pass into a fail ------------------------------

# Figures the criteria only ever require *at least* of.  Not here: revenue (the R&D share's
# denominator, see test_revenue_is_not_monotone_for_the_rd_share) and rd_staff (the senior share's).
MONOTONE = [
    "profit_tax_rate_pct",
    "rd_staff_senior_or_master",
    "rd_expenditure_wan",
    "valid_patents",
    "valid_invention_patents",
    "new_drug_certificates",
    "software_copyrights",
    "trademarks",
    "plant_varieties",
    "origin_protections",
]
ORDER = {"pass": 0, "needs_review": 1, "not_decidable": 2, "fail": 3}

# figures near the thresholds, missing one time in four
small = st.integers(0, 6)
opt_int = st.one_of(st.none(), small, small, small)
opt_money = st.one_of(st.none(), *[st.floats(0, 5000, allow_nan=False)] * 3)
opt_bool = st.one_of(st.none(), st.just(True), st.just(True), st.just(False))


@st.composite
def profiles(draw):
    staff = draw(st.one_of(st.none(), st.integers(0, 30)))
    senior = draw(st.one_of(st.none(), st.integers(0, staff if staff is not None else 30)))
    patents = draw(opt_int)
    inventions = draw(st.one_of(st.none(), st.integers(0, patents if patents is not None else 6)))
    return EnterpriseProfile(
        registered_in_zone=draw(opt_bool),
        is_independent_legal_person=True,
        revenue_wan=draw(opt_money),
        profit_tax_rate_pct=draw(st.one_of(st.none(), st.floats(-50, 100, allow_nan=False))),
        main_business_kind=draw(st.sampled_from([None, "制造", "技术服务"])),
        rd_staff=staff,
        rd_staff_senior_or_master=senior,
        has_rd_institution=draw(opt_bool),
        rd_expenditure_wan=draw(opt_money),
        valid_patents=patents,
        valid_invention_patents=inventions,
        new_drug_certificates=draw(opt_int),
        software_copyrights=draw(opt_int),
        trademarks=draw(opt_int),
        plant_varieties=draw(opt_int),
        origin_protections=draw(opt_int),
        quality_certified=draw(opt_bool),
    )


def _increase(p: EnterpriseProfile, field: str, delta: float) -> EnterpriseProfile:
    current = getattr(p, field)
    if current is None:
        return p
    is_int = isinstance(current, int)
    change = {field: current + (max(1, int(delta)) if is_int else delta)}
    if field == "rd_staff_senior_or_master" and p.rd_staff is not None:
        change[field] = min(change[field], p.rd_staff)
    if field == "valid_invention_patents":  # invention patents are patents: both grow
        change["valid_patents"] = (p.valid_patents or 0) + (change[field] - current)
    return p.model_copy(update=change)


@settings(max_examples=150, deadline=None)
@given(p=profiles(), field=st.sampled_from(MONOTONE), delta=st.floats(0.01, 20, allow_nan=False))
def test_more_never_turns_a_pass_into_a_fail(criteria, p, field, delta) -> None:
    before, after = screen_enterprises([p, _increase(p, field, delta)], criteria)
    for b, a in zip(before.criteria, after.criteria, strict=True):
        if b.verdict == "pass":
            assert a.verdict == "pass", (field, b.number)
        for cb, ca in zip(b.checks, a.checks, strict=True):
            if cb.verdict == "pass":
                assert ca.verdict == "pass", (field, cb.label)
    if before.status == "eligible":
        assert after.status == "eligible"


@settings(max_examples=100, deadline=None)
@given(p=profiles(), delta=st.floats(0.01, 5000, allow_nan=False))
def test_more_revenue_never_fails_criterion_3(criteria, p, delta) -> None:
    if p.revenue_wan is None:
        return
    more = p.model_copy(
        update={"revenue_wan": p.revenue_wan + delta, "profit_tax_rate_pct": p.profit_tax_rate_pct}
    )
    before, after = screen_enterprises([p, more], criteria)
    if before.criterion(3).verdict == "pass":
        assert after.criterion(3).verdict == "pass"
