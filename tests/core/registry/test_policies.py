"""附件8 policy matching: conditions, amounts and statuses read from the shipped policy_articles."""

from __future__ import annotations

import datetime as dt

import pytest

from lanbai.core.registry import (
    EnterpriseProfile,
    InstitutionProfile,
    PersonProfile,
    check_policy_fields,
    match_policies,
    match_policy,
)


def art(articles, number: int):
    return next(a for a in articles if a.number == number)


def benefit(match, code: str):
    return next(b for b in match.benefits if b.code == code)


def test_every_condition_field_exists_on_a_profile(articles) -> None:
    assert len(articles) == 23
    assert check_policy_fields(articles) == []


def test_all_23_articles_get_a_status(articles) -> None:
    results = match_policies(PersonProfile(), articles)
    assert [r.number for r in results] == list(range(1, 24))
    text_only = [r.number for r in results if r.status == "policy_text_only"]
    assert text_only == [1, 2, 3, 20, 21, 22, 23]
    r1 = results[0]
    assert "无可计算" in r1.reason
    assert (r1.benefits[0].amount_max, r1.benefits[0].unit) == (20, "亿元")  # the 20亿元 fund, as information


# article 7: 20万元 安家费 with a contract of 5 years or more --------------------------------------


def talent(**kw) -> PersonProfile:
    return PersonProfile(is_urgent_high_level_talent=True, **kw)


def test_five_year_contract_qualifies_for_20_wan(articles) -> None:
    m = match_policy(talent(contract_years=5), art(articles, 7))
    assert m.status == "qualifies"
    b = benefit(m, "settling_in_allowance")
    assert (b.amount_min, b.amount_max, b.unit) == (20, 20, "万元")


def test_four_year_contract_does_not_qualify_and_names_the_condition(articles) -> None:
    m = match_policy(talent(contract_years=4), art(articles, 7))
    assert m.status == "does_not_qualify"
    assert any("5年以上" in f for f in m.failing)
    assert benefit(m, "settling_in_allowance").amount_max is None


def test_missing_contract_is_not_decidable(articles) -> None:
    m = match_policy(talent(), art(articles, 7))
    assert m.status == "not_decidable"
    assert m.missing == ("contract_years",)
    assert "contract_years" in m.reason


# amounts ------------------------------------------------------------------------------------------


def test_founder_matching_is_at_most_20_pct_of_the_investment(articles) -> None:
    p = PersonProfile(
        employer_kind="research_institute", founds_tech_sme_in_zone=True, founder_investment_wan=150
    )
    b = benefit(match_policy(p, art(articles, 16)), "founder_matching")
    assert (b.verdict, b.amount_min, b.amount_max) == ("pass", 0.0, 30.0)
    p = p.model_copy(update={"founder_investment_wan": None})
    m = match_policy(p, art(articles, 16))
    assert m.status == "qualifies"
    assert benefit(m, "founder_matching").amount_max is None
    assert "founder_investment_wan" in benefit(m, "founder_matching").missing


def test_angel_matching_is_at_most_50_pct(articles) -> None:
    p = PersonProfile(
        employer_kind="university", angel_invests_in_student_tech_sme=True, angel_investment_wan=80
    )
    b = benefit(match_policy(p, art(articles, 17)), "angel_matching")
    assert b.amount_max == 40.0
    p = p.model_copy(update={"employer_kind": "enterprise"})
    assert match_policy(p, art(articles, 17)).status == "does_not_qualify"


def test_income_share_is_50_to_90_pct(articles) -> None:
    p = PersonProfile(
        is_professional_technician=True,
        has_service_achievement_transfer=True,
        achievement_transfer_income_wan=200,
    )
    b = benefit(match_policy(p, art(articles, 9)), "income_share")
    assert (b.amount_min, b.amount_max) == (100.0, 180.0)


def test_talent_project_caps_1000_and_500_wan_need_review(articles) -> None:
    m = match_policy(PersonProfile(is_introduced_talent=True), art(articles, 6))
    assert m.status == "needs_review"
    assert benefit(m, "transfer_funding").amount_max == 1000
    assert benefit(m, "research_funding").amount_max == 500
    assert (
        match_policy(PersonProfile(is_introduced_talent=False), art(articles, 6)).status == "does_not_qualify"
    )


# article 18: incubators 100万 / 50万, resident enterprise 50万 -------------------------------------


def test_incubator_rewards(articles) -> None:
    a18 = art(articles, 18)
    national = match_policy(InstitutionProfile(institution_kind="incubator", incubator_level="national"), a18)
    assert national.status == "qualifies"
    assert benefit(national, "national_incubator_reward").amount_max == 100
    assert benefit(national, "provincial_incubator_reward").verdict == "fail"
    provincial = match_policy(
        InstitutionProfile(institution_kind="incubator", incubator_level="provincial"), a18
    )
    assert benefit(provincial, "provincial_incubator_reward").amount_max == 50
    none = match_policy(InstitutionProfile(institution_kind="incubator", incubator_level="none"), a18)
    assert none.status == "does_not_qualify"


