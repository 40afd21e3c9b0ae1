"""Templates: a real 批准文号 from the forms data, no placeholders, signature cells the reporter can fill."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from lanbai.core.collection import default_forms_dir, load_forms, read_workbook, write_template


@pytest.fixture(scope="module")
def forms():
    return load_forms(default_forms_dir())


def test_shipped_forms_carry_an_approval_number_without_placeholder(forms):
    for form in forms.values():
        assert form.approval_no.startswith("甘统制〔2016〕") and "XX" not in form.approval_no
        assert form.approval_no.endswith("号（模拟）")


def test_a_placeholder_approval_number_is_refused(forms):
    from pydantic import ValidationError

    form = next(iter(forms.values()))
    data = form.model_dump() | {"approval_no": "甘统制〔2016〕XX号"}
    with pytest.raises(ValidationError, match="placeholder"):
        type(form).model_validate(data)


def test_signature_and_date_cells_are_editable_and_ignored_on_import(forms):
    form = forms["兰白统Q1表"]
    data = write_template(form, period="2018Q2", unit_code="lzxq", unit_name="兰州新区")
    wb = load_workbook(io.BytesIO(data))
    ws = wb[form.code]
    foot = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value or "").startswith("单位负责人"))
    labels = [ws.cell(foot, c).value for c in (1, 3, 5, 7)]
    assert labels == ["单位负责人：", "统计负责人：", "填表人：", "报出日期："]
    for c in (2, 4, 6, 8):
        assert ws.cell(foot, c).protection.locked is False
    assert ws.cell(foot, 1).protection.locked is not False  # the label stays locked
    assert ws.protection.sheet
    ws.cell(foot, 2, "张三")
    ws.cell(foot, 8, "2018-07-10")
    for j, f in enumerate(form.fields, start=1):
        if f.required:
            ws.cell(foot - 2, j, 1)
    out = io.BytesIO()
    wb.save(out)
    parsed = read_workbook(out.getvalue(), filename="signed.xlsx", forms=forms)
    assert not [p for p in parsed.problems if p.row == foot], parsed.problems
