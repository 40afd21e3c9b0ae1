"""``lanbai measures``: list, the Excel template and its all-or-nothing import."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from lanbai.cli.main import app

pytestmark = pytest.mark.django_db
runner = CliRunner()


def _filled(tmp_path, edits: dict[int, list]):
    res = runner.invoke(app, ["measures", "template", str(tmp_path / "t.xlsx"), "--unit", "科技组",
                              "--period", "2019Q2"])
    assert res.exit_code == 0, res.output
    wb = load_workbook(tmp_path / "t.xlsx")
    ws = wb.active
    assert ws["B1"].value == "wg_science" and ws["B2"].value == "2019Q2"
    for row, values in edits.items():
        for col, v in enumerate(values, start=2):
            ws.cell(row=row, column=col, value=v)
    buf = io.BytesIO()
    wb.save(buf)
    (tmp_path / "f.xlsx").write_bytes(buf.getvalue())
    return tmp_path / "f.xlsx", [ws.cell(row=r, column=1).value for r in sorted(edits)]


def test_list_json_names_units_and_status(measures):
    res = runner.invoke(app, ["measures", "list", "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert len(rows) == 18 + measures["measures"] and all(r["lead_name"] and "status" in r for r in rows)
    res = runner.invoke(app, ["measures", "list", "--unit", "人才组", "--status", "未启动"])
    assert res.exit_code == 0 and "人才组" in res.output
    assert runner.invoke(app, ["measures", "list", "--unit", "无此单位"]).exit_code == 1


def test_import_all_or_nothing_with_row_and_column(measures, tmp_path):
    from lanbai.execution import selectors

    path, codes = _filled(tmp_path, {5: ["推进中", 30, "进展顺利"], 6: ["滞后", "", "", ""], 7: ["很好", 20]})
    res = runner.invoke(app, ["measures", "report", str(path)])
    assert res.exit_code == 1
    assert "第6行E列（滞后原因）" in res.output and "第7行B列（进展状态）" in res.output
    assert selectors.report_queryset().count() == 0  # nothing kept
    path, codes = _filled(tmp_path, {5: ["推进中", 30, "进展顺利"], 6: ["滞后", "", "", "资金未到位"]})
    res = runner.invoke(app, ["measures", "report", str(path)])
    assert res.exit_code == 0, res.output
    reports = {r.measure.code: r for r in selectors.report_queryset()}
    assert set(reports) == set(codes) and {r.state for r in reports.values()} == {"submitted"}
    res = runner.invoke(app, ["measures", "inspection", "--period", "2019Q2", "--json"])
    assert json.loads(res.output)["period"] == "2019Q2"
