"""The thresholds of statistical disclosure control for public tables (optional section).

Not a figure of the plan text but a rule of publication (统计法: individual respondents' figures
are confidential), so it carries a ``basis`` in words instead of a plan ``source``.  Read it with
:func:`lanbai.core.disclosure.rules_from_plan`; without the section the defaults apply.
"""

from __future__ import annotations

from pydantic import Field

from .base import Strict


class DisclosureControl(Strict):
    """Threshold rule, (n, k) dominance rule and required protection of public tables."""

    min_contributors: int = Field(3, ge=1)
    dominance_n: int = Field(1, ge=1)
    dominance_k: float = Field(85.0, gt=0, le=100)
    protection_pct: float = Field(0.0, ge=0, lt=100)
    basis: str | None = None
