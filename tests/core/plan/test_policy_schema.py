"""The executable policy schema (附件8) refuses conditions and benefits it could not evaluate."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from lanbai.core.plan.schema import Benefit, Condition, PolicyArticle
from lanbai.core.registry import check_policy_fields


def test_condition_is_field_op_value_or_any_of() -> None:
    c = Condition(field="contract_years", op=">=", value=5, unit="年", text="5年以上")
    assert (c.field, c.op, c.value) == ("contract_years", ">=", 5)
    with pytest.raises(ValidationError, match="needs a value"):
        Condition(field="contract_years", op=">=", text="x")
    with pytest.raises(ValidationError, match="needs field and op"):
        Condition(text="x")
    with pytest.raises(ValidationError, match="not both"):
        Condition(field="a", op="is_true", any_of=[Condition(field="b", op="is_true", text="b")], text="x")
    with pytest.raises(ValidationError, match="unit 'date'"):
        Condition(field="rd_expense_date", op=">=", value="2016-01-01", text="x")
    with pytest.raises(ValidationError, match="list value"):
        Condition(field="employer_kind", op="in", value="university", text="x")


def test_share_benefit_needs_a_percentage_of_a_base() -> None:
    with pytest.raises(ValidationError, match="percentage"):
        Benefit(kind="share_cap", value=20, unit="万元", base_field="founder_investment_wan", text="x")
    with pytest.raises(ValidationError, match="value <= value_max"):
        Benefit(kind="share_range", value=90, value_max=50, unit="%", base_field="x", text="x")


def test_computable_article_needs_conditions_and_subjects() -> None:
    base = dict(number=1, chapter="01", chapter_name="资金", heading="h", text="t", source="附件8")
    with pytest.raises(ValidationError, match="computable"):
        PolicyArticle(**base, computable=True)
    with pytest.raises(ValidationError, match="computable"):
        PolicyArticle(**base, conditions=[Condition(field="a", op="is_true", text="a")])


def test_unknown_profile_field_is_reported() -> None:
    a = PolicyArticle(
        number=7,
        chapter="03",
        chapter_name="人才",
        heading="h",
        text="t",
        subjects=["person"],
        conditions=[Condition(field="contract_yrs", op=">=", value=5, subject="person", text="5年以上")],
        computable=True,
        source="附件8",
    )
    assert check_policy_fields([a]) == [
        "article 7 conditions[0].field: unknown profile field 'contract_yrs' (person)"
    ]
