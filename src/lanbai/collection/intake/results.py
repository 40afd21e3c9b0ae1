"""What became of an upload: :class:`ImportResult`, the database-level problem rules, the error table."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lanbai.core.collection import Problem
from lanbai.core.collection.problems import make_problem, without_code

from ..choices import UploadOutcome
from ..models import Upload

if TYPE_CHECKING:
    from lanbai.plans.models import OrgUnit

# Problems only the database can find (the pure engine's rule codes are in lanbai.core.collection.RULES).
APP_RULES: dict[str, tuple[str, str]] = {
    "unit.unknown": ("填报单位不存在", "unknown reporting unit"),
    "unit.not_zone": ("填报单位不是园区", "the reporting unit is not a zone"),
    "permission.denied": ("无权为该单位填报", "not allowed to report for this unit"),
    "period.locked": ("报告期已锁定", "the period is locked"),
    "period.future": ("报告期尚未结束，不能填报", "the period has not ended yet: it cannot be reported"),
    "period.outside": ("不在本表的报告期范围内", "not a reporting period of this form"),
    "enterprise.unknown": ("企业未在平台登记", "the enterprise is not registered"),
    "enterprise.other_zone": ("企业不属于本园区", "the enterprise belongs to another zone"),
    "enterprise.not_self": ("企业只能填报本企业的报表", "an enterprise reports for itself only"),
    "submission.under_review": ("报表已上报或已审核，不能修改", "the report is under review or approved"),
    "input.missing": ("缺少报表、报告期或单位", "form, period or unit not given"),
}


def app_problem(
    rule: str,
    *,
    file: str,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    field: str | None = None,
    value: Any = None,
    detail_zh: str = "",
    detail_en: str = "",
) -> Problem:
    """A :class:`Problem` of a rule in :data:`APP_RULES`, worded by the engine's own builder."""
    return make_problem(
        rule,
        file=file,
        sheet=sheet,
        row=row,
        column=column,
        field=field,
        value=value,
        detail_zh=detail_zh,
        detail_en=detail_en,
        rules=APP_RULES,
    )


@dataclass
class ImportResult:
    """What became of one upload."""

    upload: Upload
    outcome: str
    problems: list[Problem] = field(default_factory=list)
    message: str = ""
    form_code: str | None = None
    period: str | None = None
    unit: OrgUnit | None = None  # the reporting unit, once known
    submissions: int = 0  # reports created or given a new version
    unchanged: int = 0  # reports whose figures equal the current version
    rows: int = 0
    warnings: list[Problem] = field(default_factory=list)  # soft rules broken (accepted; explain at 上报)

    @property
    def accepted(self) -> bool:
        return self.outcome in (UploadOutcome.ACCEPTED, UploadOutcome.DUPLICATE, UploadOutcome.VALIDATED)


def finish(result: ImportResult, *, outcome: str, message: str) -> ImportResult:
    """Record the outcome (and the problems) on the upload."""
    up = result.upload
    up.outcome = outcome
    up.problems = [p.to_dict() for p in result.problems]
    up.message = message
    up.form_code = result.form_code or ""
    up.period = result.period or ""
    up.save(update_fields=["outcome", "problems", "message", "form_code", "period"])
    result.outcome, result.message = outcome, message
    return result


def refuse(result: ImportResult, problem: Problem | None = None) -> ImportResult:
    """Mark the upload refused with its problems (and ``problem``): nothing else is written."""
    if problem is not None:
        result.problems.append(problem)
    n = len(result.problems)
    return finish(
        result,
        outcome=UploadOutcome.REFUSED,
        message=f"文件被拒绝：发现 {n} 个问题，未导入任何数据 / refused: {n} problem(s); nothing was imported",
    )


def problems_table(problems: list[Problem] | list[dict], *, lang: str = "zh") -> list[dict[str, Any]]:
    """Rows for an error report: file, sheet, row, column, field, rule, value, message (without the
    trailing rule code: the rule has its own column)."""
    out = []
    for p in problems:
        d = p if isinstance(p, dict) else p.to_dict()
        out.append(
            {k: d.get(k) for k in ("file", "sheet", "row", "column", "field", "rule", "value")}
            | {"message": without_code(d.get("message_en" if lang == "en" else "message_zh") or "", d.get("rule"))}
        )
    return out
