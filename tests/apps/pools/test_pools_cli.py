"""``lanbai pools`` prints the reserve and the masked talent register."""

import json

import pytest
from typer.testing import CliRunner

from lanbai.core.pools.identity import check_digit

FIRST17 = "62010219850505321"
ID = FIRST17 + check_digit(FIRST17)


@pytest.mark.django_db
def test_pools_cli_lists_projects_and_masked_talents(shipped_plan_in_db, make_user):
    from lanbai.cli.main import app
    from lanbai.plans.models import OrgUnit
    from lanbai.pools import services

    prov = make_user("pool_cli_prov", "province", None)
    unit = OrgUnit.objects.get(code="lzgx")
    data = {
        "title": "模拟项目丙",
        "field": "生物医药",
        "budget_wan": "80",
        "responsible_person": "模拟负责人",
    }
    services.project_propose(user=prov, unit=unit, data=data)
    services.talent_register(
        user=prov, unit=unit, data={"name": "模拟人才丙", "id_number": ID}, consent_version="v1"
    )
    runner = CliRunner()
    out = runner.invoke(app, ["pools", "projects", "--stage", "reserve", "--json"])
    assert out.exit_code == 0, out.output
    assert [r["title"] for r in json.loads(out.output)] == ["模拟项目丙"]
    out = runner.invoke(app, ["pools", "talents", "--json"])
    assert out.exit_code == 0, out.output
    assert ID not in out.output and json.loads(out.output)[0]["id_masked"] == ID[:4] + "*" * 10 + ID[-4:]
    out = runner.invoke(app, ["pools", "projects", "--stage", "nope"])
    assert out.exit_code != 0
