"""Figures written in the running text of 一 (基础条件) and 三 (空间布局) that no table repeats.

A ``NarrativeFigure`` keeps the figure with the sentence fragment it is written in (``text``, verbatim
from the seed) so a reader — and a test — can find it in the plan.  ``written`` is the figure as the
text writes it (``4674户``, ``20多家``, ``超过8000件``, ``百家``); it must occur in ``text``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import Code, Comparator, Source, Strict

# baseline: a current-state figure (现有、拥有、2014年实现 …); target: what is to be reached;
# composition: how many parts a programme or layout has (5项工程, 3个平台, 一区五园).
NarrativeKind = Literal["baseline", "target", "composition"]


class NarrativeFigure(Strict):
    """One figure of the running text, with the fragment it is written in and its source."""

    code: Code
    name: str = Field(min_length=1)  # what is counted or measured, in the seed's words
    subject: str = Field(min_length=1)  # whom the figure is about, as the text names it (兰白地区, 4区 …)
    org_unit: Code | None = None  # the closest unit; None for the province (全省) or the country
    kind: NarrativeKind
    value: float
    unit: str = Field(min_length=1)
    # False where the text writes no measure word after the number (三大行动计划, 一区五园): ``unit`` is then
    # the implied one and no unit character follows the number in the seed
    unit_written: bool = True
    comparator: Comparator = "="
    approx: bool = False
    year: int | None = None  # the year the figure is for, where the text gives one
    from_year: int | None = None  # the first year of a span (2011-2014年累计 …)
    written: str | None = None  # the figure as written; default: the number followed by the unit
    text: str = Field(min_length=1)  # the sentence fragment, verbatim
    items: list[str] = Field(default_factory=list)  # what the figure counts, where the text lists it
    source: Source
    note: str | None = None

    @property
    def as_written(self) -> str:
        if self.written is not None:
            return self.written
        number = f"{self.value:g}" if self.value != int(self.value) else str(int(self.value))
        return number + (self.unit if self.unit_written else "")

    @model_validator(mode="after")
    def _written_in_text(self) -> NarrativeFigure:
        if self.as_written not in self.text:
            raise ValueError(f"the figure {self.as_written!r} does not occur in its text {self.text!r}")
        if self.items and len(self.items) != self.value:
            raise ValueError(f"{len(self.items)} items listed for a count of {self.value:g}")
        if self.from_year is not None and (self.year is None or self.from_year > self.year):
            raise ValueError("from_year needs a year at or after it")
        return self
