"""Building blocks shared by every part of the plan schema.

Conventions
-----------
* Every record that carries a number carries ``source``: the section of the plan text where the
  number is written (``专栏1``, ``附件2``, ``二（四）``, ``四（一）1`` …).  A figure without a source is
  refused at load time.
* ``comparator`` keeps the plan's wording: ``=`` (达到 / plain figure), ``>=`` (以上 / 不低于),
  ``>`` (超过), ``<=`` (不超过), ``<`` (低于).  ``approx`` is true where the plan says 左右.
* Codes are ASCII identifiers (``[a-z][a-z0-9_]*``); Chinese names are kept exactly as written.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

SOURCE_PATTERN = re.compile(
    r"^(专栏\d{1,2}(-\d{2})?"
    r"|附件\d(-\S+)?"
    r"|[一二三四五六七八九十]{1,2}(（[一二三四五六七八九十]{1,2}）(\d{1,2})?)?"
    r"|前言)$"
)


def _check_source(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("a source is required: the 专栏/附件/section of the plan where the figure is written")
    if not SOURCE_PATTERN.match(value):
        raise ValueError(
            f"source {value!r} is not a section reference of the plan (expected e.g. 专栏1, 附件2, 二（四）, 四（一）1)"
        )
    return value


def _check_code(value: str) -> str:
    if not re.fullmatch(r"[a-z][a-z0-9_]*", value):
        raise ValueError(f"code {value!r} must be lower-case ASCII letters, digits and _ and start with a letter")
    return value


Source = Annotated[str, AfterValidator(_check_source)]
# Dates may be written as YAML dates or as ISO strings ("2016-04-28"); nothing else is accepted.
Date = Annotated[dt.date, Field(strict=False)]
Code = Annotated[str, AfterValidator(_check_code)]
Comparator = Literal["=", ">=", ">", "<=", "<"]
Direction = Literal["increase", "decrease"]


class Strict(BaseModel):
    """Base for every schema model: unknown keys are an error, values are not coerced across types."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, str_strip_whitespace=True)


class Figure(Strict):
    """A single number of the plan with its unit and source."""

    value: float
    unit: str = Field(min_length=1)
    source: Source
    comparator: Comparator = "="
    approx: bool = False
    note: str | None = None


class Quantity(Strict):
    """A counted or measured quantity named in a measure (e.g. 50 个 创新平台)."""

    name: str = Field(min_length=1)
    value: float
    unit: str = Field(min_length=1)
    comparator: Comparator = "="
    approx: bool = False
    indicator: Code | None = None  # the plan indicator this quantity is a target of, if any
    year: int | None = None
