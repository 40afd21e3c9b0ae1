"""附件8: the 23 policy articles, with amounts, shares, durations and conditions as fields.

A condition is a machine-checkable test on a profile field (``field op value``); a benefit is an
amount, share or duration, with an optional formula over profile fields.  Articles whose text has
no checkable condition keep ``conditions`` empty and ``computable`` false: they are policy text.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Source, Strict

Beneficiary = Literal["enterprise", "person", "institution", "incubator", "bank", "government", "student"]


class Condition(Strict):
    field: str  # a profile field, e.g. contract_years
    op: Literal["==", "!=", ">=", ">", "<=", "<", "in", "is_true"]
    value: float | int | str | bool | list[str] | None = None
    unit: str | None = None
    text: str  # the condition as written


class Benefit(Strict):
    kind: Literal["amount", "amount_cap", "share_cap", "share_range", "duration", "loan_cap", "reward", "other"]
    value: float | None = None
    value_max: float | None = None
    unit: str | None = None  # 万元, %, 年
    base_field: str | None = None  # profile field the share applies to
    text: str


class PolicyArticle(Strict):
    number: int
    chapter: str  # 01 … 08
    chapter_name: str  # 资金, 融资, 人才 …
    heading: str
    text: str
    beneficiaries: list[Beneficiary] = Field(default_factory=list)
    conditions: list[Condition] = Field(default_factory=list)
    benefits: list[Benefit] = Field(default_factory=list)
    computable: bool = False
    source: Source
