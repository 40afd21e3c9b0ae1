"""The role matrix (issue 13 item 2): every URL pattern of the platform × role × unit × object state × GET/POST.

The endpoints come from the URL configuration (``get_resolver()``), so a new pattern without an entry
in :data:`RULES` fails :func:`test_every_url_pattern_has_a_rule` (NetBox checks that every model has a
filterset the same way).  Each rule fills the pattern's path parameters from the fixture (a zone code,
a period, an enterprise credit code, a report id in each state, a release id published / draft) and
says which decision of :mod:`lanbai.access.policy` the answer must follow:

* expected allowed → 2xx / 3xx, or a refusal of the input once access passed (400, 405, 409, 413);
* expected denied → 403 / 404, or for an anonymous visitor the redirect to the login page (401 API);
* never 500;
* a *leak*: a cell of a user not entitled to an enterprise's confidential figures (the enterprise's
  zone staff, 省创新办, the enterprise itself) whose body holds its name, credit code or figure.

Every cell runs in a savepoint rolled back afterwards, so a POST never changes what later cells see;
the data is built once (one small fixture: the shipped plan, 2 zones, 2 enterprises, reports through
the services).  The totals are printed (``-s``) for the closing note.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from lanbai.access.policy import Action, can, unit_ids

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2019, 1, 20, tzinfo=dt.timezone(dt.timedelta(hours=8)))
SECRET_A = "4242.17"  # enterprise A's revenue: appears nowhere else
NAME_A = "保密甲科技有限公司"
NAME_B = "保密乙材料有限公司"
SKIPPED_PREFIXES = ("admin/", "i18n/")  # Django's own applications


def _patterns(resolver=None, prefix: str = "") -> list[tuple[str, str]]:
    """(route, key) of every URL pattern, walked from the root URLconf: the namespaced name, ``api:``
    before the API's (a web page and an API endpoint may share a name)."""
    resolver = resolver or get_resolver()
    out: list[tuple[str, str]] = []
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            if route.startswith(SKIPPED_PREFIXES):
                continue
            ns = f"{p.namespace}:" if p.namespace else ""
            out += [(r, (ns + n) if n else n) for r, n in _patterns(p, route)]
        elif isinstance(p, URLPattern):
            name = p.name or route
            out.append((route, f"api:{name}" if route.startswith("api/") else name))
    return out


# ------------------------------------------------------------------------------------------------
# the rule table: URL name -> (paths with their object state, methods, the decision for a user)
# decisions: "public", "login", ("unit", Action, unit key), ("action", Action), ("some", Action), "nobody",
# "page" (the rule the page's view carries, access.policy.page_rule: the one the navigation asks too)


@dataclass(frozen=True)
class Rule:
    paths: tuple[tuple[str, Any], ...]  # (path, decision) per object state
    methods: tuple[str, ...] = ("GET",)
    post: Any = None  # the decision for POST (default: the GET one)


def _r(path: str, decision: Any, methods=("GET",), post=None) -> Rule:
    return Rule(((path, decision),), methods, post)


