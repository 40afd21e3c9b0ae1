"""Booking conflicts: half-open intervals [start, end) on one instrument must not overlap."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Interval:
    """A reserved slot; ``key`` identifies the booking (e.g. its id) so a refusal can name it."""

    start: datetime
    end: datetime
    key: Hashable = None

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"结束时间必须晚于开始时间（{self.start} – {self.end}）")


def overlaps(a: Interval, b: Interval) -> bool:
    """True when two half-open intervals share a moment (touching ends do not overlap)."""
    return a.start < b.end and b.start < a.end


def find_conflicts(candidate: Interval, existing: Iterable[Interval]) -> list[Interval]:
    """Existing intervals that overlap ``candidate``, earliest first."""
    return sorted((e for e in existing if overlaps(candidate, e)), key=lambda e: (e.start, e.end))
