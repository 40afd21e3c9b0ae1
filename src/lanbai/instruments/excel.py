"""The instrument register as an Excel workbook (the national platform's fields) and its annual sharing.

Sheet 大型科研仪器 (one instrument a row; the import reads it) and sheet 共享情况 (有效工作机时, 对外服务机时,
共享率 per instrument for a year, and a 合计 row whose 共享率 is recomputed from the summed hours).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lanbai.common.workbook import add_sheet, new_workbook, read_sheet
from lanbai.core.instruments import SharingFigures

# field -> column header; the import reads these, the export writes them (plus 所属单位, the unit's name)
COLUMNS = [
    ("owner_unit", "所属单位代码"),
    ("name", "仪器名称"),
    ("model_number", "规格型号"),
    ("manufacturer", "生产厂商"),
    ("original_value", "原值（万元）"),
    ("classification_code", "分类编码"),
    ("sharing_mode", "共享模式"),
    ("status", "状态"),
    ("fee_basis", "计费方式"),
    ("fee_rate", "收费单价（元）"),
    ("fee_minimum", "最低收费（元）"),
    ("location", "安放地址"),
    ("requires_approval", "预约需审批"),
]
REQUIRED = ("owner_unit", "name", "model_number", "manufacturer", "original_value", "classification_code",
            "fee_rate")
HEADER = dict(COLUMNS)
EXTRA_COLUMNS = [("owner_unit_name", "所属单位")]
BASIS_LABELS = {"per_hour": "按机时", "per_sample": "按样品"}
SHARING_HEADER = ("仪器名称", "所属单位", "有效工作机时（小时）", "对外服务机时（小时）", "共享率")
REGISTER_SHEET = "大型科研仪器"
SHARING_SHEET = "共享情况"
YES, NO = "是", "否"
UNDEFINED = "—"  # 共享率 without effective hours


def column_of(field: str) -> str:
    return HEADER.get(field, field)


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Rows of the register sheet as field dicts for ``instrument_register`` (计费方式 by label or code,
    预约需审批 是/否; blank 共享模式 / 状态 / 计费方式 take the register's defaults)."""
    codes = {label: code for code, label in BASIS_LABELS.items()}
    rows = read_sheet(path, COLUMNS, required=REQUIRED)
    for row in rows:
        for f in ("sharing_mode", "status", "fee_basis", "requires_approval", "fee_minimum"):
            if row.get(f) == "":
                row.pop(f)
        if "fee_basis" in row:
            row["fee_basis"] = codes.get(str(row["fee_basis"]), str(row["fee_basis"]))
        if "requires_approval" in row:
            row["requires_approval"] = row["requires_approval"] not in (NO, False, 0, "0", "false", "False")
        for f in ("classification_code", "owner_unit"):
            if isinstance(row.get(f), int | float) and not isinstance(row.get(f), bool):
                row[f] = f"{int(row[f]):06d}" if f == "classification_code" else str(int(row[f]))
    return rows


def write_workbook(path: Path, instruments: list, sharing_rows: list[dict[str, Any]], year: int) -> Path:
    wb = new_workbook()
    add_sheet(wb, REGISTER_SHEET, [label for _, label in COLUMNS + EXTRA_COLUMNS], (
        [i.owner_unit.code, i.name, i.model_number, i.manufacturer, float(i.original_value),
         i.classification_code, i.sharing_mode, i.status, BASIS_LABELS.get(i.fee_basis, i.fee_basis),
         float(i.fee_rate), float(i.fee_minimum), i.location, YES if i.requires_approval else NO,
         i.owner_unit.name]
        for i in instruments
    ))
    ws = add_sheet(wb, SHARING_SHEET, SHARING_HEADER, (
        [r["instrument"], r["owner_unit"], r["effective_hours"], r["external_hours"],
         UNDEFINED if r["sharing_rate"] is None else r["sharing_rate"]]
        for r in sharing_rows
    ))
    total = SharingFigures(
        round(sum(r["effective_hours"] for r in sharing_rows), 1),
        round(sum(r["external_hours"] for r in sharing_rows), 1),
    )
    rate = total.sharing_rate
    ws.append([f"合计（{year} 年）", "", total.effective_hours, total.external_hours,
               UNDEFINED if rate is None else round(rate, 4)])
    for (cell,) in ws.iter_rows(min_row=2, min_col=5, max_col=5):
        cell.number_format = "0.0%"
    wb.save(path)
    return path
