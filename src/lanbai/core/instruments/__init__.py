"""Large research-instrument sharing: booking conflicts, fees, annual sharing figures.

Pure computational core (standard library only); method and sources in docs/instruments.md.
"""

from .booking import Interval, find_conflicts, overlaps
from .fees import FeeRule, FeeRuleError, compute_fee
from .sharing import (
    OUTCOME_NO_SHOW,
    OUTCOME_NORMAL,
    OUTCOME_OVERTIME,
    SharingFigures,
    UsageRecord,
    format_ratio,
    hours_between,
    hours_within_year,
    sharing_between,
    sharing_by_instrument,
    sharing_by_unit,
)

__all__ = [
    "OUTCOME_NORMAL",
    "OUTCOME_NO_SHOW",
    "OUTCOME_OVERTIME",
    "FeeRule",
    "FeeRuleError",
    "Interval",
    "SharingFigures",
    "UsageRecord",
    "compute_fee",
    "find_conflicts",
    "format_ratio",
    "hours_between",
    "hours_within_year",
    "overlaps",
    "sharing_between",
    "sharing_by_instrument",
    "sharing_by_unit",
]
