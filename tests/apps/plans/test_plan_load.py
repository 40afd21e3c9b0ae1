"""``lanbai init`` / plan_load_into_db: idempotent, reports what changed, keeps history."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from lanbai.plans.models import Indicator, OrgUnit, OrgUnitLink, PlanRecord, Target
from lanbai.plans.services import plan_load_into_db

MINI = {
    "plan.yaml": {
        "plan": {
            "code": "mini", "name": "迷你规划", "title": "迷你规划", "issued_by": "测试", "issued_on": "2016-04-28",
            "start_year": 2015, "end_year": 2020, "baseline_year": 2014, "root_unit": "lanbai", "source": "前言",
        }
    },
    "org.yaml": {
        "org_units": [
            {"code": "lanbai", "name": "兰白试验区", "kind": "pilot_zone", "source": "三"},
            {"code": "lanzhou", "name": "兰州市", "kind": "city", "parent": "lanbai", "source": "三"},
            {"code": "lzxq", "name": "兰州新区", "kind": "zone", "parent": "lanzhou", "source": "三（二）"},
            {"code": "lzxq_a", "name": "甲园区", "kind": "park", "parent": "lzxq", "source": "专栏5"},
        ]
    },
    "ind.yaml": {
        "indicators": [
            {"code": "grp", "name": "地区生产总值", "unit": "亿元", "direction": "increase", "kind": "level", "source": "专栏1"},
        ],
        "targets": [
            {"indicator": "grp", "org_unit": "lanbai", "baseline": {"year": 2014, "value": 552.4},
             "target": {"year": 2020, "value": 1377}, "source": "专栏1"},
        ],
        "annual_series": [
            {"indicator": "grp", "org_unit": "lzxq", "category": "total", "values": {2015: 10, 2016: 20}, "source": "附件2"},
        ],
        "measures": [{"code": "c14_01", "column": 14, "item": "01", "text": "培育200家创新型企业。", "source": "专栏14"}],
    },
}


def write_plan(directory: Path, data: dict) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in data.items():
        (directory / name).write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return directory


@pytest.mark.django_db
def test_load_creates_everything_then_second_run_changes_nothing(tmp_path):
    plan_dir = write_plan(tmp_path / "mini", MINI)
    first = plan_load_into_db(plan_dir=plan_dir)
    assert first.changed
    assert OrgUnit.objects.count() == 4
    assert Indicator.objects.get(code="grp").unit == "亿元"
    t = Target.objects.get(kind="target")
    assert float(t.value) == 1377 and float(t.baseline_value) == 552.4 and t.source == "专栏1"
    assert Target.objects.filter(kind="annual").count() == 2
    assert PlanRecord.objects.get(section="measures", key="c14_01").source == "专栏14"
    assert OrgUnitLink.objects.get(unit__code="lzxq_a").parent.code == "lzxq"

    second = plan_load_into_db(plan_dir=plan_dir)
    assert second.changes == []
    assert "未作任何更改" in second.render() and "nothing changed" in second.render()


@pytest.mark.django_db
def test_edited_plan_updates_what_changed_and_lists_it(tmp_path):
    plan_dir = write_plan(tmp_path / "mini", MINI)
    plan_load_into_db(plan_dir=plan_dir)
    edited = yaml.safe_load(yaml.safe_dump(MINI))
    edited["ind.yaml"]["targets"][0]["target"]["value"] = 1400
    edited["ind.yaml"]["annual_series"][0]["values"].pop(2016)
    shutil.rmtree(plan_dir)
    write_plan(plan_dir, edited)
    report = plan_load_into_db(plan_dir=plan_dir)
    text = "\n".join(report.changes)
    assert "value: 1377.0 → 1400.0" in text
    assert "removed target annual:grp:lzxq:total:2016:附件2" in text
    assert len(report.changes) == 2
    assert float(Target.objects.get(kind="target").value) == 1400


@pytest.mark.django_db
def test_invalid_plan_loads_nothing(tmp_path):
    bad = yaml.safe_load(yaml.safe_dump(MINI))
    bad["ind.yaml"]["targets"][0]["org_unit"] = "nowhere"
    plan_dir = write_plan(tmp_path / "bad", bad)
    from lanbai.core.plan import PlanError

    with pytest.raises(PlanError) as exc:
        plan_load_into_db(plan_dir=plan_dir)
    assert "unknown organisation unit 'nowhere'" in str(exc.value)
    assert OrgUnit.objects.count() == 0 and Target.objects.count() == 0


@pytest.mark.django_db
def test_restructured_park_keeps_its_old_link(tmp_path):
    data = yaml.safe_load(yaml.safe_dump(MINI))
    data["org.yaml"]["org_units"].append(
        {"code": "lzgx", "name": "兰州高新区", "kind": "zone", "parent": "lanzhou", "source": "三（三）"})
    park = data["org.yaml"]["org_units"][3]
    del park["parent"]
    park["parents"] = [
        {"parent": "lzxq", "valid_from": "2015-01-01", "valid_to": "2018-06-30"},
        {"parent": "lzgx", "valid_from": "2018-07-01"},
    ]
    plan_load_into_db(plan_dir=write_plan(tmp_path / "moved", data))
    links = list(OrgUnitLink.objects.filter(unit__code="lzxq_a").order_by("valid_from"))
    assert [(lk.parent.code, str(lk.valid_to)) for lk in links] == [("lzxq", "2018-06-30"), ("lzgx", "None")]
