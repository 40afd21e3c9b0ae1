"""Writes of the plans app: load the plan data into the database, idempotently."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from lanbai.common.audit import audit
from lanbai.core.plan import default_plan_dir, load_plan
from lanbai.core.plan.schema import Plan

from .models import Indicator, OrgUnit, OrgUnitLink, PlanRecord, PlanVersion, Target

# Sections kept as generic records, with the function giving each record's stable key.
RECORD_SECTIONS: dict[str, Any] = {
    "phases": lambda r, i: r.code,
    "programmes": lambda r, i: r.code,
    "industry_plans": lambda r, i: r.code,
    "measures": lambda r, i: r.code,
    "responsible_units": lambda r, i: r.code,
    "cluster_rows": lambda r, i: f"{r.zone}:{r.category}:{r.industry}",
    "cluster_totals": lambda r, i: f"{r.zone}:{r.source}:{i}",
    "alliance_groups": lambda r, i: r.industry,
    "rd_columns": lambda r, i: r.code,
    "rd_rows": lambda r, i: r.field,
    "candidate_enterprises": lambda r, i: str(r.seq),
    "recognition_criteria": lambda r, i: str(r.number),
    "policy_articles": lambda r, i: str(r.number),
    "support_items": lambda r, i: f"{r.party}:{hashlib.sha1(r.text.encode()).hexdigest()[:10]}",  # noqa: S324
}


@dataclass
class LoadReport:
    """What ``plan_load_into_db`` changed (empty ``changes`` means the database was up to date)."""

    plan_code: str
    changes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def render(self) -> str:
        lines = []
        if not self.changes:
            lines.append(f"规划 {self.plan_code} 已是最新，未作任何更改 / plan is up to date: nothing changed.")
        else:
            lines.append(f"规划 {self.plan_code}：{len(self.changes)} 处更改 / {len(self.changes)} change(s):")
            lines.extend(f"  {c}" for c in self.changes)
        summary = ", ".join(f"{k} {v}" for k, v in self.counts.items())
        lines.append(f"数据库现有 / in the database: {summary}")
        return "\n".join(lines)


# The index framework shipped with the platform, stored when a plan directory has none of its own.
SHIPPED_FRAMEWORK = Path(__file__).resolve().parents[3] / "plans" / "lanbai-2015-2020" / "index" / "framework.yaml"


def _plan_dir(plan_dir: str | Path | None) -> Path:
    if plan_dir:
        return Path(plan_dir)
    if getattr(settings, "LANBAI_PLAN_DIR", ""):
        return Path(settings.LANBAI_PLAN_DIR)
    return default_plan_dir()


def _framework_text(directory: Path) -> str:
    """The plan's own index framework (``index/framework.yaml``), else the shipped one."""
    path = directory / "index" / "framework.yaml"
    if not path.is_file():
        path = SHIPPED_FRAMEWORK
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _hash_dir(directory: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(directory.rglob("*.yaml")):
        h.update(p.relative_to(directory).as_posix().encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def _norm(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return float(value)
    return value


def _dec(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(repr(float(value)))


def _sync(model, *, plan: PlanVersion, key_field: str | tuple[str, ...], rows: dict[Any, dict], label: str,
          report: LoadReport, delete_missing: bool = True, extra_filter: dict | None = None) -> dict[Any, Any]:
    """Make the rows of ``model`` for ``plan`` equal ``rows`` (key -> field values); report changes."""
    qs = model.objects.filter(plan=plan, **(extra_filter or {}))
    keyf = (lambda o: getattr(o, key_field)) if isinstance(key_field, str) else (
        lambda o: tuple(getattr(o, k) for k in key_field)
    )
    existing = {keyf(o): o for o in qs}
    out = {}
    for key, values in rows.items():
        obj = existing.pop(key, None)
        if obj is None:
            kw = dict(zip((key_field,) if isinstance(key_field, str) else key_field, (key,) if isinstance(key_field, str) else key, strict=True))
            obj = model.objects.create(plan=plan, **(extra_filter or {}), **kw, **values)
            report.changes.append(f"新增 / added {label} {key}")
        else:
            diffs = []
            for name, new in values.items():
                old = getattr(obj, name)
                if hasattr(old, "pk") or hasattr(new, "pk"):
                    if getattr(old, "pk", old) != getattr(new, "pk", new):
                        diffs.append(f"{name}: {old} → {new}")
                        setattr(obj, name, new)
                elif _norm(old) != _norm(new):
                    diffs.append(f"{name}: {_norm(old)!r} → {_norm(new)!r}")
                    setattr(obj, name, new)
            if diffs:
                obj.save(update_fields=[d.split(":")[0] for d in diffs] + ["updated_at"])
                report.changes.append(f"更新 / updated {label} {key}: " + "; ".join(diffs))
        out[key] = obj
    for key, obj in existing.items():
        if delete_missing:
            obj.delete()
            report.changes.append(f"删除 / removed {label} {key}（规划中已无 / no longer in the plan）")
        else:
            out[key] = obj
    return out


@transaction.atomic
def plan_load_into_db(*, user: Any = None, plan_dir: str | Path | None = None) -> LoadReport:
    """Load (or update) the plan of ``plan_dir`` into the database in one transaction.

    Only the command line loads a plan (``lanbai init``, as the operator: no page or API does; the
    plans app sits below the access policy, so the caller is the check).  One audit event
    (``plan.load``) when anything changed, naming the changes.

    A second run with unchanged data changes nothing and says so; an edited plan updates what
    changed and lists each change.  Organisation units and indicators that disappear from the
    plan are kept (figures may have been reported against them) and reported.
    """
    directory = _plan_dir(plan_dir)
    plan: Plan = load_plan(directory)
    meta = plan.plan
    report = LoadReport(plan_code=meta.code)
    content_hash = _hash_dir(directory)
    # What the platform reads at run time instead of the directory (see ``plans.selectors.plan_validated``).
    stored: dict[str, Any] = dict(document=plan.model_dump(mode="json"), index_framework=_framework_text(directory))

    version, created = PlanVersion.objects.get_or_create(
        code=meta.code,
        defaults=dict(name=meta.name, start_year=meta.start_year, end_year=meta.end_year,
                      baseline_year=meta.baseline_year, content_hash=content_hash,
                      meta=meta.model_dump(mode="json"), **stored),
    )
    if created:
        report.changes.append(f"新增 / added plan {meta.code}")
    else:
        fields = dict(name=meta.name, start_year=meta.start_year, end_year=meta.end_year,
                      baseline_year=meta.baseline_year, meta=meta.model_dump(mode="json"))
        diffs = [k for k, v in fields.items() if _norm(getattr(version, k)) != _norm(v)]
        for k in diffs:
            setattr(version, k, fields[k])
        if diffs:
            report.changes.append(f"更新 / updated plan {meta.code}: {', '.join(diffs)}")
        if version.content_hash != content_hash:
            version.content_hash = content_hash
            diffs.append("content_hash")
            version.document, version.index_framework = stored["document"], stored["index_framework"]
        elif not version.document or not version.index_framework:
            # loaded before the plan document was stored: same content, so only the document is new
            version.document, version.index_framework = stored["document"], stored["index_framework"]
            diffs.append("document")
            report.changes.append(f"更新 / updated plan {meta.code}: 存储规划文档 / stored the plan document")
        if diffs:
            version.save()

    # organisation -----------------------------------------------------------------------------
    unit_rows = {}
    for order, u in enumerate(plan.org_units):
        unit_rows[u.code] = dict(
            name=u.name, short_name=u.short_name or "", name_en=u.name_en or "", kind=u.kind,
            valid_from=u.valid_from, valid_to=u.valid_to, admin_code=u.admin_code or "",
            area_km2=_dec(u.area.value) if u.area else None, leading_industries=list(u.leading_industries),
            members=list(u.members), source=u.source, order=order,
            data=u.model_dump(mode="json", include={"enterprise_targets", "size", "note", "area"}),
        )
    units = _sync(OrgUnit, plan=version, key_field="code", rows=unit_rows, label="org_unit", report=report,
                  delete_missing=False)
    existing_links = {(lk.unit.code, lk.parent.code, lk.valid_from): lk
                      for lk in OrgUnitLink.objects.filter(unit__plan=version).select_related("unit", "parent")}
    for u in plan.org_units:
        for link in u.parent_links():
            key = (u.code, link.parent, link.valid_from)
            lk = existing_links.pop(key, None)
            if lk is None:
                OrgUnitLink.objects.create(unit=units[u.code], parent=units[link.parent],
                                           valid_from=link.valid_from, valid_to=link.valid_to)
                report.changes.append(f"新增 / added link {u.code} → {link.parent} from {link.valid_from}")
            elif lk.valid_to != link.valid_to:
                report.changes.append(f"更新 / updated link {u.code} → {link.parent}: valid_to {lk.valid_to} → {link.valid_to}")
                lk.valid_to = link.valid_to
                lk.save(update_fields=["valid_to"])
    for key, lk in existing_links.items():
        lk.delete()
        report.changes.append(f"删除 / removed link {key[0]} → {key[1]} from {key[2]}")

    # indicators and targets ---------------------------------------------------------------------
    ind_rows = {
        i.code: dict(name=i.name, name_en=i.name_en or "", aliases=list(i.aliases), unit=i.unit,
                     direction=i.direction, kind=i.kind, definition=i.definition or "", source=i.source, order=n)
        for n, i in enumerate(plan.indicators)
    }
    inds = _sync(Indicator, plan=version, key_field="code", rows=ind_rows, label="indicator", report=report,
                 delete_missing=False)
    target_rows: dict[str, dict] = {}

    def add_target(key: str, **values: Any) -> None:
        values["indicator"] = inds[values["indicator"]]
        values["org_unit"] = units[values["org_unit"]]
        values["value"] = _dec(values["value"])
        for k in ("baseline_value", "stated_growth_pct"):
            if k in values:
                values[k] = _dec(values[k])
        target_rows[key] = values

    for t in plan.targets:
        add_target(f"target:{t.indicator}:{t.org_unit}:{t.target.year}:{t.source}", kind="target",
                   indicator=t.indicator, org_unit=t.org_unit, label=t.label or "", year=t.target.year,
                   value=t.target.value, comparator=t.target.comparator, approx=t.target.approx,
                   baseline_year=t.baseline.year if t.baseline else None,
                   baseline_value=t.baseline.value if t.baseline else None,
                   stated_growth_pct=t.stated_annual_growth_pct, source=t.source)
    for s in plan.annual_series:
        for year, value in s.values.items():
            add_target(f"annual:{s.indicator}:{s.org_unit}:{s.category}:{year}:{s.source}", kind="annual",
                       indicator=s.indicator, org_unit=s.org_unit, category=s.category, year=year,
                       value=value, source=s.source)
    for p in plan.period_totals:
        add_target(f"total:{p.indicator}:{p.org_unit}:{p.category}:{p.from_year}-{p.to_year}:{p.source}",
                   kind="period_total", indicator=p.indicator, org_unit=p.org_unit, category=p.category,
                   from_year=p.from_year, year=p.to_year, value=p.value, comparator=p.comparator,
                   approx=p.approx, source=p.source)
    for ph in plan.phases:
        for pt in ph.targets:
            add_target(f"phase:{ph.code}:{pt.indicator}:{pt.org_unit}", kind="phase", indicator=pt.indicator,
                       org_unit=pt.org_unit, label=pt.name, from_year=ph.start.year, year=ph.end.year,
                       value=pt.figure.value, comparator=pt.figure.comparator, approx=pt.figure.approx,
                       source=pt.figure.source)
    _sync(Target, plan=version, key_field="key", rows=target_rows, label="target", report=report)

    # everything else as records -------------------------------------------------------------------
    for section, keyf in RECORD_SECTIONS.items():
        rows = {}
        for n, rec in enumerate(getattr(plan, section)):
            rows[keyf(rec, n)] = dict(data=rec.model_dump(mode="json"), source=getattr(rec, "source", "") or "",
                                      order=n)
        _sync(PlanRecord, plan=version, key_field="key", rows=rows, label=section, report=report,
              extra_filter={"section": section})
    totals = plan.rd_totals
    rows = {"rd_totals": dict(data=totals.model_dump(mode="json"), source=totals.source, order=0)} if totals else {}
    _sync(PlanRecord, plan=version, key_field="key", rows=rows, label="rd_totals", report=report,
          extra_filter={"section": "rd_totals"})

    report.counts = {
        "org_units": OrgUnit.objects.filter(plan=version).count(),
        "indicators": Indicator.objects.filter(plan=version).count(),
        "targets": Target.objects.filter(plan=version).count(),
        "records": PlanRecord.objects.filter(plan=version).count(),
    }
    if report.changes:
        audit(user, "plan.load", version, field="content_hash", new=content_hash,
              reason="\n".join(report.changes)[:5000])
    return report


# ------------------------------------------------------------------------------------------------
# units other apps add to the tree (enterprise registration).  They are steps of the caller's service,
# which holds the transaction, has checked the user's right and records the one audit event.


def orgunit_create(
    *, plan: PlanVersion, code: str, name: str, kind: str, valid_from: dt.date, source: str = "", order: int = 0
) -> OrgUnit:
    """A new unit of ``plan``."""
    return OrgUnit.objects.create(
        plan=plan, code=code, name=name, kind=kind, valid_from=valid_from, source=source, order=order
    )


def orgunits_create(*, units: list[dict[str, Any]]) -> list[OrgUnit]:
    """New units at once (each dict: :func:`orgunit_create`'s arguments), primary keys set."""
    return OrgUnit.objects.bulk_create([OrgUnit(**u) for u in units], batch_size=2000)


def orgunit_links_create(*, links: list[tuple[OrgUnit, OrgUnit, dt.date]]) -> list[OrgUnitLink]:
    """:func:`orgunit_link` for many ``(unit, parent, valid_from)`` at once."""
    return OrgUnitLink.objects.bulk_create(
        [OrgUnitLink(unit=u, parent=p, valid_from=start) for u, p, start in links], batch_size=2000
    )


def orgunit_link(*, unit: OrgUnit, parent: OrgUnit, valid_from: dt.date) -> OrgUnitLink:
    """Link ``unit`` below ``parent`` from ``valid_from`` on."""
    return OrgUnitLink.objects.create(unit=unit, parent=parent, valid_from=valid_from)