def rules(fx: dict) -> dict[str, Rule]:
    ea, eb = fx["ent_a"].credit_code, fx["ent_b"].credit_code
    subs = fx["subs"]
    sub_paths = tuple((f"{{}}{pk}/", ("unit", Action.READ, key)) for key, pk in subs.items())
    ind = fx["indicator"]
    rel_pub, rel_draft = fx["release_published"], fx["release_draft"]
    rel_paths = ((f"{rel_pub}", "public"), (f"{rel_draft}", ("action", Action.MANAGE_RELEASES)))
    reg = {}
    for kind in ("platforms", "alliances", "incubators", "clusters", "recognitions"):
        single = kind[:-1] if kind != "recognitions" else "recognition"
        single = {"platform": "platform", "alliance": "alliance", "incubator": "incubator",
                  "cluster": "cluster"}.get(single, single)
        reg[f"registry-{single}-list"] = _r(f"/api/registry/{kind}/", "login", ("GET", "POST"))
        reg[f"registry-{single}-detail"] = _r(f"/api/registry/{kind}/999999/", "nobody")
    table = {
        # web (public pages; the publication rules of issue 13 item 3 are another helper's)
        "home": _r("/", "public"),
        "zone-detail": Rule((("/zones/lzxq/", "public"), ("/zones/nope/", "nobody"))),
        "indicator-detail": _r(f"/indicators/{ind}/", "public"),
        "development-index": _r("/index/", "public"),
        "login": _r("/accounts/login/", "public"),
        "logout": _r("/accounts/logout/", "public", ("POST",)),
        "healthz": _r("/healthz", "public"),
        "plan-data": _r("/plan/?kind=baseline", "public"),
        "schema": _r("/api/schema/", "public"),
        "api-docs": _r("/api/docs/", "public"),
        # plans API (public; enterprises are never listed, an enterprise's code answers 404)
        "orgunit-list": _r("/api/plans/org-units/", "public"),
        "orgunit-detail": Rule((("/api/plans/org-units/lzxq/", "public"),
                                (f"/api/plans/org-units/{ea}/", "nobody"))),
        "indicator-list": _r("/api/plans/indicators/", "public"),
        "api:indicator-detail": _r(f"/api/plans/indicators/{ind}/", "public"),
        "target-list": _r("/api/plans/targets/", "public"),
        "target-detail": _r(f"/api/plans/targets/{fx['target']}/", "public"),
        # collection pages
        "collection:index": _r("/collection/", "login"),
        "collection:upload": _r("/collection/upload/", "page", ("GET", "POST")),
        "collection:templates": _r("/collection/templates/", "login"),
        "collection:entry": Rule((("/collection/entry/lzxq/2018Q4/", ("unit", Action.READ, "lzxq")),
                                  ("/collection/entry/bygx/2018Q4/", ("unit", Action.READ, "bygx")))),
        "collection:enterprise_entry": Rule(
            ((f"/collection/enterprise/{ea}/2018Q4/", ("unit", Action.READ, "ent_a")),
             (f"/collection/enterprise/{eb}/2018Q4/", ("unit", Action.READ, "ent_b")))
        ),
        "collection:queue": _r("/collection/queue/", "page"),
        "collection:submission": Rule(tuple((p.format("/collection/submissions/"), d) for p, d in sub_paths)),
        "collection:action": Rule(
            tuple((f"/collection/submissions/{pk}/{verb}/", ("write", action, key))
                  for key, pk in subs.items()
                  for verb, action in (("submit", Action.REPORT), ("approve", Action.REVIEW),
                                       ("final_approve", Action.FINAL_APPROVE))),
            ("POST",),
        ),
        "collection:completeness": _r("/collection/completeness/", "login"),
        # collection API
        "collection-api-report": _r("/api/collection/reports/", "login", ("POST",)),
        "collection-api-upload": _r("/api/collection/uploads/", "login", ("POST",)),
        "collection-api-submissions": _r("/api/collection/submissions/", "login"),
        "collection-api-submission": Rule(tuple((p.format("/api/collection/submissions/"), d)
                                                for p, d in sub_paths)),
        "collection-api-submit": Rule(tuple((f"/api/collection/submissions/{pk}/submit/",
                                             ("write", Action.REPORT, key)) for key, pk in subs.items()),
                                      ("POST",)),
        "collection-api-review": Rule(tuple((f"/api/collection/submissions/{pk}/review/",
                                             ("write", Action.REVIEW, key)) for key, pk in subs.items()),
                                      ("POST",)),
        "collection-api-final": Rule(tuple((f"/api/collection/submissions/{pk}/final-approve/",
                                            ("write", Action.FINAL_APPROVE, key)) for key, pk in subs.items()),
                                     ("POST",)),
        "collection-api-queue": _r("/api/collection/review-queue/", "login"),
        "collection-api-completeness": _r("/api/collection/completeness/?period=2018Q4", "login"),
        # monitoring
        "monitoring-outliers-page": _r("/monitoring/outliers/?period=2018Q4",
                                                  ("action", Action.PREVIEW)),
        "monitoring-diagnosis-page": _r("/monitoring/diagnosis/", "login"),
        "monitoring-results": Rule((("/api/monitoring/results/?period=2018Q4", "login"),
                                    ("/api/monitoring/results/?period=2018Q4&preview=true",
                                     ("action", Action.PREVIEW)))),
        "monitoring-series": _r(f"/api/monitoring/series/?indicator={ind}", "login"),
        "monitoring-diagnosis": Rule(((f"/api/monitoring/diagnosis/?period=2018Q4&indicator={ind}", "login"),
                                      (f"/api/monitoring/diagnosis/?period=2018Q4&indicator={ind}"
                                       "&preview=true", ("action", Action.PREVIEW)))),
        "monitoring-outliers": _r("/api/monitoring/outliers/?period=2018Q4", ("action", Action.PREVIEW)),
        # indices
        "indices-results": _r("/api/indices/results/", "login"),
        "indices-runs": _r("/api/indices/runs/", "login"),
        # registry pages
        "registry:index": _r("/registry/", "login"),
        "registry:enterprises": _r("/registry/enterprises/", "login"),
        "registry:enterprise": Rule(((f"/registry/enterprises/{ea}/", ("unit", Action.READ_CONFIDENTIAL, "ent_a")),
                                     (f"/registry/enterprises/{eb}/", ("unit", Action.READ_CONFIDENTIAL, "ent_b")))),
        "registry:list": Rule((("/registry/platforms/", "login"), ("/registry/nothing/", "nobody"))),
        # registry API
        "registry-counts": _r("/api/registry/counts/", "login"),
        "registry-screening": Rule(
            ((f"/api/registry/enterprises/{ea}/screening/", ("unit", Action.READ_CONFIDENTIAL, "ent_a")),
             (f"/api/registry/enterprises/{eb}/screening/", ("unit", Action.READ_CONFIDENTIAL, "ent_b")))
        ),
        "registry-enterprise-policies": Rule(
            ((f"/api/registry/enterprises/{ea}/policies/", ("unit", Action.READ_CONFIDENTIAL, "ent_a")),
             (f"/api/registry/enterprises/{eb}/policies/", ("unit", Action.READ_CONFIDENTIAL, "ent_b")))
        ),
        "registry-policy-match": _r("/api/registry/policy-match/", "login", ("POST",)),
        **reg,
        "registry-candidate-list": _r("/api/registry/candidates/", "login"),
        "registry-candidate-detail": _r("/api/registry/candidates/999999/", "nobody"),
        "registry-enterprise-list": _r("/api/registry/enterprises/", "login"),
        "registry-enterprise-detail": Rule(
            ((f"/api/registry/enterprises/{ea}/", ("unit", Action.READ_CONFIDENTIAL, "ent_a")),
             (f"/api/registry/enterprises/{eb}/", ("unit", Action.READ_CONFIDENTIAL, "ent_b")))
        ),
        # reports (releases: published for everyone, drafts for 省创新办)
        "reports:index": _r("/reports/", "public"),
        "reports:create": _r("/reports/new/", ("action", Action.MANAGE_RELEASES), ("POST",)),
        "reports:detail": Rule(tuple((f"/reports/{pk}/", d) for pk, d in rel_paths)),
        "reports:download": Rule(tuple((f"/reports/{pk}/file.html", d) for pk, d in rel_paths)),
        "reports:publish": Rule(((f"/reports/{rel_draft}/publish/", ("action", Action.MANAGE_RELEASES)),),
                                ("POST",)),
        "reports:correct": Rule(((f"/reports/{rel_pub}/correct/", ("action", Action.MANAGE_RELEASES)),),
                                ("POST",)),
        "reports:open-data": _r("/reports/open-data/", "public"),
        "reports:open-data-values": _r("/reports/open-data/values.csv", "public"),
        "reports:dictionary": _r("/reports/open-data/dictionary/", "public"),
        "reports:catalog": _r("/reports/catalog.jsonld", "public"),
        "reports-api-releases": _r("/api/reports/releases/", "public"),
        "reports-api-release": Rule(((f"/api/reports/releases/{rel_pub}/", "public"),
                                     (f"/api/reports/releases/{rel_draft}/", "nobody"))),
        "reports-api-values": _r("/api/reports/values/", "public"),
        "reports-api-dictionary": _r("/api/reports/dictionary/", "public"),
        # the quarterly cycle (issue 14): pages scoped by the user, actions refused without input
        "workbench": _r("/workbench/", "login"),
        "collection:late": _r("/collection/late/", "login"),
        "collection:matrix": _r("/collection/completeness/matrix/", "login"),
        "collection:approve_bulk": _r("/collection/queue/approve/", "login", ("POST",)),
        "collection:remind": _r("/collection/remind/", "login", ("POST",)),
        # technology contracts (issue 18): lists scoped; objects of other users are tested per role in
        # tests/apps/contracts/test_contract_roles.py — here an unknown one answers 404 to everybody
        "contracts:list": _r("/contracts/", "login"),
        "contracts:new": _r("/contracts/new/", "login"),
        "contracts:turnover": _r("/contracts/turnover/", "login"),
        "contracts:turnover_period": _r("/contracts/turnover/2018Q4/", "login"),
        "contracts:detail": _r("/contracts/999999/", "nobody"),
        "contracts:edit": _r("/contracts/999999/edit/", "nobody", ("GET", "POST")),
        "contracts:act": _r("/contracts/999999/submit/", "nobody", ("POST",)),
        "api:contracts-list": _r("/api/contracts/", "login", ("GET", "POST")),
        "api:contracts-turnover": _r("/api/contracts/turnover/?period=2018Q4", "login"),
        "api:contracts-detail": _r("/api/contracts/999999/", "nobody"),
        **{f"api:contracts-{verb}": _r(f"/api/contracts/999999/{verb}/", "nobody", ("POST",))
           for verb in ("submit", "accept", "return", "register", "refuse", "amend", "revoke")},
        # plan execution (issue 16): measures scoped by the user's responsible units
        "execution:list": _r("/measures/", "page"),
        "execution:review": _r("/measures/review/", ("action", Action.REVIEW_MEASURE)),
        "execution:detail": _r("/measures/nope/", "nobody"),
        "execution:report": _r("/measures/nope/report/", "nobody"),
        "execution:report-review": _r("/measures/reports/999999/review/", "nobody", ("POST",)),
        "execution:evidence": _r("/measures/evidence/999999/", "nobody"),
        # public supervision (issue 16 item 6): releases by 省创新办, public pages, the units' feedback queue
        "execution:releases": _r("/measures/releases/", ("action", Action.REVIEW_MEASURE), ("GET", "POST")),
        "execution:feedback": _r("/measures/feedback/", "login"),
        "execution:feedback-handle": _r("/measures/feedback/999999/handle/", "nobody", ("POST",)),
        "execution:public": _r("/measures/public/", "public"),
        "execution:public-group": _r("/measures/public/nope/", "nobody", ("GET", "POST")),
        "api:execution-api-measures": _r("/api/execution/measures/", "login"),
        "api:execution-api-measure": _r("/api/execution/measures/nope/", "nobody"),
        # an empty body is refused before the object is looked up (400: the input, not the right)
        "api:execution-api-report-save": _r("/api/execution/measures/nope/reports/", "login", ("POST",)),
        "api:execution-api-report-queue": _r("/api/execution/reports/queue/", ("action", Action.REVIEW_MEASURE)),
        "api:execution-api-report-review": _r("/api/execution/reports/999999/review/", "login", ("POST",)),
        "api:execution-api-inspection": _r("/api/execution/inspection/2018Q4/", "login"),
        # the annual assessment (issue 16 item 4): 省创新办 computes; city and zone staff read their scope
        "assessment:list": _r("/assessment/?year=2018", "page"),
        "assessment:compute": _r("/assessment/compute/", ("action", Action.ASSESS), ("POST",)),
        "assessment:unit": Rule((("/assessment/2018/lzxq/", ("unit", Action.READ_ASSESSMENT, "lzxq")),
                                 ("/assessment/2018/bygx/", ("unit", Action.READ_ASSESSMENT, "bygx")))),
        # the innovation survey (issue 17 items 6-8): staff read a year's strata and estimates (no enterprise)
        "survey:year": _r("/survey/2019/", ("action", Action.READ_UNPUBLISHED)),
        # issue 17 items 6-7: the sampled enterprise answers (itself, its zone's staff, 省创新办); 催报 by the
        # province and the zone's 审核员; the live estimates for 省创新办; the published report for everyone
        "survey:index": _r("/survey/", "login"),
        "survey:answer": Rule(((f"/survey/2018/{ea}/", ("unit", Action.ANSWER_SURVEY, "ent_a")),
                               (f"/survey/2018/{eb}/", ("unit", Action.ANSWER_SURVEY, "ent_b"))), ("GET", "POST")),
        "survey:answer_xlsx": Rule(((f"/survey/2018/{ea}/questionnaire.xlsx", ("unit", Action.ANSWER_SURVEY, "ent_a")),
                                    (f"/survey/2018/{eb}/questionnaire.xlsx", ("unit", Action.ANSWER_SURVEY, "ent_b")))),
        "survey:answer_upload": Rule(((f"/survey/2018/{ea}/upload/", ("unit", Action.ANSWER_SURVEY, "ent_a")),),
                                     ("POST",)),
        "survey:remind": Rule(((f"/survey/2018/{ea}/remind/", ("unit", Action.REVIEW, "lzxq")),
                               (f"/survey/2018/{eb}/remind/", ("unit", Action.REVIEW, "bygx"))), ("POST",)),
        "api:survey-api-rounds": _r("/api/survey/rounds/", "login"),
        "api:survey-api-status": _r("/api/survey/2018/status/", ("action", Action.READ_UNPUBLISHED)),
        "api:survey-api-estimates": _r("/api/survey/2018/estimates/", ("action", Action.MANAGE_SURVEY)),
        "api:survey-api-response": Rule(
            ((f"/api/survey/2018/responses/{ea}/", ("unit", Action.ANSWER_SURVEY, "ent_a")),
             (f"/api/survey/2018/responses/{eb}/", ("unit", Action.ANSWER_SURVEY, "ent_b"))), ("GET", "POST")),
        "reports-api-survey": _r("/api/reports/survey/2018/", "nobody"),  # not published: 404 for everyone
        "api:assessment-api-result": _r("/api/assessment/2018/", "login"),
        "api:assessment-api-compute": _r("/api/assessment/2018/compute/", ("action", Action.ASSESS), ("POST",)),
        "api:assessment-api-unit": Rule((("/api/assessment/2018/lzxq/", ("unit", Action.READ_ASSESSMENT, "lzxq")),
                                         ("/api/assessment/2018/bygx/", ("unit", Action.READ_ASSESSMENT, "bygx")))),
        # 大型科研仪器开放共享 (issue 18 item 3): the catalogue is public; bookings by the owner's staff
        "instruments:list": _r("/instruments/", "public"),
        "instruments:detail": _r("/instruments/999999/", "nobody"),
        "instruments:book": _r("/instruments/999999/book/", "nobody", ("GET", "POST")),
        "instruments:queue": _r("/instruments/queue/", "login"),
        # registration: whoever manages some unit's instruments (its staff, 省创新办)
        "instruments:new": _r("/instruments/new/", ("some", Action.MANAGE_INSTRUMENT), ("GET", "POST")),
        "instruments:sharing": _r("/instruments/sharing/?year=2019", "login"),
        # the register and its sharing sheet as Excel: the same staff as registration
        "instruments:export": _r("/instruments/export.xlsx?year=2019", ("some", Action.MANAGE_INSTRUMENT)),
        "instruments:usage": _r("/instruments/bookings/999999/usage/", "nobody", ("GET", "POST")),
        "instruments:act": _r("/instruments/bookings/999999/approve/", "nobody", ("POST",)),
        "api:instruments-list": _r("/api/instruments/", "public"),
        "api:instruments-booking-create": _r("/api/instruments/bookings/", "login", ("POST",)),
        "api:instruments-sharing": _r("/api/instruments/sharing/?year=2019", "login"),
        # project reserve and talent pools (issue 18 item 4): lists scoped; objects per role and the
        # absence of the full 身份证号 / fingerprint in every answer in tests/apps/pools/test_pools_leaks.py
        "pools:project-list": _r("/pools/", "login"),
        "pools:project-new": _r("/pools/projects/new/", "login", ("GET", "POST")),
        "pools:project-detail": _r("/pools/projects/999999/", "nobody"),
        "pools:project-advance": _r("/pools/projects/999999/advance/", "nobody", ("POST",)),
        "pools:talent-list": _r("/pools/talents/", "login"),
        "pools:talent-new": _r("/pools/talents/new/", "login", ("GET", "POST")),
        "pools:talent-detail": _r("/pools/talents/999999/", "nobody"),
        "pools:talent-withdraw": _r("/pools/talents/999999/withdraw/", "nobody", ("POST",)),
        "api:pools-projects": _r("/api/pools/projects/", "login", ("GET", "POST")),
        "api:pools-talents": _r("/api/pools/talents/", "login"),
        # third-party evaluation (issue 16 item 5): a unit's page follows READ_FIGURES; writes need
        # membership of an assigned organisation (none in this fixture) or, for review, an existing report
        "evaluation:overview": _r("/evaluation/", "page"),
        "evaluation:unit": Rule((("/evaluation/2018/lzxq/", ("unit", Action.READ_FIGURES, "lzxq")),
                                 ("/evaluation/2018/bygx/", ("unit", Action.READ_FIGURES, "bygx")))),
        "evaluation:score": _r("/evaluation/2018/lzxq/score/", "nobody", ("POST",)),
        "evaluation:evidence": _r("/evaluation/2018/lzxq/evidence/999999/", "nobody"),
        # a measure's page follows EVALUATE_MEASURE (scopes and refusals per measure, draft and returned
        # reports in tests/apps/evaluation/test_evaluation_measures.py); no measure "nope" exists
        "evaluation:measure": _r("/evaluation/2018/measures/nope/", "nobody"),
        "evaluation:measure-score": _r("/evaluation/2018/measures/nope/score/", "nobody", ("POST",)),
        "evaluation:measure-evidence": _r("/evaluation/2018/measures/nope/evidence/999999/", "nobody"),
        "evaluation:submit": _r("/evaluation/assignments/999999/submit/", "nobody", ("POST",)),
        "evaluation:review": _r("/evaluation/reports/999999/review/", "nobody", ("POST",)),
        "evaluation:retire": _r("/evaluation/assignments/999999/retire/", "nobody", ("POST",)),
        # evaluation management (省创新办; an organisation's page also for its members, tested in
        # tests/apps/evaluation/test_evaluation_manage.py): no organisation 999999 exists
        "evaluation:organisation-new": _r("/evaluation/organisations/new/", ("action", Action.MANAGE_EVALUATION),
                                          ("GET", "POST")),
        "evaluation:organisation": _r("/evaluation/organisations/999999/", "nobody"),
        "evaluation:organisation-member": _r("/evaluation/organisations/999999/members/", "nobody", ("POST",)),
        "evaluation:organisation-assign": _r("/evaluation/organisations/999999/assign/", "nobody", ("POST",)),
        "evaluation:organisation-conflict": _r("/evaluation/organisations/999999/conflicts/", "nobody",
                                               ("POST",)),
        "api:evaluation-api-assignments": _r("/api/evaluation/assignments/", "login"),
        "api:evaluation-api-submit": _r("/api/evaluation/assignments/999999/submit/", "nobody", ("POST",)),
        # 创新券 (issue 18 item 2): staff see scheme budgets and the report; lists scoped to the user's
        # enterprises / zone; the 公示 is public; objects of other users are tested in tests/apps/vouchers
        "vouchers:schemes": _r("/vouchers/", ("action", Action.READ_UNPUBLISHED)),
        "vouchers:apply": _r("/vouchers/apply/", "login", ("GET", "POST")),
        "vouchers:queue": _r("/vouchers/queue/", "page"),
        "vouchers:notice": _r("/vouchers/notice/", "public"),
        "vouchers:report": _r("/vouchers/report/?year=2019", ("action", Action.READ_UNPUBLISHED)),
        "vouchers:application_act": _r("/vouchers/applications/999999/issue/", "nobody", ("POST",)),
        "vouchers:detail": _r("/vouchers/999999/", "nobody"),
        "vouchers:act": _r("/vouchers/999999/use/", "nobody", ("POST",)),
        "vouchers:claim_new": _r("/vouchers/uses/999999/claim/", "nobody", ("GET", "POST")),
        "vouchers:claim": _r("/vouchers/claims/999999/", "nobody"),
        "vouchers:claim_review": _r("/vouchers/claims/999999/pay/", "nobody", ("POST",)),
        "vouchers:document": _r("/vouchers/documents/999999/", "nobody"),
        "vouchers:provider": _r("/vouchers/provider/", "login"),
        "vouchers:related": _r("/vouchers/related/", "login", ("GET", "POST")),
        "vouchers:related_remove": _r("/vouchers/related/999999/remove/", "nobody", ("POST",)),
        "api:vouchers-schemes": _r("/api/vouchers/schemes/", ("action", Action.READ_UNPUBLISHED)),
        "api:vouchers-apply": _r("/api/vouchers/applications/", "login", ("POST",)),
        "api:vouchers-report": _r("/api/vouchers/report/?year=2019", ("action", Action.READ_UNPUBLISHED)),
        "api:vouchers-claim": _r("/api/vouchers/uses/999999/claim/", "nobody", ("POST",)),
        "api:vouchers-instrument-use": _r("/api/vouchers/NO-SUCH-VOUCHER/instrument-use/", "nobody", ("POST",)),
    }
    return {
        (k if k.startswith("api:") or not r.paths[0][0].startswith("/api/") else f"api:{k}"): r
        for k, r in table.items()
    }


