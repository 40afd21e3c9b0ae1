"""附件8: the 23 policy articles, with amounts, shares, durations and conditions as fields.

Executable form
---------------
A **condition** is a test on one field of a profile — of an enterprise, a person or an institution —
written ``field op value [unit]`` (``contract_years >= 5 年``), or a group ``any_of`` of conditions of
which one must hold.  ``subject`` names the kind of profile the field belongs to.  A condition the
plan states as a judgement (``经济社会效益潜力较大``) has ``judgement: true``: it is never decided from
figures, a reviewer confirms it.  Dates are compared when ``unit`` is ``date`` (ISO strings).

A **benefit** is what the article grants: a fixed amount, a cap, a share of a profile figure
(``base_field``), a range of shares, a loan cap, a duration, or a reward whose amount the plan does not
fix.  A benefit may carry its own conditions (article 18: 100万 for a national incubator, 50万 for a
provincial one).  The article's own ``conditions`` apply to every benefit.

An article with no checkable condition (it addresses the government or states an intention) keeps
``conditions`` empty and ``computable`` false: it is policy text only.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import Code, Source, Strict

Beneficiary = Literal["enterprise", "person", "institution", "incubator", "bank", "government", "student"]
Subject = Literal["enterprise", "person", "institution"]
Operator = Literal["==", "!=", ">=", ">", "<=", "<", "in", "not_in", "is_true", "is_false"]
ConditionValue = float | int | str | bool | list[str] | None


class Condition(Strict):
    """One checkable test on a profile field, or a group of alternatives (``any_of``)."""

    field: str | None = None  # a profile field, e.g. contract_years
    op: Operator | None = None
    value: ConditionValue = None
    unit: str | None = None  # 万元, %, 年, date …
    subject: Subject | None = None  # the kind of profile the field belongs to
    any_of: list[Condition] = Field(default_factory=list)
    judgement: bool = False  # a reviewer decides it; never computed
    text: str  # the condition as written

    @model_validator(mode="after")
    def _form(self) -> Condition:
        if self.any_of:
            if self.field is not None or self.op is not None:
                raise ValueError("a condition is either field/op/value or any_of, not both")
            return self
        if self.field is None or self.op is None:
            raise ValueError("a condition needs field and op (or any_of)")
        needs_value = self.op not in ("is_true", "is_false")
        if needs_value and self.value is None:
            raise ValueError(f"operator {self.op!r} needs a value")
        if self.op in ("in", "not_in") and not isinstance(self.value, list):
            raise ValueError(f"operator {self.op!r} needs a list value")
        if self.op in (">=", ">", "<=", "<") and not isinstance(self.value, int | float | str):
            raise ValueError(f"operator {self.op!r} needs a number (or an ISO date with unit 'date')")
        if isinstance(self.value, str) and self.op in (">=", ">", "<=", "<") and self.unit != "date":
            raise ValueError("an ordered comparison with a text value needs unit 'date'")
        return self


BenefitKind = Literal[
    "amount",  # a fixed amount (20万元 安家费)
    "amount_cap",  # up to an amount (1000万元以内)
    "share_cap",  # up to value % of base_field (不超过出资额度的20%)
    "share_range",  # value … value_max % of base_field (50-90%)
    "loan_cap",  # a loan of up to value
    "duration",  # a right for value years (追溯期为3年)
    "reward",  # a reward whose amount the plan does not fix
    "fund_size",  # the size of a fund (20亿元)
    "other",  # a right without a figure
]


class Benefit(Strict):
    kind: BenefitKind
    code: Code | None = None
    value: float | None = None
    value_max: float | None = None
    unit: str | None = None  # 万元, 亿元, %, 年
    base_field: str | None = None  # profile field the share applies to
    base_unit: str | None = None  # unit of base_field (万元)
    conditions: list[Condition] = Field(default_factory=list)  # in addition to the article's
    text: str

    @model_validator(mode="after")
    def _figures(self) -> Benefit:
        if (
            self.kind in ("amount", "amount_cap", "loan_cap", "duration", "fund_size", "share_cap")
            and self.value is None
        ):
            raise ValueError(f"a {self.kind} benefit needs value")
        if self.kind in ("share_cap", "share_range") and (self.base_field is None or self.unit != "%"):
            raise ValueError(f"a {self.kind} benefit is a percentage (unit '%') of a base_field")
        if self.kind == "share_range" and (
            self.value is None or self.value_max is None or self.value > self.value_max
        ):
            raise ValueError("a share_range benefit needs value <= value_max")
        return self


class PolicyArticle(Strict):
    number: int
    chapter: str  # 01 … 08
    chapter_name: str  # 资金, 融资, 人才 …
    heading: str
    text: str
    beneficiaries: list[Beneficiary] = Field(default_factory=list)
    subjects: list[Subject] = Field(default_factory=list)  # the profile kinds the conditions are about
    conditions: list[Condition] = Field(default_factory=list)
    benefits: list[Benefit] = Field(default_factory=list)
    computable: bool = False
    note: str | None = None
    source: Source

    @model_validator(mode="after")
    def _computable(self) -> PolicyArticle:
        has_conditions = bool(self.conditions) or any(b.conditions for b in self.benefits)
        if self.computable and not (has_conditions and self.subjects):
            raise ValueError("a computable article needs subjects and at least one condition")
        if not self.computable and self.conditions:
            raise ValueError("an article with conditions is computable (set computable: true)")
        return self
