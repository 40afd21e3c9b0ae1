"""Excel in/out of the pools (issue 18): export → import of 储备项目 through project_propose, a bad row refused
naming file, row and column with nothing stored, and no trace of the 身份证号 in the talent sheet."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from lanbai.cli.main import app
from lanbai.core.pools.identity import check_digit

runner = CliRunner()
FIRST17 = "62010219770707771"
ID = FIRST17 + check_digit(FIRST17)
FIELDS = ("unit_id", "title", "field", "budget_wan", "expected_outputs", "responsible_person", "cluster")


@pytest.fixture
def pools(shipped_plan_in_db, make_user):
    from lanbai.plans.models import OrgUnit
    from lanbai.pools import services

    prov = make_user("xl_prov", "province", None)
    unit = OrgUnit.objects.get(code="lzgx")
    for title, budget in (("模拟项目甲", "80"), ("模拟项目乙", "123.45")):
        services.project_propose(user=prov, unit=unit, data={
            "title": title, "field": "新材料", "budget_wan": budget, "responsible_person": "模拟负责人",
            "expected_outputs": "样机一台",
        })
    t = services.talent_register(user=prov, unit=unit, consent_version="v1", data={
        "name": "模拟人才", "id_number": ID, "gender": "女", "birth_year": 1977, "fields": "新材料",
        "title": "研究员",
    })
    return {"prov": prov, "talent": t}


def _cells(wb):
    return [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None]


def _snapshot(qs):
    return sorted(tuple(str(getattr(p, f)) for f in FIELDS) for p in qs)


def test_export_has_no_trace_of_the_id_number(pools, tmp_path):
    from lanbai.pools.models import Talent

    out = tmp_path / "pools.xlsx"
    res = runner.invoke(app, ["pools", "export", str(out)])
    assert res.exit_code == 0, res.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["项目库", "人才库"]
    talents = list(wb["人才库"].iter_rows(values_only=True))
    assert talents[0] == ("姓名", "性别", "领域", "职称", "所在单位代码", "所在单位", "同意书版本", "同意时间", "状态")
    assert talents[1][:5] == ("模拟人才", "女", "新材料", "研究员", "lzgx") and talents[1][-1] == "在库"
    fingerprint = Talent.objects.get(pk=pools["talent"].pk).id_fingerprint
    masked = Talent.objects.get(pk=pools["talent"].pk).id_masked
    text = "\n".join(_cells(wb))
    for part in (ID, ID[:6], ID[6:14], ID[-4:], masked, fingerprint[:8], "1977", "身份证"):
        assert part not in text, part


def test_export_shows_only_what_the_role_may_see(pools, tmp_path, make_user):
    from lanbai.pools.selectors import export_workbook

    other = make_user("xl_other", "zone_reporter", "lzjj")
    export_workbook(user=other, path=tmp_path / "other.xlsx")
    wb = load_workbook(tmp_path / "other.xlsx")
    assert wb["项目库"].max_row == 1 and wb["人才库"].max_row == 1  # header only


def test_export_then_import_proposes_the_same_reserve_projects(pools, tmp_path):
    from lanbai.pools.models import Project

    out = tmp_path / "pools.xlsx"
    assert runner.invoke(app, ["pools", "export", str(out)]).exit_code == 0
    projects = list(load_workbook(out)["项目库"].iter_rows(values_only=True))
    assert projects[0][:4] == ("申报单位代码", "项目名称", "领域", "预算（万元）") and projects[0][-1] == "阶段"
    assert len(projects) == 3 and {r[-1] for r in projects[1:]} == {"储备"}
    before = _snapshot(Project.objects.all())
    res = runner.invoke(app, ["pools", "import", str(out)])
    assert res.exit_code == 0, res.output
    assert "已导入 2 个储备项目" in res.output
    new = Project.objects.order_by("id")[2:]
    assert _snapshot(new) == before and {p.stage for p in new} == {"reserve"}
    assert all(p.history.get().to_stage == "reserve" for p in new)


def test_import_refuses_bad_rows_naming_file_row_and_column(pools, tmp_path, make_user):
    from lanbai.common.exceptions import ValidationFailed
    from lanbai.pools.models import Project
    from lanbai.pools.services import project_import_file

    out = tmp_path / "reserve.xlsx"
    assert runner.invoke(app, ["pools", "export", str(out)]).exit_code == 0
    wb = load_workbook(out)
    wb["项目库"]["D3"] = "很多"  # 预算（万元） of the second project
    wb.save(out)
    count = Project.objects.count()
    res = runner.invoke(app, ["pools", "import", str(out)])
    assert res.exit_code == 1
    assert "reserve.xlsx 第 3 行 预算（万元）" in res.output
    assert Project.objects.count() == count  # the good first row was not stored either

    other = make_user("xl_other2", "zone_reporter", "lzjj")  # may not propose for lzgx
    with pytest.raises(ValidationFailed) as e:
        project_import_file(user=other, path=out)
    assert [(x["row"], x["column"]) for x in e.value.extra["errors"]] == [(2, "申报单位代码"), (3, "申报单位代码")]
    assert Project.objects.count() == count
