"""Helpers for the collection core tests: constants and workbook editing (imported by the tests)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl

from lanbai.core.collection import write_template

DATA = Path(__file__).resolve().parents[2] / "data" / "collection"
ENT = "兰白统Q2表"
ZONE = "兰白统Q1表"

GOOD_ROW = {
    "credit_code": "914403001922038216",
    "enterprise_name": "兰州示例科技有限公司",
    "industry": "information_technology",
    "category": "emerging",
    "high_tech": False,
    "revenue": 1234.5,
    "output_value": 800,
    "industrial_va": 200,
    "employees": 120,
    "rd_staff": 30,
}


def template(
    form, rows=None, *, period="2018Q2", unit_code="lzgx", unit_name="兰州高新区", blank_rows=None
) -> bytes:
    return write_template(
        form, period=period, unit_code=unit_code, unit_name=unit_name, rows=rows, blank_rows=blank_rows
    )


def edit(data: bytes, cells: dict[str, Any] | None = None, *, sheet: str | None = None, fn=None) -> bytes:
    """Open an xlsx with openpyxl, set ``cells`` (A1 refs) on ``sheet`` (the first), apply ``fn(wb)``, save."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[sheet] if sheet else wb.worksheets[0]
    for ref, value in (cells or {}).items():
        ws[ref] = value
    if fn is not None:
        fn(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
