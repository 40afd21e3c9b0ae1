"""The Excel template of a unit's half-year report on its measures, and reading it back.

Layout: B1 责任单位 code, B2 报告期 (e.g. 2019Q2), row 4 the headers, one measure per row from row 5:
举措代码 | 进展状态 | 完成比例（%） | 进展情况 | 滞后原因.  Reading returns rows with ``where`` (第N行) and the
column letter of every field, so the import's errors name row and column.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook, load_workbook

from lanbai.common.exceptions import ValidationFailed
from lanbai.core.periods import Quarter

HEADERS = (("measure", "举措代码"), ("status", "进展状态"), ("pct", "完成比例（%）"),
           ("narrative", "进展情况"), ("late_reason", "滞后原因"))
COLUMNS = {f: f"{chr(ord('A') + i)}列（{label}）" for i, (f, label) in enumerate(HEADERS)}
FIRST_ROW = 5


def template_write(*, unit_code: str, unit_name: str, period: str, measures: list[tuple[str, str]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "举措进展"
    ws.append(["责任单位", unit_code, unit_name])
    ws.append(["报告期", period, "上半年" if period.endswith("Q2") else "全年"])
    ws.append([])
    ws.append([label for _, label in HEADERS] + ["举措名称（参考）"])
    for code, title in measures:
        ws.append([code, "", "", "", "", title])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_read(content: bytes) -> tuple[str, Quarter, list[dict[str, Any]]]:
    """(unit code, period, rows) of a filled template; ValidationFailed naming the cell when unreadable."""
    try:
        ws = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        cells = [list(r) for r in ws.iter_rows(values_only=True)]
    except Exception as exc:  # openpyxl raises many kinds for a file that is not xlsx
        raise ValidationFailed(f"无法读取 Excel 文件：{exc} / not an xlsx file", field="file") from exc
    if len(cells) < 2 or not cells[0] or not cells[0][1]:
        raise ValidationFailed("第1行B列（责任单位）为空 / B1 (unit) is empty", field="unit")
    unit = str(cells[0][1]).strip()
    try:
        period = Quarter.parse(str(cells[1][1] if len(cells[1]) > 1 else "").strip())
    except ValueError as exc:
        raise ValidationFailed(f"第2行B列（报告期）：{exc}", field="period") from exc
    rows = []
    for n, row in enumerate(cells[FIRST_ROW - 1:], start=FIRST_ROW):
        values = dict(zip([f for f, _ in HEADERS], list(row) + [None] * len(HEADERS), strict=False))
        if not any(values[f] not in (None, "") for f in ("status", "pct", "narrative", "late_reason")):
            continue  # a template row left empty
        rows.append({**values, "where": f"第{n}行", "columns": COLUMNS})
    if not rows:
        raise ValidationFailed("没有填写任何举措 / no measure filled in", field="file")
    return unit, period, rows
