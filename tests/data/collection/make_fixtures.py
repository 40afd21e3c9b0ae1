"""Regenerate the LibreOffice-written fixtures (needs LibreOffice; tests do not).

    .venv/bin/python tests/data/collection/make_fixtures.py

Writes a template with lanbai, fills it with openpyxl, and lets LibreOffice Calc re-save it as
xlsx (``soffice --headless --convert-to xlsx``), so the fixtures are files LibreOffice wrote.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import openpyxl

from lanbai.core.collection import default_forms_dir, load_forms, write_template

HERE = Path(__file__).resolve().parent
ROWS = [
    [
        "914403001922038216",
        "兰州示例科技有限公司",
        "信息技术产业",
        "战略性新兴产业",
        "是",
        "GR201862000123",
        "2020-10-31",
        1234.5,
        800,
        200.25,
        35,
        60.5,
        120,
        30,
        88.8,
        12,
        5,
        3,
        15.5,
        300,
        8,
    ],
    [
        "91110108551385082Q",
        "白银示例化工有限公司",
        "化工产业",
        "传统产业",
        "否",
        None,
        None,
        5000,
        4800,
        1200,
        300,
        -15,
        450,
        20,
        60,
        3,
        2,
        1,
        0,
        0,
        12,
    ],
    [
        "91350100M000100Y43",
        "=危险名称",
        "新材料产业",
        "战略性新兴产业",
        "否",
        None,
        None,
        10,
        None,
        None,
        None,
        None,
        5,
        0,
        None,
        None,
        None,
        None,
        None,
        None,
        0,
    ],
]


def build(formula: bool) -> bytes:
    forms = load_forms(default_forms_dir())
    form = forms["兰白统Q2表"]
    data = write_template(form, period="2018Q2", unit_code="lzgx", unit_name="兰州高新区", blank_rows=5)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[form.code]
    for i, row in enumerate(ROWS):
        for j, v in enumerate(row, start=1):
            if j == 2 and isinstance(v, str) and v.startswith("="):
                v = "'" + v  # stays text (neutralised)
            ws.cell(6 + i, j, v)
    if formula:
        ws["H7"] = "=4000+1000"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def via_libreoffice(data: bytes, name: str) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed to regenerate the fixtures")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in" / name
        src.parent.mkdir()
        src.write_bytes(data)
        out = Path(tmp) / "out"
        subprocess.run(
            [
                soffice,
                "--headless",
                f"-env:UserInstallation=file://{tmp}/profile",
                "--convert-to",
                "xlsx:Calc MS Excel 2007 XML",
                "--outdir",
                str(out),
                str(src),
            ],
            check=True,
            timeout=180,
        )
        (HERE / name).write_bytes((out / name).read_bytes())


if __name__ == "__main__":
    via_libreoffice(build(formula=False), "lo_enterprise_2018Q2.xlsx")
    via_libreoffice(build(formula=True), "lo_enterprise_2018Q2_formula.xlsx")
    print("written:", *sorted(p.name for p in HERE.glob("lo_*.xlsx")))