def test_resident_enterprise_needs_two_years_and_taxes(articles) -> None:
    a18 = art(articles, 18)
    ok = match_policy(EnterpriseProfile(incubated_years=2, paid_taxes_within_2_years=True), a18)
    assert ok.status == "qualifies"
    assert benefit(ok, "incubated_enterprise_reward").amount_max == 50
    assert [b.code for b in ok.benefits] == [
        "incubated_enterprise_reward"
    ]  # incubator benefits are not for it
    short = match_policy(EnterpriseProfile(incubated_years=1.9, paid_taxes_within_2_years=True), a18)
    assert short.status == "does_not_qualify"
    unknown = match_policy(EnterpriseProfile(incubated_years=3), a18)
    assert unknown.status == "not_decidable" and unknown.missing == ("paid_taxes_within_2_years",)


# students, durations, dates ----------------------------------------------------------------------


def test_student_loan_cap_and_two_year_graduates(articles) -> None:
    a14 = art(articles, 14)
    enrolled = match_policy(
        PersonProfile(student_status="full_time_enrolled", founds_tech_sme_in_zone=True), a14
    )
    assert enrolled.status == "qualifies"
    assert benefit(enrolled, "startup_loan").amount_max == 20
    grad = PersonProfile(student_status="graduated", years_since_graduation=2, founds_tech_sme_in_zone=True)
    assert match_policy(grad, a14).status == "qualifies"
    late = grad.model_copy(update={"years_since_graduation": 2.5})
    assert match_policy(late, a14).status == "does_not_qualify"
    unknown = grad.model_copy(update={"years_since_graduation": None})
    m = match_policy(unknown, a14)
    assert m.status == "not_decidable" and m.missing == ("years_since_graduation",)


def test_three_years_keeping_the_personnel_relation(articles) -> None:
    p = PersonProfile(
        employer_kind="university",
        is_professional_technician=True,
        original_unit_consent=True,
        tripartite_agreement_signed=True,
    )
    m = match_policy(p, art(articles, 15))
    assert m.status == "qualifies"
    b = benefit(m, "keep_personnel_relation")
    assert (b.amount_max, b.unit) == (3, "年")
    no_consent = p.model_copy(update={"original_unit_consent": False})
    assert match_policy(no_consent, art(articles, 15)).failing == ("经原单位同意",)


def test_retroactive_super_deduction_from_2016_01_01(articles) -> None:
    a5 = art(articles, 5)
    base = dict(meets_super_deduction_conditions=True, super_deduction_claimed=False)
    on = match_policy(EnterpriseProfile(rd_expense_date=dt.date(2016, 1, 1), **base), a5)
    assert on.status == "qualifies" and benefit(on, "retroactive_super_deduction").amount_max == 3
    before = match_policy(EnterpriseProfile(rd_expense_date=dt.date(2015, 12, 31), **base), a5)
    assert before.status == "does_not_qualify"


def test_new_tech_bank_branch_reward_for_three_years(articles) -> None:
    a4 = art(articles, 4)
    m = match_policy(InstitutionProfile(institution_kind="tech_bank_branch", years_since_approval=3), a4)
    assert m.status == "qualifies"
    assert benefit(m, "reward_period").amount_max == 3
    assert benefit(m, "contribution_reward").amount_max is None  # the plan fixes no amount
    late = InstitutionProfile(institution_kind="tech_bank_branch", years_since_approval=3.5)
    assert match_policy(late, a4).status == "does_not_qualify"


def test_wrong_kind_of_profile_does_not_qualify(articles) -> None:
    m = match_policy(PersonProfile(), art(articles, 10))
    assert m.status == "does_not_qualify" and "institution" in m.reason


# amounts come from the data ----------------------------------------------------------------------


def test_amounts_are_read_from_the_article(articles) -> None:
    a7 = art(articles, 7)
    b = a7.benefits[0]
    changed = a7.model_copy(
        update={"benefits": [b.model_copy(update={"value": 30.0})] + list(a7.benefits[1:])}
    )
    m = match_policy(talent(contract_years=6), changed)
    assert benefit(m, "settling_in_allowance").amount_max == 30.0


def test_bad_arguments_are_refused(articles) -> None:
    with pytest.raises(TypeError, match="profile"):
        match_policies({"contract_years": 5}, articles)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="articles"):
        match_policies(PersonProfile(), [{"number": 1}])  # type: ignore[list-item]
