"""A documented simulator of the reporting network, 2015Q1–2020Q4 (every record marked 模拟数据).

What it does, in order (seeded RNG: the same seed gives the same data):

1. creates demo users per role (省创新办; per zone a 填报员 and a 审核员), password :data:`DEMO_PASSWORD`;
2. registers the 附件7 enterprises of the plan (section ``candidate_enterprises``; those the plan does not
   place in a zone are placed at random) plus ``synthetic_per_zone`` synthetic enterprises per zone, with
   deterministic valid GB 32100 credit codes (prefix 91 62, check character computed), all ``is_simulated``;
3. writes filled Excel templates (the platform's own :func:`write_template`) per quarter for each zone's
   园区季报 and 企业季报.  Every ratio of the 园区季报 follows the plan's trajectory (the ``Target`` rows
   loaded from 专栏1 / 附件1–3: baseline → target, geometric) — the zone's own, else the pilot zone's —
   with noise, and the totals are derived from the ratios (so 高技术产业劳动生产率 = 高技术产业增加值 /
   从业人员 gives the planned path back); two zones lag (they reach only part of the planned growth) so
   warnings appear; flows are cumulative year to date; the stocks the registries count
   (:func:`reported_counts`) grow to the zones' share of the pilot zone's 2020 targets;
4. spoils a few files on purpose (an approximate number, R&D staff above employees, a malformed credit
   code, the wrong period) — they are refused by the importer; two of them are re-sent corrected,
   late, so timeliness is below 100 %;
5. imports every file through :func:`lanbai.collection.intake.import_records` as the zone's 填报员
   (submitting at a simulated time after the quarter), then approves the good reports as the zone's
   审核员 and 省创新办 — except in the last quarter, the quarter under review (:func:`_review`): reports
   wait at zone level, for the 省创新办's 终审, and two are returned with a reason;
6. registers what was reported (``lanbai.registry.demo``: 高企 certificates, 孵化器, 众创空间, 研发平台,
   联盟, 创新型企业 …), then the contracts, the soft-rule draft and late request (:mod:`.soft_and_late`),
   the city, enterprise and evaluator accounts, and publishes the bulletins of complete quarters.

A second run refuses politely and changes nothing (the demo users exist).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, overload

import numpy as np
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from lanbai.access.choices import Role
from lanbai.access.services import demo_user_create, user_scope_grant
from lanbai.common.exceptions import ApplicationError
from lanbai.core import periods
from lanbai.core.collection import check_character, write_template
from lanbai.core.collection.synthetic import records_workbook
from lanbai.core.periods import Quarter
from lanbai.plans.selectors import orgunit_find, plan_records, target_first_with_baseline, unit_targets
from lanbai.plans.selectors import zone_list as plan_zone_list

from .. import services
from ..choices import Status
from ..intake import import_records
from ..intake.parsing import form_by_code
from ..models import Enterprise, Submission
from . import soft_and_late

if TYPE_CHECKING:  # the plans app's models are read through its selectors
    from lanbai.plans.models import OrgUnit, Target

    Trajectories = dict[tuple[int, str], Target | None]
from .access_roles import demo_access_roles, demo_enterprise_of

# Files of more rows are written by ``records_workbook`` (openpyxl's styled cells cost ~1 ms a row).
TEMPLATE_ROWS = 300
DEMO_PASSWORD = "lanbai-demo"  # noqa: S105 - documented demo credential (docs/reporting.md)
SIMULATED = "模拟数据"
ZONE_FORM, ENT_FORM = "兰白统Q1表", "兰白统Q2表"
LAGGING = {"lzjj": 0.55, "bygx": 0.7}  # share of the planned growth these zones achieve
FIRST, LAST = Quarter.parse("2015Q1"), Quarter.parse("2020Q4")

# Zone defaults when the plan gives no target (2014 level, annual growth).
DEFAULTS = {"grp": (150.0, 0.12), "population": (20.0, 0.03)}


@dataclass
class DemoReport:
    """What the simulator did (printed by the CLI)."""

    users: list[tuple[str, str, str]] = field(default_factory=list)  # username, role label, unit
    enterprises: int = 0
    files: int = 0
    accepted: int = 0
    refused: list[str] = field(default_factory=list)
    approved: int = 0
    pending: int = 0  # 已提交: waiting for a zone's 审核员
    awaiting_final: int = 0  # 园区已审核: waiting for the 省创新办's 终审
    returned: int = 0  # 已退回 with a reason: waiting for the filler
    registry: dict[str, int] = field(default_factory=dict)  # registry objects created, by kind
    already: bool = False
    message: str = ""


def quarters() -> list[Quarter]:
    return periods.quarters(str(FIRST), str(LAST))


def credit_code(rng: np.random.Generator) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "916201" + "".join(alphabet[i] for i in rng.integers(0, 31, 11))
    return body + check_character(body)


@overload
def _path(zone: OrgUnit, indicator: str, year: int, *, lag: float, targets: Trajectories,
          default: tuple[float, float]) -> float: ...
@overload
def _path(zone: OrgUnit, indicator: str, year: int, *, lag: float, targets: Trajectories,
          default: None = None) -> float | None: ...
def _path(
    zone: OrgUnit, indicator: str, year: int, *, lag: float, targets: Trajectories,
    default: tuple[float, float] | None = None,
) -> float | None:
    """The value on the plan's trajectory (baseline → target, geometric), growth scaled by ``lag``.

    ``targets``: the plan's targets read once (:func:`_trajectories`); a pair it lacks is a
    KeyError, never a query (the files' second process must not use the database).
    """
    t = targets[(zone.pk, indicator)]
    if t is None:
        if default is None:
            return None
        base, g = default
        return base * (1 + g * lag) ** (year - 2014)
    b, v = float(t.baseline_value or 0), float(t.value)  # (the selector keeps targets with a baseline)
    span = max(1, (t.year or 2020) - (t.baseline_year or 2014))
    if b <= 0:
        return v
    g = (v / b) ** (1 / span) - 1
    return b * (1 + g * lag) ** (year - (t.baseline_year or 2014))


def _users(report: DemoReport, zones: list[OrgUnit]) -> dict[str, object]:
    made = {}

    def make(username, role, unit):
        u = demo_user_create(username=username, password=DEMO_PASSWORD, first_name=SIMULATED)
        user_scope_grant(by=None, user=u, role=role, unit=unit)
        report.users.append((username, str(Role(role).label), unit.name if unit else "全部 / all"))
        made[username] = u
        return u

    make("demo_sheng", Role.PROVINCE, None)
    for z in zones:
        make(f"demo_{z.code}_fill", Role.ZONE_REPORTER, z)
        make(f"demo_{z.code}_review", Role.ZONE_REVIEWER, z)
    return made


def _enterprises(
    report: DemoReport, zones: list[OrgUnit], province, rng, synthetic_per_zone: int, progress=None
) -> dict[str, list[Enterprise]]:
    by_code = {z.code: z for z in zones}
    plan = zones[0].plan
    names: list[tuple[str, OrgUnit]] = []
    for rec in plan_records(plan, "candidate_enterprises", order=("order", "id")):
        zone = by_code.get(rec.data.get("zone") or "") or zones[int(rng.integers(0, len(zones)))]
        names.append((rec.data["name"], zone))
    for z in zones:
        names += [
            (f"{z.short_name or z.name}模拟企业{k + 1:02d}（{SIMULATED}）", z)
            for k in range(synthetic_per_zone)
        ]
    out: dict[str, list[Enterprise]] = {z.code: [] for z in zones}
    seen: set[str] = set()
    entries: list[services.EnterpriseEntry] = []
    for name, zone in names:
        code = credit_code(rng)
        while code in seen:
            code = credit_code(rng)
        seen.add(code)
        start = dt.date(2015 + int(rng.integers(0, 3)) if rng.random() < 0.25 else 2015, 1, 1)
        entries.append(services.EnterpriseEntry(zone=zone, credit_code=code, name=name, registered_on=start,
                                                simulated=True))
    for k in range(0, len(entries), 500):  # in batches, so the progress bar moves
        batch = entries[k : k + 500]
        for ent in services.enterprises_register(user=province, entries=batch):
            out[ent.zone.code].append(ent)
        if progress:
            progress(f"{STAGES[0]} {batch[-1].zone.name}", k + len(batch), len(entries))
    report.enterprises = sum(len(v) for v in out.values())
    return out


INDUSTRIES = [
    ("chemical", "traditional"),
    ("metallurgy", "traditional"),
    ("equipment", "traditional"),
    ("bio", "emerging"),
    ("new_materials", "emerging"),
    ("advanced_equipment", "emerging"),
    ("information_technology", "emerging"),
    ("new_energy", "emerging"),
    ("modern_services", "emerging"),
]


@dataclass
class _Firm:
    ent: Enterprise
    industry: str
    category: str
    high_tech_from: int | None  # the year its first 高新技术企业 certificate is issued (None: never)
    revenue: float  # annual, 2015, 万元
    growth: float
    employees: int
    rd_share: float


def _firms(ents: list[Enterprise], rng, lag: float) -> list[_Firm]:
    out = []
    for e in ents:
        ind, cat = INDUSTRIES[int(rng.integers(0, len(INDUSTRIES)))]
        out.append(
            _Firm(
                e,
                ind,
                cat,
                _high_tech_from(e, rng),
                float(rng.lognormal(9.5, 1.0)),
                float(rng.normal(0.12 * lag + 0.03, 0.04)),
                int(rng.integers(20, 3000)),
                float(rng.uniform(0.005, 0.06)),
            )
        )
    return out


def _high_tech_from(e: Enterprise, rng) -> int | None:
    """A third of the firms hold a 高企 certificate from the year they start reporting; a fifth more are
    recognised in a later year (the number of 高新技术企业 grows towards the plan's target)."""
    start = max(2015, e.registered_on.year if e.registered_on else 2015)
    draw = float(rng.random())
    if draw < 0.33:
        return start
    if draw < 0.53:
        return start + 1 + int(rng.integers(0, 4))
    return None


def certificates(f: _Firm, last: Quarter) -> list[tuple[str, dt.date, dt.date]]:
    """The 高企 certificates the firm reports up to ``last``: (number, issued, valid until); three years each."""
    if f.high_tech_from is None:
        return []
    return [
        (f"GR{year}62{f.ent.pk:06d}", dt.date(year, 1, 1), dt.date(year + 2, 12, 31))
        for year in range(f.high_tech_from, last.year + 1, 3)
    ]


def _ent_row(f: _Firm, q: Quarter, rng) -> dict:
    years = q.year - 2015
    annual = f.revenue * (1 + f.growth) ** years
    ytd = annual * q.q / 4 * float(rng.uniform(0.97, 1.03))
    output = ytd * 0.9
    employees = int(f.employees * (1 + 0.03 * years))
    row = {
        "credit_code": f.ent.credit_code,
        "enterprise_name": f.ent.name,
        "industry": f.industry,
        "category": f.category,
        "high_tech": f.high_tech_from is not None and q.year >= f.high_tech_from,
        "revenue": round(ytd, 1),
        "output_value": round(output, 1),
        "industrial_va": round(output * 0.3, 1),
        "tax": round(ytd * 0.05, 1),
        "profit": round(ytd * 0.08, 1),
        "employees": employees,
        "rd_staff": int(employees * 0.08),
        "rd_expenditure": round(ytd * f.rd_share, 1),
        "invention_patents_valid": int(3 + years * 2),
        "patent_applications": int(q.q * 2),
        "patent_grants": int(q.q),
        "tech_contract_value": round(ytd * 0.01, 1),
        "new_product_output": round(output * 0.2, 1),
        "new_jobs": int(q.q * 3),
    }
    if row["high_tech"]:
        number, _issued, until = certificates(f, q)[-1]  # the certificate valid in this quarter
        row["hightech_certificate_no"] = number
        row["hightech_certificate_valid_until"] = until
    return row


# Stocks the zones report that the registries count (form field -> the indicator whose 2020 target of the
# pilot zone they grow to, the four zones' level at the end of 2014): the registry demo creates as many
# objects as the zones report (``lanbai.registry.demo``).  Maker spaces have no target: 3 + 2 a year.
COUNT_PATHS = {"incubators": ("incubators", 31), "rd_platforms": ("rd_platforms", 200),
               "alliances": ("industry_alliances", 48)}
INTENSIVE = ("rd_intensity", "hightech_va_share", "emerging_va_share_gdp", "fiscal_st_share",
             "rd_personnel_per_10k", "invention_patents_per_10k", "energy_per_10k_gdp",
             "hightech_labour_productivity")
FALLBACK = {"rd_intensity": 1.5, "hightech_va_share": 20, "emerging_va_share_gdp": 15, "fiscal_st_share": 2,
            "rd_personnel_per_10k": 40, "invention_patents_per_10k": 3, "energy_per_10k_gdp": 1.5,
            "hightech_labour_productivity": 30}


def count_targets(root: OrgUnit | None) -> dict[str, float]:
    """The pilot zone's 2020 targets behind :data:`COUNT_PATHS` (form field -> value)."""
    out = {}
    for fld, (indicator, base) in COUNT_PATHS.items():
        t = unit_targets(plan=root.plan, indicator=indicator, unit=root).last() if root is not None else None
        out[fld] = float(t.value) if t is not None else base * 1.5
    return out


def reported_counts(year: int, *, lag: float, n_zones: int, targets: dict[str, float]) -> dict[str, int]:
    """The stocks a zone reports at ``year`` end: its share of the four zones' 2014 level, growing linearly
    to its share of the 2020 target (``lag`` of the way)."""
    out = {}
    for fld, (_indicator, base) in COUNT_PATHS.items():
        b, t = base / n_zones, targets[fld] / n_zones
        out[fld] = round(b + (t - b) * lag * min(1.0, (year - 2014) / 6))
    out["maker_spaces"] = 3 + 2 * (year - 2015)
    return out


def _zone_row(zone: OrgUnit, q: Quarter, rng, lag: float, *, root: OrgUnit | None = None,
              counts: dict[str, int] | None = None, targets: Trajectories) -> dict:
    """The zone's 园区季报 of ``q``: every ratio on the plan's trajectory for the zone (附件1) or, where the
    plan sets the zone none, the pilot zone's (专栏1); the totals are derived from them, so each formula
    (e.g. 高技术产业劳动生产率 = 高技术产业增加值 / 从业人员) gives back the trajectory, not a by-product."""
    y = q.year
    share = q.q / 4 * float(rng.uniform(0.97, 1.03))  # year to date

    def ratio(code: str) -> float:
        own = _path(zone, code, y, lag=lag, targets=targets)
        if own is None and root is not None:
            own = _path(root, code, y, lag=lag, targets=targets)
        return own if own is not None else FALLBACK[code]

    grp = _path(zone, "grp", y, lag=lag, default=DEFAULTS["grp"], targets=targets) * 1e4  # 亿元 → 万元
    pop = _path(zone, "population", y, lag=lag, default=DEFAULTS["population"], targets=targets)
    rd_int, ht_share, em_share, st_share = (
        ratio(c) for c in ("rd_intensity", "hightech_va_share", "emerging_va_share_gdp", "fiscal_st_share")
    )
    rd_per10k, pat_per10k = ratio("rd_personnel_per_10k"), ratio("invention_patents_per_10k")
    energy, productivity = ratio("energy_per_10k_gdp"), ratio("hightech_labour_productivity")
    tech = _path(zone, "tech_contract_turnover", y, lag=lag, targets=targets)
    if tech is None:  # the pilot zone's turnover in proportion to the zone's GRP
        root_tech = _path(root, "tech_contract_turnover", y, lag=lag, targets=targets) if root else None
        root_grp = _path(root, "grp", y, lag=lag, targets=targets) if root else None
        tech = root_tech * grp / 1e4 / root_grp if root_tech and root_grp else 5
    noise = float(rng.normal(1, 0.02))
    gdp = grp * share * noise
    industrial = gdp * 0.42
    fiscal = gdp * 0.18
    hightech_annual = grp * 0.42 * min(ht_share, 100) / 100  # 万元 a year
    return {
        "gdp": round(gdp, 1),
        "resident_population": round(pop, 2),
        "urban_population": round(pop * 0.7, 2),
        "fiscal_expenditure": round(fiscal, 1),
        "fiscal_st_expenditure": round(fiscal * min(st_share, 30) / 100, 1),
        "zone_rd_expenditure": round(gdp * min(rd_int, 20) / 100, 1),
        "energy_consumption": round(gdp * energy, 1),
        "zone_tech_contract_value": round(tech * 1e4 * share, 1),
        "zone_industrial_va": round(industrial, 1),
        "hightech_va": round(industrial * min(ht_share, 100) / 100, 1),
        "emerging_va": round(gdp * min(em_share, 100) / 100, 1),
        "hightech_employment": max(1, int(hightech_annual / productivity * float(rng.normal(1, 0.02)))),
        "zone_rd_staff": int(pop * rd_per10k),
        "zone_invention_patents": int(pop * pat_per10k),
        **(counts or reported_counts(y, lag=lag, n_zones=4, targets={"incubators": 50, "rd_platforms": 500,
                                                                    "alliances": 160})),
    }


# (zone code, period, form, how the file is spoiled) — refused by the importer; ``resend`` ones come back late.
SPOILED = [
    ("lzjj", "2017Q3", ENT_FORM, "rd_staff", True),
    ("bygx", "2019Q1", ZONE_FORM, "approximate", True),
    ("lzgx", "2018Q2", ENT_FORM, "credit_code", False),
    ("lzxq", "2016Q4", ZONE_FORM, "period", False),
]


def _spoil(rows: list[dict], how: str) -> tuple[list[dict], str | None]:
    rows = [dict(r) for r in rows]
    if how == "rd_staff":
        rows[0]["rd_staff"] = rows[0]["employees"] + 10
    elif how == "approximate":
        rows[0]["gdp"] = f"约{rows[0]['gdp']}"
    elif how == "credit_code":
        rows[-1]["credit_code"] = rows[-1]["credit_code"][:17] + (
            "0" if rows[-1]["credit_code"][17] != "0" else "1"
        )
    return rows, ("wrong_period" if how == "period" else None)


# the steps ``progress`` reports (its label starts with one of them)
STAGES = ("企业登记 / registering", "导入报表 / importing", "审核 / approving", "登记与公报 / registries and bulletins")


def demo_run(
    *, seed: int = 2016, synthetic_per_zone: int = 8, progress: Callable[[str, int, int], None] | None = None,
    parallel: bool | None = None,
) -> DemoReport:
    """Run the simulator once (see the module docstring); a second run changes nothing.

    ``parallel``: make the files in a second process while this one imports them (default: from
    :data:`PARALLEL_FROM` synthetic enterprises per zone on); the files are the same either way.
    """
    report = DemoReport()
    if get_user_model().objects.filter(username="demo_sheng").exists():
        report.already = True
        report.message = "演示数据已存在，未作任何更改 / demo data already present; nothing changed"
        return report
    from lanbai.plans.selectors import plan_current

    plan = plan_current()
    if plan is None:
        raise ApplicationError("请先运行 lanbai init / run `lanbai init` first")
    zones = list(plan_zone_list(plan=plan).order_by("order", "code"))
    root = orgunit_find(plan.meta.get("root_unit", "lanbai"), plan=plan)
    counts = count_targets(root)
    targets = _trajectories([*zones, *([root] if root is not None else [])])
    rng = np.random.default_rng(seed)
    with transaction.atomic():
        users = _users(report, zones)
        ents = _enterprises(report, zones, users["demo_sheng"], rng, synthetic_per_zone, progress)
    firms = {z.code: _firms(ents[z.code], rng, LAGGING.get(z.code, 1.0)) for z in zones}
    qs = quarters()
    made = _files(zones, qs, firms, rng, root=root, targets=targets, counts=counts)
    total = len(qs) * len(zones)
    for f in _produced(made) if parallel or (parallel is None and synthetic_per_zone >= PARALLEL_FROM) else made:
        z = zones[f.zone]
        if progress:
            progress(f"{STAGES[1]} {z.name} {f.period}", f.step, total)
        _import(report, z, f, users[f"demo_{z.code}_fill"])
    _review(report, zones, users, progress)

    def stage(name: str, k: int) -> None:
        if progress:
            progress(f"{STAGES[3]}: {name}", k, 5)

    stage("科技企业 / registries", 0)
    import_string("lanbai.registry.demo.registry_demo")(  # registries (a higher layer): what the zones report
        user=users["demo_sheng"],
        counts={z.code: {y: reported_counts(y, lag=LAGGING.get(z.code, 1.0), n_zones=len(zones), targets=counts)
                         for y in range(FIRST.year, LAST.year + 1)} for z in zones},
        certificates=[(f.ent, certificates(f, LAST)) for fs in firms.values() for f in fs],
        seed=seed,
        report=report.registry,
    )
    stage("技术合同与仪器 / contracts and instruments", 1)
    import_string("lanbai.contracts.demo.contracts_demo")(seed=seed)  # 技术合同认定登记 (模拟数据)
    import_string("lanbai.instruments.demo.instruments_demo")(seed=seed)  # 大型科研仪器开放共享 (模拟数据)
    stage("提示与迟报 / warnings and late reports", 2)
    soft_and_late.demo_soft_and_late(zones=zones, users=users, last=LAST, report=report)  # issue 14 3–4
    demo_access_roles(report, zones, password=DEMO_PASSWORD, marker=SIMULATED)  # city, enterprise, evaluator
    report.pending = Submission.objects.filter(status=Status.SUBMITTED).count()
    report.awaiting_final = Submission.objects.filter(status=Status.ZONE_APPROVED).count()
    report.returned = Submission.objects.filter(status=Status.RETURNED).count()
    stage("监测公报 / bulletins", 3)
    import_string("lanbai.reports.demo.demo_publish")(qs)  # issue 13: bulletins (reports is a higher layer)
    if connection.vendor == "postgresql":
        # planner statistics for the bulk-loaded tables: without them (autovacuum off, or not yet
        # run) PostgreSQL reads the whole change log of the store (a row per approval) to find the
        # newest few on every page request after an approval
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    stage("完成 / done", 5)
    registered = "、".join(f"{k} {v}" for k, v in report.registry.items())
    report.message = (
        f"演示数据已生成 / demo data ready: {report.enterprises} 家企业 enterprises, {report.files} 个文件 "
        f"files, {report.accepted} 接受 accepted, {len(report.refused)} 拒绝 refused, "
        f"{report.approved} 份报表已审核 approved, {report.pending} 份待园区审核 waiting at zone level, "
        f"{report.awaiting_final} 份待省创新办终审 waiting for final approval, {report.returned} 份已退回 "
        f"returned; 登记 registry: {registered}"
    )
    return report


RETURN_REASON = "规模以上工业增加值与企业季报汇总数差异较大，请核实后修改并重新上报（模拟）"
HELD_ENTERPRISES = 2  # enterprise reports of the last quarter left with each zone's 审核员


def _review(report: DemoReport, zones: list[OrgUnit], users: dict, progress=None) -> None:
    """The zone reviewers approve, then 省创新办 gives final approval — except in the last quarter, the
    quarter under review (no bulletin is published for it: it is incomplete anyway):

    * the last zone: every report waits for its 审核员 (已提交);
    * every other zone: ``HELD_ENTERPRISES`` enterprise reports wait for its 审核员;
    * the first zone: its 园区季报 and the demo enterprise's report are returned (退回, with a reason);
    * the second zone: its reports are approved at zone level and wait for the 省创新办 (终审).
    """
    province = users["demo_sheng"]
    last = str(LAST)
    pending_zone = zones[-1].code if zones else None
    for n, z in enumerate(zones, 1):
        if progress:
            progress(f"{STAGES[2]} {z.name}", n, len(zones))
        reviewer = users[f"demo_{z.code}_review"]
        todo = Submission.objects.filter(org_unit__in=_units(z), status=Status.SUBMITTED)
        now = todo.filter(period=last).order_by("form_code", "org_unit__code")
        held: list[int] = []
        to_return: list[Submission] = []
        final = True
        if z.code == pending_zone:
            held = list(now.values_list("id", flat=True))
        else:
            ents = [s.id for s in now if s.form_code == ENT_FORM]
            held = ents[-HELD_ENTERPRISES:]
            if n == 1:
                ent = demo_enterprise_of(zones)
                to_return = [s for s in now if s.form_code == ZONE_FORM or (ent and s.org_unit_id == ent.org_unit_id)]
                to_return = [s for s in to_return if s.id not in held]
            elif n == 2:
                final = False
        ids = list(todo.exclude(id__in=held + [s.id for s in to_return]).values_list("id", flat=True))
        services.submissions_approve_bulk(user=reviewer, ids=ids, final=False)
        if not final:  # the last quarter stays with 省创新办
            ids = list(Submission.objects.filter(id__in=ids).exclude(period=last).values_list("id", flat=True))
        report.approved += services.submissions_approve_bulk(user=province, ids=ids, final=True)
        for sub in to_return:
            services.submission_review(user=reviewer, submission=sub, approve=False, reason=RETURN_REASON)


def _units(zone: OrgUnit) -> list[int]:
    return [zone.id, *Enterprise.objects.filter(zone=zone).values_list("org_unit_id", flat=True)]


@dataclass(frozen=True)
class _File:
    """A file the simulator sends: the zone (index), the period, the form, the bytes, when."""

    step: int  # the (quarter, zone) it belongs to, counted from 1 (the progress bar)
    zone: int
    period: str
    form_code: str
    data: bytes
    when: dt.datetime
    wrong_period: bool = False


def _trajectories(units: list[OrgUnit]) -> Trajectories:
    """The targets :func:`_zone_row` follows, read once: (unit id, indicator) -> target or None."""
    indicators = ("grp", "population", "tech_contract_turnover", *INTENSIVE)
    return {(u.pk, ind): target_first_with_baseline(unit=u, indicator=ind) for u in units for ind in indicators}


def _files(zones: list[OrgUnit], qs: list[Quarter], firms: dict[str, list[_Firm]], rng, *,
           root: OrgUnit | None, targets: Trajectories, counts: dict[str, float]) -> Iterator[_File]:
    """Every file the zones' 填报员 send, in order: the 园区季报 and 企业季报 of each quarter, the
    spoiled ones (:data:`SPOILED`) before their corrections.  Reads no database (``targets``), so a
    second process can make them (:func:`_produced`); the random numbers are drawn in the same order."""
    spoiled = {(z, p, f): (how, resend) for z, p, f, how, resend in SPOILED}
    tz = timezone.get_current_timezone()
    step = 0
    for q in qs:
        for k, z in enumerate(zones):
            step += 1
            lag = LAGGING.get(z.code, 1.0)
            delay = (
                int(rng.integers(3, 12)) if rng.random() > 0.08 else int(rng.integers(17, 30))
            )  # some late
            when = dt.datetime.combine(q.end + dt.timedelta(days=delay), dt.time(10, 0), tzinfo=tz)
            active = [f for f in firms[z.code] if f.ent.registered_on is None or f.ent.registered_on <= q.end]
            files = [
                (ZONE_FORM, [_zone_row(z, q, rng, lag, root=root, targets=targets, counts=reported_counts(
                    q.year, lag=lag, n_zones=len(zones), targets=counts))]),
                (ENT_FORM, [_ent_row(f, q, rng) for f in active]),
            ]
            for form_code, rows in files:
                if not rows:
                    continue
                key = (z.code, str(q), form_code)
                if key in spoiled:
                    how, resend = spoiled[key]
                    bad_rows, mode = _spoil(rows, how)
                    wrong = mode == "wrong_period"
                    yield _File(step, k, str(q), form_code, _workbook(z, q, form_code, bad_rows, wrong), when, wrong)
                    if not resend:
                        continue
                    when = when + dt.timedelta(days=20)  # corrected, late
                yield _File(step, k, str(q), form_code, _workbook(z, q, form_code, rows, False), when)


def _workbook(zone: OrgUnit, q: Quarter, form_code: str, rows: list[dict], wrong_period: bool) -> bytes:
    form = form_by_code(form_code)
    shown = str(Quarter(q.year, q.q % 4 + 1)) if wrong_period else str(q)  # a wrong period of the same year
    if len(rows) > TEMPLATE_ROWS:  # a synthetic zone (--synthetic): the same cells, written directly
        return records_workbook(form, rows, period=shown, unit_code=zone.code, unit_name=zone.name)
    # the file a filler downloads, filled in (styles, drop-downs, protection)
    return write_template(form, period=shown, unit_code=zone.code, unit_name=zone.name, rows=rows, blank_rows=0)


# From this many synthetic enterprises per zone on, a second process makes the files (2,500: the
# import stage fell from 44 s to 36 s on 2 cores); the small demo keeps the inline path.
PARALLEL_FROM = 500


def _produced(files: Iterator[_File]) -> Iterator[_File]:
    """``files`` made in a forked process while the caller imports the ones before.

    The child only computes (``files`` reads no database) and leaves with ``os._exit`` (the
    multiprocessing default), so it never touches the parent's database connection.  A failure in
    the child is raised here; leaving early stops the child.
    """
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue(maxsize=4)  # a few files ahead: the bytes of 10,000-row files are ~1.7 MB each
    child = ctx.Process(target=_produce, args=(files, queue), daemon=True, name="lanbai-demo-files")
    child.start()
    try:
        while True:
            item = queue.get()
            if item is None:
                break
            if isinstance(item, str):
                raise ApplicationError(f"演示文件生成失败 / making the demo files failed:\n{item}")
            yield item
        child.join()
    finally:
        if child.is_alive():
            child.terminate()
            child.join()


def _produce(files: Iterator[_File], queue) -> None:
    try:
        for f in files:
            queue.put(f)
        queue.put(None)
    except BaseException:  # handed to the parent, which raises it
        queue.put(traceback.format_exc())


def _import(report: DemoReport, zone: OrgUnit, f: _File, user) -> None:
    name = f"{f.form_code}-{zone.code}-{f.period}{'-错误' if f.wrong_period else ''}.xlsx"
    report.files += 1
    res = import_records(
        user=user,
        filename=name,
        content=f.data,
        expected_form=f.form_code,
        expected_period=f.period,
        expected_unit=zone.code,
        submit=True,
        simulated=True,
        now=f.when,
    )
    if res.accepted:
        report.accepted += 1
    else:
        report.refused.append(f"{name}: {res.problems[0].message_zh if res.problems else res.message}")
