"""The register as an Excel sheet: one header row of Chinese column names, one contract per row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from lanbai.common.exceptions import ValidationFailed

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
    try:
        ws = load_workbook(path, read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationFailed(f"无法读取 Excel 文件：{exc} / cannot read the workbook", field="file") from None
    it = ws.iter_rows(values_only=True)
    header = [str(c or "").strip() for c in next(it, ())]
    by_label = {label: field for field, label in COLUMNS}
    fields = [by_label.get(h) for h in header]
    missing = [label for field, label in COLUMNS[:13] if field not in fields and field != "valid_until"]
    missing = [m for m in missing if by_label[m] not in ("buyer_zone",)]
    if missing:
        raise ValidationFailed(f"缺少列：{'、'.join(missing)} / missing columns", field="header")
    rows = []
    for line, values in enumerate(it, start=2):
        if not any(v not in (None, "") for v in values):
            continue
        row: dict[str, Any] = {"_line": line}
        for field, value in zip(fields, values, strict=False):
            if field is None:
                continue
            if isinstance(value, dt.datetime):
                value = value.date()
            if field == "contract_type" and value is not None:
                value = type_codes.get(str(value).strip(), str(value).strip())
            row[field] = "" if value is None else value
        rows.append(row)
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
