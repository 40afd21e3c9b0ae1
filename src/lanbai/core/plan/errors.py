"""Errors raised when a plan file is refused."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlanIssue:
    """One reason a plan is refused: the file, the path inside it, the rule broken and a message."""

    file: str
    path: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: [{self.rule}] {self.message}"


class PlanError(Exception):
    """The plan data is invalid; nothing was loaded.  ``issues`` lists every problem found."""

    def __init__(self, issues: list[PlanIssue]):
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))
