"""Checking the plan's formulas at load time and building a :class:`FormulaSet` from a plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..plan.errors import PlanError, PlanIssue
from .compile import FieldSpec, FormulaSet, FormulaSpec, check_formulas, compile_formulas

if TYPE_CHECKING:
    from ..plan.schema import Plan


def field_specs(plan: Plan) -> dict[str, FieldSpec]:
    """The plan's field catalogue as the formula language sees it."""
    return {
        f.code: FieldSpec(f.code, f.label, f.unit, f.level, f.nature, f.type, tuple(f.choices))
        for f in plan.fields
    }


def formula_specs(plan: Plan) -> list[FormulaSpec]:
    names = {i.code: i.name for i in plan.indicators}
    out = []
    for f in plan.formulas:
        label = f.label or names.get(f.indicator)
        out.append(FormulaSpec(f.indicator, f.expr, f.unit, f.category, label))
    return out


def plan_formulas(plan: Plan) -> FormulaSet:
    """Compile the formulas of a loaded plan (they were checked by ``load_plan``)."""
    return compile_formulas(formula_specs(plan), field_specs(plan))


def check_plan_formulas(plan: Plan) -> list[PlanIssue]:
    """Duplicate fields, formulas of unknown indicators and every formula error, as plan issues."""
    issues: list[PlanIssue] = []

    def where(section: str, index: int, attr: str) -> tuple[str, str]:
        file, _, path = plan.origin(section, index).partition(":")
        return file, f"{path}.{attr}"

    seen: dict[str, int] = {}
    for i, f in enumerate(plan.fields):
        if f.code in seen:
            issues.append(
                PlanIssue(
                    *where("fields", i, "code"),
                    "duplicate-code",
                    f"code {f.code!r} is already used at {plan.origin('fields', seen[f.code])}",
                )
            )
        seen.setdefault(f.code, i)
    inds = {i.code for i in plan.indicators}
    index: dict[str, int] = {}
    for i, fd in enumerate(plan.formulas):
        key = fd.indicator if fd.category == "total" else f"{fd.indicator}.{fd.category}"
        index.setdefault(key, i)
        if fd.indicator not in inds:
            issues.append(
                PlanIssue(
                    *where("formulas", i, "indicator"),
                    "unknown-reference",
                    f"unknown indicator {fd.indicator!r}",
                )
            )
    for err in check_formulas(formula_specs(plan), field_specs(plan)):
        i = index.get(err.formula or "", 0)
        message = f"公式 {err.formula} 第{err.column}列 / column {err.column}: {err.message} — {err.text!r}"
        issues.append(PlanIssue(*where("formulas", i, "expr"), err.rule, message))
    return issues


__all__ = ["PlanError", "check_plan_formulas", "field_specs", "formula_specs", "plan_formulas"]