# ------------------------------------------------------------------------------------------------
# the fixture: built once per test function that needs it (inside its transaction)


def _build(make_user, settings) -> dict:
    from lanbai.access.models import UserScope
    from lanbai.collection import services as cs
    from lanbai.plans.models import Indicator, OrgUnit, Target
    from lanbai.registry.services import credit_code_error  # noqa: F401 (the registry app is loaded)
    from lanbai.reports import services as rs

    settings.LANBAI_PERIOD_LOCK_DAYS = 100000
    lz, by = OrgUnit.objects.get(code="lzxq"), OrgUnit.objects.get(code="bygx")
    province = make_user("m_province", "province")
    users: dict[str, Any] = {"anonymous": None, "province": province}
    for zone in ("lzxq", "bygx"):
        users[f"reporter_{zone}"] = make_user(f"m_rep_{zone}", "zone_reporter", zone)
        users[f"reviewer_{zone}"] = make_user(f"m_rev_{zone}", "zone_reviewer", zone)
    users["city_lanzhou"] = make_user("m_city", "city", "lanzhou")
    users["evaluator_lzxq"] = make_user("m_eval", "evaluator", "lzxq")

    from lanbai.core.collection.creditcode import check_character

    def code(n: int) -> str:
        first = f"91620100MA{n:07d}"
        return first + check_character(first)

    ent_a = cs.enterprise_register(user=None, zone=lz, credit_code=code(901), name=NAME_A)
    ent_b = cs.enterprise_register(user=None, zone=by, credit_code=code(902), name=NAME_B)
    users["enterprise_a"] = make_user("m_ent_a", "evaluator", "bygx")  # then: its own enterprise only
    UserScope.objects.filter(user=users["enterprise_a"]).update(role="enterprise_reporter", org_unit=ent_a.org_unit)

    def zone_report(zone, filler, reviewer, period, *, to: str):
        values = {"gdp": "1000", "resident_population": "10", "fiscal_expenditure": "50"}
        sub, _ = cs.submission_save_version(user=filler, form_code="兰白统Q1表", unit=zone, period=period,
                                            values=values, now=NOW)
        if to in ("submitted", "approved"):
            cs.submission_submit(user=filler, submission=sub, now=NOW)
        if to == "approved":
            cs.submission_review(user=reviewer, submission=sub, approve=True)
            cs.submission_final_approve(user=province, submission=sub, now=NOW)
        return sub

    subs = {
        "lzxq_approved": zone_report(lz, users["reporter_lzxq"], users["reviewer_lzxq"], "2018Q4", to="approved"),
        "bygx_submitted": zone_report(by, users["reporter_bygx"], users["reviewer_bygx"], "2018Q4",
                                      to="submitted"),
        "lzxq_draft": zone_report(lz, users["reporter_lzxq"], users["reviewer_lzxq"], "2018Q3", to="draft"),
    }
    ent_values = {"credit_code": ent_a.credit_code, "enterprise_name": NAME_A, "revenue": SECRET_A,
                  "rd_staff": "77"}
    sub_a, _ = cs.submission_save_version(user=users["reporter_lzxq"], form_code="兰白统Q2表",
                                          unit=ent_a.org_unit, period="2018Q4", values=ent_values, now=NOW)
    cs.submission_submit(user=users["reporter_lzxq"], submission=sub_a, now=NOW)
    cs.submission_review(user=users["reviewer_lzxq"], submission=sub_a, approve=True)
    cs.submission_final_approve(user=province, submission=sub_a, now=NOW)
    subs["ent_a_approved"] = sub_a
    # a second enterprise of the same zone: the zone's totals are never enterprise A's own figure
    ent_c = cs.enterprise_register(user=None, zone=lz, credit_code=code(903), name="公开丙有限公司")
    sub_c, _ = cs.submission_save_version(
        user=users["reporter_lzxq"], form_code="兰白统Q2表", unit=ent_c.org_unit, period="2018Q4",
        values=ent_values | {"credit_code": ent_c.credit_code, "enterprise_name": "公开丙有限公司",
                             "revenue": "1000", "rd_staff": "5"}, now=NOW)
    cs.submission_submit(user=users["reporter_lzxq"], submission=sub_c, now=NOW)
    cs.submission_review(user=users["reviewer_lzxq"], submission=sub_c, approve=True)
    cs.submission_final_approve(user=province, submission=sub_c, now=NOW)
    published = rs.release_create(kind="bulletin", period="2018Q4", publish=True, confirm_incomplete=True)
    from lanbai.survey import services as survey_services

    survey_services.survey_round_draw(province, 2018)  # every enterprise of this small frame is sampled
    draft = rs.release_create(kind="bulletin", period="2018Q4")
    units = {"lzxq": lz, "bygx": by, "ent_a": ent_a.org_unit, "ent_b": ent_b.org_unit}
    units |= {key: s.org_unit for key, s in subs.items()}
    return {
        "users": users,
        "ent_a": ent_a,
        "ent_b": ent_b,
        "subs": {k: s.pk for k, s in subs.items()},
        "units": units,
        "indicator": Indicator.objects.order_by("pk").values_list("code", flat=True).first(),
        "target": Target.objects.order_by("pk").values_list("pk", flat=True).first(),
        "release_published": published.pk,
        "release_draft": draft.pk,
    }


