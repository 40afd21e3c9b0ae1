"""Fixtures of the registry app tests: a small plan with the registry sections, enterprises, reports."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml


def _apps_conftest():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "_apps_conftest", Path(__file__).resolve().parents[1] / "conftest.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_APPS = _apps_conftest()
MINI_PLAN, write_plan = _APPS.MINI_PLAN, _APPS.write_plan
SHIPPED = Path(__file__).resolve().parents[3] / "plans" / "lanbai-2015-2020"


def _shipped(file: str, section: str) -> list:
    return yaml.safe_load((SHIPPED / file).read_text(encoding="utf-8"))[section]


def registry_plan_data() -> dict:
    data = copy.deepcopy(MINI_PLAN)
    counted = [
        ("innovative_enterprises", "创新型企业", "家"),
        ("hightech_enterprises", "高新技术企业", "户"),
        ("ip_advantage_enterprises", "知识产权优势企业", "家"),
        ("incubators", "企业孵化器", "个"),
        ("industry_alliances", "产业技术创新战略联盟", "个"),
        ("rd_platforms", "研发平台", "个"),
    ]
    for code, name, unit in counted:
        data["ind.yaml"]["indicators"].append(
            {
                "code": code,
                "name": name,
                "unit": unit,
                "direction": "increase",
                "kind": "count",
                "source": "二（四）",
            }
        )
    values = {
        "innovative_enterprises": 200,
        "hightech_enterprises": 250,
        "ip_advantage_enterprises": 100,
        "incubators": 50,
        "industry_alliances": 160,
        "rd_platforms": 500,
    }
    for code, value in values.items():
        data["ind.yaml"]["targets"].append(
            {
                "indicator": code,
                "org_unit": "lanbai",
                "target": {"year": 2020, "value": value},
                "source": "二（四）",
            }
        )
    data["ind.yaml"]["targets"].append(
        {
            "indicator": "hightech_enterprises",
            "org_unit": "lzxq",
            "target": {"year": 2020, "value": 50},
            "source": "三（二）",
        }
    )
    data["ent.yaml"] = {
        "recognition_criteria": _shipped("enterprises.yaml", "recognition_criteria"),
        "candidate_enterprises": [
            {"seq": 1, "name": "兰州兰石集团有限公司", "zone": "lzxq", "source": "附件7"},
            {"seq": 2, "name": "兰州科天投资控股股份有限公司", "zone": "lzxq", "source": "附件7"},
            {
                "seq": 151,
                "name": "临夏州华安生物制品有限责任公司",
                "zone": None,
                "group": "区域外战略性新兴产业攻坚行动骨干企业",
                "source": "附件7",
            },
        ],
        "alliance_groups": [
            {"industry": "化工", "stated_count": 2, "fields": ["石油炼制", "氟化工"], "source": "附件5"},
        ],
        "cluster_rows": [
            {
                "zone": "lzxq",
                "category": "traditional",
                "industry": "化工",
                "counts": {"thousand": 1},
                "named_thousand": ["石油化工"],
                "named_clusters": ["石油化工"],
                "parks": ["兰州新区石化产业园区"],
                "source": "附件4",
            },
            {
                "zone": "bygx",
                "category": "emerging",
                "industry": "生物",
                "counts": {"ten_to_fifty": 2, "one_to_ten": 3},
                "source": "附件4",
            },
            {
                "zone": "lzxq",
                "category": "emerging",
                "industry": "现代服务业",
                "counts": {},
                "source": "附件4",
            },
        ],
    }
    data["pol.yaml"] = {"policy_articles": _shipped("policies.yaml", "policy_articles")}
    return data


@pytest.fixture
def reg_plan(db, tmp_path):
    from lanbai.plans.models import PlanVersion
    from lanbai.plans.services import plan_load_into_db

    plan_load_into_db(plan_dir=write_plan(tmp_path / "regplan", registry_plan_data()))
    return PlanVersion.objects.get(code="mini")


# valid GB 32100 codes (check characters computed by the core rule)
def credit_code(n: int) -> str:
    from lanbai.core.collection.creditcode import check_character

    first = f"91620100MA{n:07d}"
    return first + check_character(first)


@pytest.fixture
def make_enterprise(reg_plan):
    from lanbai.collection.models import Enterprise
    from lanbai.plans.models import OrgUnit, OrgUnitLink

    def _make(name: str, *, n: int, zone: str = "lzxq") -> Enterprise:
        z = OrgUnit.objects.get(plan=reg_plan, code=zone)
        code = credit_code(n)
        unit = OrgUnit.objects.create(
            plan=reg_plan,
            code=code,
            name=name,
            kind="enterprise",
            valid_from=dt.date(2015, 1, 1),
            source="test",
        )
        OrgUnitLink.objects.create(unit=unit, parent=z, valid_from=unit.valid_from)
        return Enterprise.objects.create(credit_code=code, name=name, org_unit=unit, zone=z)

    return _make


@pytest.fixture
def report():
    """Store a report of an enterprise in a given status (approved ones get ``approved_version``)."""
    from lanbai.collection.models import Submission, SubmissionVersion

    def _report(enterprise, period: str, values: dict, *, status: str = "approved"):
        sub, _ = Submission.objects.get_or_create(
            form_code="兰白统Q2表", org_unit=enterprise.org_unit, period=period
        )
        number = sub.versions.count() + 1
        version = SubmissionVersion.objects.create(
            submission=sub, number=number, values={k: str(v) for k, v in values.items()}
        )
        sub.current_version = version
        sub.status = status
        if status == "approved":
            sub.approved_version = version
        sub.save()
        return sub

    return _report


@pytest.fixture
def codes():
    return credit_code
