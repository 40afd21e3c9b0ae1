"""``lanbai demo`` on a small population (2015Q1–2016Q4): real files through the importer, bad ones refused,
idempotent; the values on the plan's trajectories; registries that follow the reports; and work left on every
demo user's 工作台.  One demo run (about a minute) is shared by the module's tests, rolled back at the end."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from lanbai.collection.demo import DEMO_PASSWORD, simulator
from lanbai.collection.models import Enterprise, LateRequest, SoftRuleWarning, Submission, Upload

pytestmark = pytest.mark.slow
LAST = "2016Q4"
ZONES = ("lzxq", "lzgx", "lzjj", "bygx")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The small demo run, kept for the module (one transaction, rolled back after its last test)."""
    from lanbai.plans.services import plan_load_into_db

    patch = pytest.MonkeyPatch()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            plan_load_into_db()
            patch.setattr(simulator, "LAST", simulator.Quarter.parse(LAST))
            patch.setattr(
                simulator,
                "SPOILED",
                [
                    ("lzjj", "2016Q3", simulator.ENT_FORM, "rd_staff", True),
                    ("bygx", "2016Q1", simulator.ZONE_FORM, "approximate", False),
                ],
            )
            yield simulator.demo_run(seed=1, synthetic_per_zone=1)
        finally:
            patch.undo()
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_demo_small_run(demo, db):
    report = demo
    assert report.enterprises > 100 and Enterprise.objects.filter(is_simulated=False).count() == 0
    assert len(report.refused) == 2 and Upload.objects.filter(outcome="refused").count() == 2
    assert not Submission.objects.filter(is_simulated=False).exists()
    # approved reports feed monitoring; the last quarter is under review
    assert (
        Submission.objects.filter(status="approved", approved_version__isnull=False).count()
        == report.approved
    )
    assert not Submission.objects.filter(
        org_unit__code="bygx", period="2016Q1", form_code=simulator.ZONE_FORM
    ).exists()
    # work left at every level, counted in the report and said in the message
    assert report.pending == Submission.objects.filter(status="submitted").count() > 0
    assert report.awaiting_final == Submission.objects.filter(status="zone_approved").count() > 0
    assert report.returned == Submission.objects.filter(status="returned").count() >= 2
    assert f"{report.awaiting_final} 份待省创新办终审" in report.message
    assert f"{report.returned} 份已退回" in report.message
    assert not Submission.objects.filter(status__in=("submitted", "zone_approved", "returned")).exclude(
        period=LAST
    ).exists()  # only the quarter under review: the published bulletins stay on complete periods
    for zone in ZONES:  # each zone's 审核员 has reports waiting
        assert Submission.objects.filter(status="submitted", org_unit__enterprise__zone__code=zone).exists() or (
            Submission.objects.filter(status="submitted", org_unit__code=zone).exists()
        ), zone
    returned = Submission.objects.get(status="returned", form_code=simulator.ZONE_FORM)
    assert returned.org_unit.code == ZONES[0] and returned.return_reason == simulator.RETURN_REASON
    # a draft with a soft-rule warning to explain, a late request to grant
    draft = Submission.objects.get(period="2017Q1", form_code=simulator.ZONE_FORM, status="draft")
    assert SoftRuleWarning.objects.filter(
        version=draft.current_version, rule_key="gdp_yoy", explanation=""
    ).exists()
    assert LateRequest.objects.filter(status="pending", period="2017Q2").count() == 1
    from lanbai.reports.models import Release

    published = set(Release.objects.values_list("period", flat=True))
    assert published and LAST not in published
    again = simulator.demo_run(seed=1)
    assert again.already and "未作任何更改" in again.message
    assert Upload.objects.count() == report.files


def test_demo_values_stay_on_the_plans_trajectories(demo, db):
    """Each zone's value of the last simulated year (the annualised figure the dashboard assesses) is within
    1.5× of the plan's target for that year (the path value, baseline → target) and of the end target."""
    from lanbai.monitoring.selectors import monitoring_table

    checked, violations = 0, []
    for period in (str(simulator.Quarter.parse(LAST).previous()), LAST):
        for r in monitoring_table(period=period):
            if r.org_unit not in ZONES or r.assessed_value is None or not r.target_value:
                continue
            for what, target in (("path", r.expected), ("target", r.target_value)):
                if target and r.assessed_value > 1.5 * target:
                    violations.append(
                        f"{period} {r.org_unit} {r.indicator}: {r.assessed_value:.4g} > 1.5 × {what} {target:.4g}"
                    )
            checked += 1
    assert checked >= 10  # 附件1 (兰州新区) and 附件2–3 (every zone) have targets
    assert not violations, "\n".join(violations)