def _expected(decision: Any, user: Any, fx: dict, path: str = "") -> bool:
    if decision == "page":
        from django.urls import resolve

        from lanbai.access.policy import page_allowed

        view = resolve(path.split("?")[0]).func
        assert getattr(view, "page_rule", None), f"{path}: 'page' but its view has no page_rule"
        return user is not None and page_allowed(view, user)
    if decision == "public":
        return True
    if decision == "nobody":
        return False
    if user is None:
        return False
    if decision == "login":
        return True
    kind = decision[0]
    if kind == "action":
        return can(user, decision[1])
    if kind == "some":  # the action on at least one unit
        ids = unit_ids(user, decision[1])
        return ids is None or bool(ids)
    unit = fx["units"][decision[2]]
    if kind == "unit":
        return can(user, decision[1], unit)
    # a workflow write: the report must be readable, then the right decides (403 / the workflow's answer)
    return can(user, Action.READ, unit) and can(user, decision[1], unit)


def _outcome(status: int, location: str, user: Any, path: str) -> str:
    if status >= 500:
        return "error"
    if user is None and status == 302 and "/accounts/login/" in location and "/accounts/" not in path:
        return "denied"
    if status in (401, 403, 404):
        return "denied"
    return "allowed"  # 2xx, 3xx, or a refusal of the input itself (400, 405, 409, 413)


