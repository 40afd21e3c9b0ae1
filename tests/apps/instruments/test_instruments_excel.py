"""Excel in/out of the instrument register (issue 18): export → import round trip through the register
service, a bad row refused naming file, row and column with nothing stored, sheet 共享情况 from the sharing
table with the 合计 ratio recomputed from the summed hours, and the staff download on the catalogue."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from lanbai.cli.main import app

runner = CliRunner()
FIELDS = ("name", "model_number", "manufacturer", "original_value", "classification_code", "sharing_mode",
          "status", "fee_basis", "fee_rate", "fee_minimum", "location", "requires_approval", "owner_unit_id")


@pytest.fixture
def demo(shipped_plan_in_db):
    from lanbai.instruments.demo import instruments_demo

    return instruments_demo(seed=3)


def _snapshot(qs):
    return sorted(tuple(str(getattr(i, f)) for f in FIELDS) for i in qs)


def test_export_then_import_registers_the_same_instruments(demo, tmp_path):
    from lanbai.access.policy import OPERATOR
    from lanbai.instruments import selectors
    from lanbai.instruments.models import Instrument

    out = tmp_path / "instruments.xlsx"
    res = runner.invoke(app, ["instruments", "export", str(out), "--year", "2019"])
    assert res.exit_code == 0, res.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["大型科研仪器", "共享情况"]
    register = list(wb["大型科研仪器"].iter_rows(values_only=True))
    assert register[0][:6] == ("所属单位代码", "仪器名称", "规格型号", "生产厂商", "原值（万元）", "分类编码")
    assert len(register) == 1 + Instrument.objects.count() == 5

    sharing = list(wb["共享情况"].iter_rows(values_only=True))
    assert sharing[0] == ("仪器名称", "所属单位", "有效工作机时（小时）", "对外服务机时（小时）", "共享率")
    table = selectors.sharing_table(user=OPERATOR, year=2019)
    assert [list(r) for r in sharing[1:-1]] == [
        [t["instrument"], t["owner_unit"], t["effective_hours"], t["external_hours"], t["sharing_rate"]]
        for t in table
    ]
    total = sharing[-1]
    effective = sum(t["effective_hours"] for t in table)
    external = sum(t["external_hours"] for t in table)
    assert total[0] == "合计（2019 年）" and total[2] == pytest.approx(effective)
    assert total[4] == pytest.approx(round(external / effective, 4))
    assert total[4] != pytest.approx(sum(t["sharing_rate"] for t in table) / len(table))  # not a mean of ratios

    before = _snapshot(Instrument.objects.all())
    res = runner.invoke(app, ["instruments", "import", str(out)])
    assert res.exit_code == 0, res.output
    assert "已登记 4 台" in res.output
    assert _snapshot(Instrument.objects.order_by("id")[4:]) == before


def test_import_refuses_a_bad_row_naming_file_row_and_column(demo, tmp_path):
    from lanbai.common.exceptions import ValidationFailed
    from lanbai.instruments.models import Instrument
    from lanbai.instruments.services import instrument_import_file

    out = tmp_path / "register.xlsx"
    assert runner.invoke(app, ["instruments", "export", str(out)]).exit_code == 0
    wb = load_workbook(out)
    ws = wb["大型科研仪器"]
    ws["E3"] = 49.5  # 原值（万元） of the second instrument: below 50 万元
    ws["A4"] = "nowhere"  # 所属单位代码 of the third
    wb.save(out)
    count = Instrument.objects.count()
    res = runner.invoke(app, ["instruments", "import", str(out)])
    assert res.exit_code == 1
    assert "register.xlsx 第 3 行 原值（万元）" in res.output and "50 万元" in res.output
    assert "register.xlsx 第 4 行 所属单位代码" in res.output
    assert Instrument.objects.count() == count  # the good rows were not stored either
    with pytest.raises(ValidationFailed) as e:
        instrument_import_file(user=None, path=out)
    assert [(x["row"], x["field"]) for x in e.value.extra["errors"]] == [(3, "original_value"), (4, "owner_unit")]


def test_import_rejects_a_sheet_without_the_register_columns(shipped_plan_in_db, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["仪器名称", "规格型号"])
    wb.active.append(["电镜", "X"])
    wb.save(tmp_path / "short.xlsx")
    res = runner.invoke(app, ["instruments", "import", str(tmp_path / "short.xlsx")])
    assert res.exit_code == 1 and "short.xlsx" in res.output and "原值（万元）" in res.output
    (tmp_path / "notes.xlsx").write_text("not a workbook")
    res = runner.invoke(app, ["instruments", "import", str(tmp_path / "notes.xlsx")])
    assert res.exit_code == 1 and "notes.xlsx：无法读取 Excel 文件" in res.output


def test_staff_download_from_the_catalogue(demo, client, make_user):
    owner = make_user("xl_owner", "zone_reporter", "lzgx")
    reviewer = make_user("xl_reviewer", "zone_reviewer", "lzgx")
    client.force_login(owner)
    assert 'href="/instruments/export.xlsx"' in client.get("/instruments/").content.decode()
    resp = client.get("/instruments/export.xlsx?year=2020")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxml")
    wb = load_workbook(io.BytesIO(resp.content))
    units = {r[0] for r in wb["大型科研仪器"].iter_rows(min_row=2, values_only=True)}
    assert units == {"lzgx"}  # only what the owner's role may read
    assert wb["共享情况"].cell(row=wb["共享情况"].max_row, column=1).value == "合计（2020 年）"
    client.force_login(reviewer)
    assert 'export.xlsx' not in client.get("/instruments/").content.decode()
    assert client.get("/instruments/export.xlsx").status_code == 403