def test_demo_registry_follows_the_reports(demo, db):
    """The registry counts what the zones and their enterprises report: the 高新技术企业 with a certificate
    valid at the end of the last quarter, the incubators, platforms and alliances each zone reports."""
    from lanbai.collection.selectors import submission_list
    from lanbai.registry import selectors as registry

    end = simulator.Quarter.parse(LAST).end
    plan_rows = registry.counts_vs_targets(registry.plan_required(), on=end)
    by = {(r["indicator"], r["unit_code"]): r["count"] for r in plan_rows}
    for zone in ZONES:
        subs = submission_list(user=None).filter(
            org_unit__enterprise__zone__code=zone, form_code=simulator.ENT_FORM, period=LAST
        )
        reported = sum(
            1
            for s in subs.select_related("current_version")
            if s.current_version.values.get("high_tech") in (True, "true", "True", "1", 1)
            and dt.date.fromisoformat(str(s.current_version.values["hightech_certificate_valid_until"])[:10])
            >= end
        )
        assert reported > 0 and by[("hightech_enterprises", zone)] == reported, zone
        zone_values = submission_list(user=None).get(
            org_unit__code=zone, form_code=simulator.ZONE_FORM, period=LAST
        ).current_version.values
        assert by[("incubators", zone)] == int(zone_values["incubators"]) > 0, zone
        assert by[("rd_platforms", zone)] == int(zone_values["rd_platforms"]) > 0, zone
        assert by[("industry_alliances", zone)] == int(zone_values["alliances"]) > 0, zone
    assert by[("innovative_enterprises", "lanbai")] > 0 and by[("ip_advantage_enterprises", "lanbai")] > 0


def _workbench(client, username: str) -> str:
    """Sign in as ``username`` with the demo password: the page one lands on is the 工作台."""
    from django.urls import reverse

    response = client.post(
        reverse("login"), {"username": username, "password": DEMO_PASSWORD}, follow=True
    )
    assert response.status_code == 200 and response.redirect_chain, username
    assert response.redirect_chain[-1][0] == reverse("workbench"), username
    client.logout()
    return response.content.decode()


def test_every_demo_user_finds_their_work_on_the_workbench(demo, db, client):
    zone = ZONES[0]
    page = _workbench(client, f"demo_{zone}_fill")  # the soft-rule draft and the returned report
    assert 'data-period="2017Q1" data-status="草稿"' in page and ">上报</button>" in page
    assert f'data-period="{LAST}" data-status="已退回"' in page and simulator.RETURN_REASON in page
    assert f"demo_{zone}_review" in page  # who returned it
    for code in ZONES:  # each zone's reviewer: reports waiting, with 审核 links
        page = _workbench(client, f"demo_{code}_review")
        waiting = page.split('<ul class="waiting">')[1].split("</ul>")[0]
        assert waiting.count(">审核</a>") >= 1 and LAST in waiting, code
    page = _workbench(client, f"demo_{zone}_review")
    assert simulator.RETURN_REASON in page.split('<ul class="returned">')[1]
    page = _workbench(client, "demo_sheng")  # 省创新办: 终审 waiting, the zone level, returns, late requests
    final = page.split("待终审（园区已审核）")[1].split("</ul>")[0]
    assert final.count(">审核</a>") >= 1 and LAST in final
    late, after = page.split('<ul class="late-requests">')[1].split("</ul>", 1)
    assert "2017Q2" in late and "处理逾期填报申请" in after.split("<h2>")[0]  # the link to 准予逾期填报
    page = _workbench(client, "demo_enterprise")  # its own report, returned with the reason
    assert f'data-period="{LAST}" data-status="已退回"' in page and simulator.RETURN_REASON in page
    for username in [u for u, *_ in demo.users if u.startswith(("demo_city_", "demo_evaluator"))]:
        assert "工作台" in _workbench(client, username)  # read-only roles: the page works, nothing to do
