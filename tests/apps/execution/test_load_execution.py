"""Loading the measures: every “3510” action and 专栏 item with its units and annual milestones."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_every_measure_is_loaded_with_its_units(measures, shipped_plan):
    from lanbai.execution import selectors

    assert measures["actions"] == 18  # 三大计划 + 五大工程 + 十项改革
    assert measures["measures"] == len(shipped_plan.measures)
    assert measures["units"] == len(shipped_plan.responsible_units)
    rows = selectors.measure_rows(None)
    assert len(rows) == 18 + len(shipped_plan.measures)
    assert all(r["lead"] for r in rows)
    by = {r["code"]: r for r in rows}
    assert by["c05_01"]["lead"] == "lzxq_committee" and by["c05_01"]["co_units"] == ["lanzhou_office"]
    assert by["c14_01"]["lead"] == "wg_science" and by["c14_01"]["indicators"] == ["innovative_enterprises"]
    assert by["c14_01"]["action"] == "project_enterprises"
    assert by["c17_02"]["lead"] == "wg_policy_finance"  # per-measure exception of owners.yaml
    assert by["c14_01"]["status_zh"] == "未启动"


def test_units_of_columns_31_to_33(measures):
    from lanbai.execution import selectors

    wg = selectors.responsible_unit_get("科技组")
    assert wg.lead_department == "省科技厅" and wg.parent.code == "innovation_office"
    zone = selectors.responsible_unit_get("lzxq_committee")
    assert zone.org_unit.code == "lzxq" and zone.parent.code == "lanzhou_office"


def test_milestones_per_year_and_simulated_flag(measures):
    from lanbai.execution import selectors

    assert measures["milestones"] == 5 * measures["measures"]
    m = selectors.measure_get(None, "c14_01")
    ms = {x.year: x for x in selectors.milestones_of(m)}
    assert sorted(ms) == [2016, 2017, 2018, 2019, 2020]
    assert float(ms[2020].target_value) == 200 and not ms[2020].simulated  # the plan's figure
    assert float(ms[2017].target_value) == 80 and ms[2017].simulated  # the invented path to it
    assert ms[2017].indicator == "innovative_enterprises"


def test_load_is_idempotent_and_province_only(measures, make_user):
    from lanbai.common.exceptions import PermissionDeniedError
    from lanbai.execution import services

    assert services.execution_load() == measures
    with pytest.raises(PermissionDeniedError):
        services.execution_load(user=make_user("z", "zone_reporter", "lzxq"))