def _entitled_to_a(user: Any, fx: dict) -> bool:
    return user is not None and can(user, Action.READ_CONFIDENTIAL, fx["ent_a"].org_unit)


# ------------------------------------------------------------------------------------------------


def test_every_url_pattern_has_a_rule(db):
    """A new URL pattern without an entry in the rule table fails here (fill RULES when adding one)."""
    dummy = {
        "ent_a": type("E", (), {"credit_code": "A"}),
        "ent_b": type("E", (), {"credit_code": "B"}),
        "subs": {"x": 1},
        "indicator": "i",
        "target": 1,
        "release_published": 1,
        "release_draft": 2,
    }
    names = {n for _, n in _patterns()}
    table = rules(dummy)
    missing = sorted(names - set(table))
    assert not missing, f"URL patterns without a role-matrix rule: {missing}"
    stale = sorted(set(table) - names)
    assert not stale, f"rules for URL names that no longer exist: {stale}"


def test_role_matrix(shipped_plan_in_db, make_user, settings):
    fx = _build(make_user, settings)
    table = rules(fx)
    totals: Counter = Counter()
    failures: list[str] = []
    timing: Counter = Counter()
    clients = {}
    for role, user in fx["users"].items():
        c = Client(raise_request_exception=False)
        if user is not None:
            c.force_login(user)
        clients[role] = c
    import os

    only = os.environ.get("LANBAI_MATRIX_ONLY")  # debugging: one URL name's cells
    for name, rule in sorted(table.items()):
        if only and name != only:
            continue
        for path, decision in rule.paths:
            for method in rule.methods:
                d = rule.post if (method == "POST" and rule.post is not None) else decision
                for role, user in fx["users"].items():
                    expect = _expected(d, user, fx, path)
                    client = clients[role]
                    if name == "logout":  # a client of its own: the others stay signed in
                        client = Client(raise_request_exception=False)
                        if user is not None:
                            client.force_login(user)
                    started = time.perf_counter()
                    with transaction.atomic():
                        if method == "GET":
                            res = client.get(path)
                        else:
                            res = client.post(path, {})
                        transaction.set_rollback(True)
                    timing[name] += time.perf_counter() - started
                    body = b"".join(res.streaming_content) if res.streaming else res.content
                    text = body.decode("utf-8", "replace")
                    got = _outcome(res.status_code, res.get("Location", ""), user, path)
                    totals["cells"] += 1
                    totals[got] += 1
                    cell = f"{method} {path} as {role}: {res.status_code}"
                    if got == "error":
                        failures.append(f"500 {cell}")
                    elif got != ("allowed" if expect else "denied"):
                        failures.append(f"expected {'allowed' if expect else 'denied'}, got {cell}")
                    # the credit code in a 404 that only repeats the requested path is no leak
                    code_a = fx["ent_a"].credit_code
                    echoed = code_a in path and got == "denied"
                    if not _entitled_to_a(user, fx) and (
                        NAME_A in text or SECRET_A in text or (code_a in text and not echoed)
                    ):
                        totals["leaks"] += 1
                        hit = next(t for t in (NAME_A, SECRET_A, code_a) if t in text)
                        at = text.index(hit)
                        failures.append(f"LEAK of enterprise A in {cell}: …{text[max(0, at - 80):at + 40]!r}…")
    print(
        f"\nrole matrix: {totals['cells']} cells, {totals['allowed']} allowed, {totals['denied']} denied, "
        f"{totals['leaks']} leaks, {totals['error']} server errors; slowest: "
        + ", ".join(f"{n} {t:.1f}s" for n, t in timing.most_common(5))
    )
    if failures:
        out = os.environ.get("LANBAI_MATRIX_REPORT")
        if out:
            with open(out, "w", encoding="utf-8") as fh:
                fh.write("\n".join(failures))
    assert not failures, "\n".join(failures[:80]) + f"\n({len(failures)} failing cells)"
    assert totals["leaks"] == 0 and totals["error"] == 0
