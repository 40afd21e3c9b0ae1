"""The pools as an Excel workbook: sheet 项目库 (one project a row; the import reads it as 储备项目) and
sheet 人才库 (one person a row, what the reader's role may see).

The talent sheet carries nothing of the 身份证号: neither the number, nor its masked form (which keeps its
first and last four digits), nor the keyed fingerprint, nor the birth year (digits 7-10 of the number).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lanbai.common.workbook import add_sheet, new_workbook, read_sheet

# field -> column header; the import reads these, the export writes them (plus the unit's name and 阶段)
PROJECT_COLUMNS = [
    ("unit", "申报单位代码"),
    ("title", "项目名称"),
    ("field", "领域"),
    ("budget_wan", "预算（万元）"),
    ("expected_outputs", "预期成果"),
    ("responsible_person", "负责人"),
    ("cluster", "产业集群（附件4）"),
]
PROJECT_REQUIRED = ("unit", "title", "field", "budget_wan", "responsible_person")
PROJECT_EXTRA = ("申报单位", "阶段")
HEADER = dict(PROJECT_COLUMNS)
TALENT_HEADER = ("姓名", "性别", "领域", "职称", "所在单位代码", "所在单位", "同意书版本", "同意时间", "状态")
PROJECT_SHEET, TALENT_SHEET = "项目库", "人才库"


def column_of(field: str) -> str:
    return HEADER.get(field, field)


def read_projects(path: Path) -> list[dict[str, Any]]:
    """Rows of the project sheet (the first) as field dicts for ``project_propose``."""
    rows = read_sheet(path, PROJECT_COLUMNS, required=PROJECT_REQUIRED)
    for row in rows:
        for f in ("unit", "title", "field", "expected_outputs", "responsible_person", "cluster"):
            if f in row and not isinstance(row[f], str):
                row[f] = str(row[f])
    return rows


def write_workbook(path: Any, projects: list, talents: list, *, stage_labels: dict[str, str]) -> Any:
    wb = new_workbook()
    add_sheet(wb, PROJECT_SHEET, [label for _, label in PROJECT_COLUMNS] + list(PROJECT_EXTRA), (
        [p.unit.code, p.title, p.field, float(p.budget_wan), p.expected_outputs, p.responsible_person,
         p.cluster, p.unit.name, stage_labels.get(p.stage, p.stage)]
        for p in projects
    ))
    add_sheet(wb, TALENT_SHEET, TALENT_HEADER, (
        [t.name, t.gender, t.fields, t.title, t.unit.code, t.unit.name, t.consent_version,
         t.consent_at.date() if t.consent_at else None, "已撤回同意" if t.withdrawn_at else "在库"]
        for t in talents
    ))
    wb.save(path)
    return path
