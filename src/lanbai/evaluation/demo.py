"""Demo of third-party evaluation (模拟数据), through the real services: one organisation with
``demo_evaluator``, a 2019 assignment to two parks, one conflict declaration, scores, and a report
returned once and then accepted; and a 2019 assignment of one plan measure (the first 专栏 item led by
科技组), left for the evaluator to score.  A second run changes nothing."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from . import services
from .models import EvaluatorOrganisation

ORG_NAME = "甘肃省科技评估中心（模拟数据）"
CREDIT_CODE = "91620100MA73XY123R"
YEAR, PARKS, CONFLICT = 2019, ["lzxq", "bygx"], "lzgx"
SCORES = {
    "lzxq": (
        {"targets": 8, "tasks": 7.5, "innovation": 8.5, "governance": 7},
        "（模拟数据）研发投入增长较快，部分任务滞后。",
    ),
    "bygx": (
        {"targets": 7, "tasks": 8, "innovation": 6.5, "governance": 8},
        "（模拟数据）产业集聚明显，创新平台偏少。",
    ),
}


MEASURE_LEAD = "wg_science"  # 科技组: a working group, so the evaluator reads no park's figures for it


def _measure_assignment(org: EvaluatorOrganisation) -> str:
    """Assign the first 专栏 item led by 科技组 for 2019 (once; none before ``lanbai measures load``)."""
    from lanbai.execution.selectors import measure_items

    if org.assignments.filter(measures__isnull=False).exists():
        return ""
    m = measure_items().filter(lead__code=MEASURE_LEAD).first()
    if m is None:
        return ""
    services.assign(None, org, year=YEAR, measure_codes=[m.code])
    return f"；{YEAR} 年度委托评估举措 {m.code}（待评分）"


def evaluation_demo_run() -> str:
    """Create the demo evaluation if missing; returns a one-line summary."""
    user = get_user_model().objects.filter(username="demo_evaluator").first()
    if user is None:
        return "第三方评估 / evaluation — 无 demo_evaluator 用户，跳过"
    existing = EvaluatorOrganisation.objects.filter(name=ORG_NAME).first()
    if existing is not None:  # a database demoed before measures were assignable gets the measure now
        services.evaluation_scheme_register(None)
        return f"第三方评估 / evaluation — 已有演示数据（{ORG_NAME}）{_measure_assignment(existing)}"
    services.evaluation_scheme_register(None)
    org = services.organisation_create(
        None, name=ORG_NAME, credit_code=CREDIT_CODE, contact="0931-0000000（模拟数据）"
    )
    services.member_add(None, org, user)
    services.conflict_declare(
        user, org, unit_code=CONFLICT, nature="（模拟数据）本机构曾为该园区编制发展规划"
    )
    a = services.assign(None, org, year=YEAR, unit_codes=PARKS)
    for code, (scores, findings) in SCORES.items():
        services.evaluation_save(
            user, a, unit_code=code, scores=scores, comment="模拟数据", findings=findings
        )
    report = services.report_submit(user, a)
    services.report_return(None, report, reason="（模拟数据）请补充评估发现的数据依据")
    code, (scores, findings) = "lzxq", SCORES["lzxq"]
    services.evaluation_save(
        user,
        a,
        unit_code=code,
        scores=scores,
        comment="模拟数据",
        findings=findings + "依据：2019 年第四季度已审核报表。",
    )
    report = services.report_submit(user, a)
    services.report_accept(None, report)
    return (
        f"第三方评估 / evaluation — {ORG_NAME}：{YEAR} 年度评估 {'、'.join(PARKS)}，报告已退回一次后接受"
        f"{_measure_assignment(org)}（模拟数据）"
    )
