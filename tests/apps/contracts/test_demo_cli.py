"""The demo register and the CLI: turnover --json equals the register summed by seller zone; import/export."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from contract_helpers import contract_data
from openpyxl import Workbook
from typer.testing import CliRunner

from lanbai.cli.main import app
from lanbai.contracts import selectors
from lanbai.contracts.demo import contracts_demo
from lanbai.contracts.excel import COLUMNS

runner = CliRunner()


@pytest.fixture
def demo(shipped_plan_in_db):
    return contracts_demo(seed=3)


def test_demo_turnover_equals_the_register(demo):
    res = runner.invoke(app, ["contracts", "turnover", "--period", "2019Q4", "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert len(rows) == 4
    register = selectors.export_rows(user=None, status="registered", year=2019)
    for r in rows:
        expected = sum((c.amount for c in register if c.seller_zone.code == r["zone"] and not c.supplement_of_id),
                       Decimal(0))
        assert Decimal(str(r["turnover"])) == expected and expected > 0
    assert runner.invoke(app, ["contracts", "turnover", "--period", "2019Q9"]).exit_code != 0


def test_demo_has_the_cases_a_reviewer_needs(demo):
    everything = selectors.export_rows(user=None)
    assert all(c.is_simulated for c in everything)
    assert {c.seller_zone.code for c in everything} == {"lzxq", "lzgx", "lzjj", "bygx"}
    assert {c.registered_on.year for c in everything if c.registered_on} == set(range(2016, 2021))
    refused = [c for c in everything if c.status == "refused"]
    assert refused and all(c.refusal_ground for c in refused)
    actions = {h.action for c in everything for h in selectors.contract_history(c)}
    assert {"return", "amend", "revoke", "refuse", "register"} <= actions
    assert any(c.supplement_of_id for c in everything)
    assert any(c.status == "accepted" for c in everything)
    assert contracts_demo(seed=3) == {"contracts": 0}  # idempotent


def test_cli_list(demo):
    res = runner.invoke(app, ["contracts", "list", "--zone", "lzgx", "--status", "refused", "--json"])
    assert res.exit_code == 0 and json.loads(res.output)[0]["status"] == "refused"


def _sheet(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.append([label for _, label in COLUMNS])
    for r in rows:
        ws.append([r.get(f, "") for f, _ in COLUMNS])
    wb.save(path)
    return path


def test_cli_import_is_all_or_nothing_and_export(shipped_plan_in_db, tmp_path):
    good = {k: (str(v) if not hasattr(v, "isoformat") else v) for k, v in contract_data().items()}
    good["contract_type"] = "技术开发（委托开发）"
    bad = dict(good, seller_credit_code="91620100XXXX")
    res = runner.invoke(app, ["contracts", "import", str(_sheet(tmp_path / "bad.xlsx", [good, bad]))])
    assert res.exit_code == 1 and "第 3 行" in res.output and "卖方统一社会信用代码" in res.output
    assert selectors.export_rows(user=None) == []
    res = runner.invoke(app, ["contracts", "import", str(_sheet(tmp_path / "ok.xlsx", [good, good]))])
    assert res.exit_code == 0, res.output
    assert len(selectors.export_rows(user=None)) == 2
    out = tmp_path / "out.xlsx"
    assert runner.invoke(app, ["contracts", "export", str(out)]).exit_code == 0 and out.stat().st_size > 0
