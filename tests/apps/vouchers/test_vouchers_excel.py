"""``lanbai vouchers report --xlsx`` (issue 18): the report's rows by zone and scheme, amounts in 万元, a 合计
row of the summed columns; staff only, as the report itself."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner
from voucher_helpers import vcode

from lanbai.cli.main import app


@pytest.fixture
def demo(shipped_plan_in_db):
    from lanbai.collection.services import enterprise_register
    from lanbai.plans.models import OrgUnit
    from lanbai.vouchers.demo import vouchers_demo_run

    gx = OrgUnit.objects.get(code="lzgx")
    for i in range(5):
        enterprise_register(user=None, zone=gx, credit_code=vcode(20 + i), name=f"模拟{i}", simulated=True)
    vouchers_demo_run()


def test_report_xlsx_holds_the_report_and_its_totals(demo, tmp_path):
    from lanbai.vouchers.selectors import report

    out = tmp_path / "vouchers.xlsx"
    res = CliRunner().invoke(app, ["vouchers", "report", "--year", "2019", "--xlsx", str(out)])
    assert res.exit_code == 0, res.output
    ws = load_workbook(out).worksheets[0]
    assert ws.title == "创新券 2019 年"
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("园区", "券种", "发放张数", "发放金额（万元）", "已使用（万元）", "已兑付（万元）", "过期张数",
                       "追回张数")
    expected = report(user=None, year=2019)
    keys = ("zone", "scheme", "issued_n", "issued", "used", "redeemed", "expired_n", "clawed_back_n")
    assert len(rows) == 1 + len(expected) + 1
    for got, want in zip(rows[1:-1], expected, strict=True):
        assert got == tuple(float(want[k]) if isinstance(want[k], Decimal) else want[k] for k in keys)
    total = rows[-1]
    assert total[0] == "合计"
    assert total[2] == sum(r["issued_n"] for r in expected) == 3
    assert total[6] == 1 and total[7] == 1  # one expired, one clawed back
    assert Decimal(str(total[3])) == sum(r["issued"] for r in expected)
    assert Decimal(str(total[5])) == sum(r["redeemed"] for r in expected) > 0
    assert ws.cell(row=2, column=4).number_format == "0.0000"


def test_report_xlsx_is_staff_only(demo, tmp_path, make_user):
    from lanbai.common.exceptions import PermissionDeniedError
    from lanbai.vouchers.selectors import report_workbook

    reporter = make_user("xl_ent", "enterprise_reporter", "lzgx")
    with pytest.raises(PermissionDeniedError):
        report_workbook(user=reporter, path=tmp_path / "no.xlsx", year=2019)
    assert not (tmp_path / "no.xlsx").exists()
