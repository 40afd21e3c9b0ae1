"""The 创新券 report as an Excel sheet: one row per zone and scheme, amounts in 万元, and a 合计 row."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lanbai.common.workbook import add_sheet, new_workbook

# report key -> column header
COLUMNS = [
    ("zone", "园区"),
    ("scheme", "券种"),
    ("issued_n", "发放张数"),
    ("issued", "发放金额（万元）"),
    ("used", "已使用（万元）"),
    ("redeemed", "已兑付（万元）"),
    ("expired_n", "过期张数"),
    ("clawed_back_n", "追回张数"),
]
MONEY = ("issued", "used", "redeemed")


def _cell(key: str, value: Any) -> Any:
    return float(Decimal(value).quantize(Decimal("0.0001"))) if key in MONEY else value


def write_report(path: Any, rows: list[dict[str, Any]], year: int | None) -> Any:
    wb = new_workbook()
    title = f"创新券 {year} 年" if year else "创新券"
    totals = {k: sum((r[k] for r in rows), Decimal(0) if k in MONEY else 0) for k, _ in COLUMNS[2:]}
    ws = add_sheet(wb, title, [label for _, label in COLUMNS], (
        [_cell(k, r[k]) for k, _ in COLUMNS] for r in rows
    ))
    ws.append(["合计", ""] + [_cell(k, totals[k]) for k, _ in COLUMNS[2:]])
    money_cols = [i + 1 for i, (k, _) in enumerate(COLUMNS) if k in MONEY]
    for row in ws.iter_rows(min_row=2):
        for c in money_cols:
            row[c - 1].number_format = "0.0000"
    wb.save(path)
    return path
