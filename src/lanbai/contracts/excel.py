"""The register as an Excel sheet: one header row of Chinese column names, one contract per row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from lanbai.common.workbook import read_sheet

# field -> column header (the import reads these; the export writes them and the register's own columns)
COLUMNS = [
    ("title", "项目名称"),
    ("contract_type", "合同类型"),
    ("signed_on", "签订日期"),
    ("valid_until", "合同有效期至"),
    ("seller_name", "卖方名称"),
    ("seller_credit_code", "卖方统一社会信用代码"),
    ("seller_region", "卖方行政区划代码"),
    ("seller_zone", "卖方所在园区"),
    ("buyer_name", "买方名称"),
    ("buyer_credit_code", "买方统一社会信用代码"),
    ("buyer_region", "买方行政区划代码"),
    ("buyer_zone", "买方所在园区"),
    ("amount", "成交金额（万元）"),
    ("equipment_cost", "设备仪器费用（万元）"),
    ("materials_cost", "零部件原材料费用（万元）"),
    ("other_non_tech_cost", "其他非技术性费用（万元）"),
    ("supplement_of", "补充合同所属原合同登记编号"),
]
HEADER = dict(COLUMNS)
REGISTER_COLUMNS = [("registration_number", "登记编号"), ("status", "状态"), ("registered_on", "登记日期"),
                    ("tech_amount", "技术交易额（万元）"), ("refusal_ground", "不予登记理由")]


def column_of(field: str) -> str:
    return HEADER.get(field, field)


def read_rows(path: Path, *, type_codes: dict[str, str]) -> list[dict[str, Any]]:
    """Rows of the first sheet as field dicts (``_line``: the Excel row); contract types by label or code."""
    required = [f for f, _ in COLUMNS[:13] if f not in ("valid_until", "buyer_zone")]
    rows = read_sheet(path, COLUMNS, required=required)
    for row in rows:
        if row.get("contract_type") not in (None, ""):
            text = str(row["contract_type"]).strip()
            row["contract_type"] = type_codes.get(text, text)
    return rows


def write_rows(path: Path, contracts: list) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "技术合同登记"
    ws.append([label for _, label in COLUMNS + REGISTER_COLUMNS])
    for c in contracts:
        ws.append([
            c.title, c.get_contract_type_display(), c.signed_on, c.valid_until, c.seller_name, c.seller_credit_code,
            c.seller_region, c.seller_zone.code, c.buyer_name, c.buyer_credit_code, c.buyer_region,
            c.buyer_zone.code if c.buyer_zone else "", float(c.amount), float(c.equipment_cost),
            float(c.materials_cost), float(c.other_non_tech_cost),
            c.supplement_of.registration_number if c.supplement_of else "",
            c.registration_number or "", c.get_status_display(), c.registered_on, float(c.tech_amount),
            c.get_refusal_ground_display() if c.refusal_ground else "",
        ])
    wb.save(path)
    return path
