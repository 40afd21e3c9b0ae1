"""The error raised for a formula that cannot be parsed or checked."""

from __future__ import annotations


class FormulaError(ValueError):
    """A formula is refused.  ``position`` is the 0-based offset of the offending node in ``text``;
    ``column`` is the 1-based column shown to people; ``rule`` is a short machine-readable name."""

    def __init__(self, text: str, position: int, rule: str, message: str, *, formula: str | None = None):
        self.text = text
        self.position = position
        self.rule = rule
        self.message = message
        self.formula = formula
        super().__init__(self.describe())

    @property
    def column(self) -> int:
        return self.position + 1

    def describe(self) -> str:
        who = f"公式 {self.formula}: " if self.formula else ""
        return f"{who}{self.message}（第{self.column}列 / column {self.column}）\n    {self.text}\n    {' ' * self.position}^"

    def with_formula(self, formula: str) -> FormulaError:
        return FormulaError(self.text, self.position, self.rule, self.message, formula=formula)
