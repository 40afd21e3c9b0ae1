"""Demo registries (模拟数据, issue 14 item 9): what ``lanbai demo``'s zones and enterprises report is registered.

Called by the simulator (:func:`lanbai.collection.demo.demo_run`, a lower layer: by name) after the reports
are imported, as 省创新办 through the registry services (validated, audited):

* every 高新技术企业 certificate an enterprise reports (number, issue date, 有效期至) becomes a
  ``Recognition`` (高新技术企业) and the latest one its profile's certificate, so the registry's count
  of 高新技术企业 on any date is the number of reporting enterprises with a certificate valid then;
* each zone's reported stocks (期末科技企业孵化器, 众创空间, 研发平台, 产业技术创新战略联盟) become as
  many registry objects, established so that the count at each year end is the number reported;
* a share of the 附件7 candidates is recognised as 创新型企业, and some enterprises as 知识产权优势企业.

Every object is ``is_simulated`` (its name says 模拟数据; recognitions: their enterprise is simulated).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np

from lanbai.plans.selectors import plan_current

from . import services
from .choices import IncubatorKind, Level, PlatformKind
from .models import Recognition
from .selectors import plan_units_by_code

if TYPE_CHECKING:
    from lanbai.collection.models import Enterprise

SIMULATED = "模拟数据"
INDUSTRIES = ["石油化工", "装备制造", "生物医药", "新材料", "信息技术", "新能源", "现代服务"]
PLATFORM_KINDS = [k for k in PlatformKind.values if k != PlatformKind.OTHER]
LEVELS = [(Level.NATIONAL, 0.1), (Level.PROVINCIAL, 0.6), (Level.MUNICIPAL, 0.3)]
SYNTHETIC = "模拟企业"  # the simulator's synthetic enterprises (the others are 附件7 candidates)


def _level(rng) -> str:
    r, acc = float(rng.random()), 0.0
    for level, p in LEVELS:
        acc += p
        if r < acc:
            return level
    return Level.MUNICIPAL


def _established(rng, year: int, first: int) -> dt.date:
    """When an object counted at the end of ``year`` was established: before the simulation for those of
    its first year (they are reported from its first quarter on), else early in ``year``."""
    if year == first:
        return dt.date(int(rng.integers(2008, first)), int(rng.integers(1, 13)), 1)
    return dt.date(year, 1, 1) + dt.timedelta(days=int(rng.integers(0, 80)))


def registry_demo(
    *,
    user,
    counts: dict[str, dict[int, dict[str, int]]],
    certificates: list[tuple[Enterprise, list[tuple[str, dt.date, dt.date]]]],
    seed: int = 2016,
    report: dict[str, int] | None = None,
) -> dict[str, int]:
    """Register what the demo reports (see the module docstring); returns how many objects of each kind.

    ``counts``: zone code -> year -> reported stock per form field (``incubators``, ``maker_spaces``,
    ``rd_platforms``, ``alliances``); ``certificates``: each enterprise with the 高企 certificates it
    reports (number, issued, valid until).
    """
    rng = np.random.default_rng(seed + 7)
    made: dict[str, int] = report if report is not None else {}

    def bump(kind: str) -> None:
        made[kind] = made.get(kind, 0) + 1

    plan = plan_current()
    units = plan_units_by_code(plan)
    hosts: dict[str, list[str]] = {}
    for ent, _certs in certificates:
        hosts.setdefault(ent.zone.code, []).append(ent.name)
    last_year = max((y for by_year in counts.values() for y in by_year), default=2020)

    for code, by_year in counts.items():
        zone = units.get(code)
        if zone is None:
            continue
        short = zone.short_name or zone.name
        years = sorted(by_year)
        done = {"incubators": 0, "maker_spaces": 0, "rd_platforms": 0, "alliances": 0}
        for year in years:
            for fld, n_before in list(done.items()):
                for k in range(n_before, by_year[year].get(fld, 0)):
                    industry = INDUSTRIES[int(rng.integers(0, len(INDUSTRIES)))]
                    data: dict[str, Any] = {
                        "zone": zone,
                        "industry": industry,
                        "valid_from": _established(rng, year, years[0]),
                        "source": SIMULATED,
                        "is_simulated": True,
                    }
                    names = hosts.get(code) or [""]
                    host = names[int(rng.integers(0, len(names)))]
                    if fld in ("incubators", "maker_spaces"):
                        carrier = IncubatorKind.INCUBATOR if fld == "incubators" else IncubatorKind.MAKER_SPACE
                        label = "科技企业孵化器" if fld == "incubators" else "众创空间"
                        services.incubator_save(user=user, data={
                            **data, "name": f"{short}{industry}{label}{k + 1:02d}（{SIMULATED}）",
                            "kind": carrier, "level": _level(rng),
                            "area_m2": float(int(rng.integers(2, 60)) * 1000),
                        })
                    elif fld == "rd_platforms":
                        platform = PLATFORM_KINDS[int(rng.integers(0, len(PLATFORM_KINDS)))]
                        label = str(PlatformKind(platform).label).split("（")[0]
                        services.rd_platform_save(user=user, data={
                            **data, "name": f"{short}{industry}{label}{k + 1:03d}（{SIMULATED}）",
                            "kind": platform, "level": _level(rng), "host": host,
                        })
                    else:
                        services.alliance_save(user=user, data={
                            **data, "name": f"{short}{industry}产业技术创新战略联盟{k + 1:02d}（{SIMULATED}）",
                            "field_name": industry, "lead": host,
                        })
                    bump(fld)
                done[fld] = max(n_before, by_year[year].get(fld, 0))

    recognitions: list[dict[str, Any]] = []  # created at once (services.registry_entries_create_bulk)
    for ent, certs in certificates:
        for number, issued, until in certs:
            recognitions.append({
                "enterprise": ent, "kind": Recognition.Kind.HIGH_TECH, "valid_from": issued, "valid_to": until,
                "reference": number,
            })
            bump("high_tech")
        if certs:
            number, issued, until = certs[-1]
            services.enterprise_profile_save(user=user, enterprise=ent, data={
                "hightech_certificate_no": number, "hightech_valid_from": issued, "hightech_valid_to": until,
            })
        start = max(2016, ent.registered_on.year if ent.registered_on else 2016)
        for kind, share, doc in (
            (Recognition.Kind.INNOVATIVE, 0.0 if SYNTHETIC in ent.name else 0.55, "甘科创"),
            (Recognition.Kind.IP_ADVANTAGE, 0.15, "甘知管"),
        ):
            if float(rng.random()) >= share:
                continue
            year = start + int(rng.integers(0, 4))
            if year > last_year:
                continue
            recognitions.append({
                "enterprise": ent, "kind": kind,
                "valid_from": dt.date(year, int(rng.integers(3, 12)), 1),
                "reference": f"{doc}〔{year}〕{int(rng.integers(10, 99))}号（模拟）",
            })
            bump(kind)
    services.registry_entries_create_bulk(user=user, model=Recognition, rows=recognitions)
    return made
