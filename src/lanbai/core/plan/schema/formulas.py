"""The field catalogue (raw figures reported through the forms) and the indicator formulas.

``fields``: every figure a form collects, with its unit, level (enterprise form 企业季报 or zone form
园区季报), nature (``flow``: cumulative year to date, 1–3月, 1–6月 …, may not fall within a year;
``stock``: a point-in-time value at period end) and type.

``formulas``: every indicator of 专栏1 / 附件1 and every series of 附件2–3 as a formula over
fields, in the language of :mod:`lanbai.core.formulas` (checked at plan load).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from ...formulas.units import parse_unit
from .base import Code, Source, Strict
from .indicators import Category

FieldLevel = Literal["enterprise", "zone"]
FieldNature = Literal["flow", "stock"]
FieldType = Literal["decimal", "integer", "text", "code", "category", "bool"]
NUMERIC = ("decimal", "integer")


class FieldDef(Strict):
    """One reported figure of a form."""

    code: Code
    label: str = Field(min_length=1)
    unit: str | None = None
    level: FieldLevel
    nature: FieldNature | None = None
    type: FieldType
    description: str = Field(min_length=1)
    choices: dict[str, str] = Field(default_factory=dict)  # category code -> Chinese label
    source: Source | None = None

    @field_validator("unit")
    @classmethod
    def _unit(cls, value: str | None) -> str | None:
        if value is not None:
            parse_unit(value)  # raises ValueError naming the known units
        return value

    @model_validator(mode="after")
    def _numeric(self) -> FieldDef:
        if self.type in NUMERIC:
            if self.unit is None or self.nature is None:
                raise ValueError(f"a numeric field ({self.type}) needs a unit and a nature (flow or stock)")
        elif self.unit is not None or self.nature is not None:
            raise ValueError(f"a {self.type} field has no unit and no nature")
        if self.choices and self.type != "category":
            raise ValueError("only a category field lists choices")
        return self


class FormulaDef(Strict):
    """The formula of one indicator (for one category of 附件2–3 where the table splits it)."""

    indicator: Code
    category: Category = "total"
    unit: str = Field(min_length=1)
    expr: str = Field(min_length=1)
    label: str | None = None
    source: Source
    note: str | None = None

    @field_validator("unit")
    @classmethod
    def _unit(cls, value: str) -> str:
        parse_unit(value)
        return value
