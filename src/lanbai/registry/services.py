"""Writes of the registry app: seeding from the plan, create/update of every registry (validated, audited).

Every write goes through :func:`registry_entry_save` (or a thin ``<entity>_save`` wrapper of it): one
transaction; the user's right for the object's zone is checked first (:mod:`lanbai.access.policy`);
``full_clean`` refusals become :class:`~lanbai.common.exceptions.ValidationFailed`; one audit event
per changed field (action ``registry.create`` / ``registry.update``, :func:`lanbai.common.audit.audit`).
Credit codes are checked with the one GB 32100-2015 rule of :mod:`lanbai.core.collection.creditcode`;
enterprises are registered by :func:`lanbai.collection.services.enterprise_register` (their one home).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db import models, transaction

from lanbai.access.policy import Action, can
from lanbai.common.audit import audit, audit_events_bulk
from lanbai.common.exceptions import PermissionDeniedError, ValidationFailed
from lanbai.core.collection.creditcode import classify as classify_credit_code
from lanbai.core.plan.schema import AllianceGroup, CandidateEnterprise, ClusterRow
from lanbai.plans.selectors import orgunit_is_linked

from .models import Alliance, Candidate, Cluster, EnterpriseProfile, Incubator, RdPlatform, Recognition
from .selectors import enterprise_list, plan_section, plan_units_by_code

if TYPE_CHECKING:  # the other apps' models are read through their selectors
    from lanbai.collection.models import Enterprise
    from lanbai.plans.models import OrgUnit, PlanVersion

SIZE_BANDS = (  # 附件4 columns, largest first: (counts key, label)
    ("thousand", "千亿级"),
    ("hundred", "百亿级"),
    ("fifty_to_hundred", "50-100亿"),
    ("ten_to_fifty", "10-50亿"),
    ("one_to_ten", "亿元级"),
)
CATEGORY_ZH = {"traditional": "传统产业", "emerging": "战略性新兴产业"}


# ------------------------------------------------------------------------------------------------
# rights and refusals


def can_write(user, zone: OrgUnit | None) -> bool:
    """省创新办 writes everything; a 园区填报员 writes the objects of its own zone (not zone-less ones).

    ``user`` None is the command line (an operator with server access): allowed.
    """
    return can(user, Action.WRITE_REGISTRY, zone)


def _require_write(user, zone: OrgUnit | None) -> None:
    if not can_write(user, zone):
        where = zone.name if zone else "（无园区）"
        raise PermissionDeniedError(
            f"无权修改 {where} 的登记信息（需省创新办或本园区填报员） / "
            f"not allowed to change registry entries of {zone.code if zone else 'no zone'}"
        )


REVIEWER_FIELDS = ("credit_good", "policy_fit")  # 审核确认: set by 园区审核员 / 省创新办 only


def _require_review(user, zone: OrgUnit | None) -> None:
    if not can(user, Action.REVIEW_REGISTRY, zone):
        raise PermissionDeniedError(
            "信用良好、符合产业政策须由园区审核员或省创新办确认 / "
            "credit_good and policy_fit are set by reviewers only"
        )


def _require_rights(user, instance: models.Model, data: dict[str, Any]) -> None:
    """The rights a change needs, checked before anything changes.

    Reviewer-only fields (:data:`REVIEWER_FIELDS`) that would change need REVIEW_REGISTRY on the
    zone; every other field (and a change of nothing but them) needs WRITE_REGISTRY, for the zone
    before and after the change (a reporter can move an object neither into nor out of its zone).
    """
    reviewed = [
        k for k in REVIEWER_FIELDS
        if k in data and (instance.pk is None or getattr(instance, k, None) != data[k])
    ]
    others = [k for k in data if k not in REVIEWER_FIELDS]
    if others or not reviewed:
        if instance.pk is not None:
            _require_write(user, _zone_of(instance))
        _require_write(user, _zone_after(instance, data))
    if reviewed:
        _require_review(user, _zone_after(instance, data))


def credit_code_error(code: str) -> str | None:
    """None if ``code`` is a valid 统一社会信用代码, else a message naming the rule (GB 32100-2015)."""
    rule = classify_credit_code(code or "")
    if rule is None:
        return None
    if rule == "credit_code.format":
        return f"统一社会信用代码“{code}”格式错误：应为18位数字或大写字母（不含I、O、S、V、Z） [{rule}]"
    return f"统一社会信用代码“{code}”校验位错误（GB 32100-2015） [{rule}]"


def validation_failed(exc: ValidationError) -> ValidationFailed:
    """A Django ``ValidationError`` as the :class:`ValidationFailed` that crosses the service boundary."""
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"": list(exc.messages)}
    message = "；".join(
        f"{k}: {m}" if k and k != "__all__" else str(m) for k, ms in fields.items() for m in ms
    )
    return ValidationFailed(message, extra={"fields": fields})


# ------------------------------------------------------------------------------------------------
# generic save with audit


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def _zone_of(obj: models.Model) -> OrgUnit | None:
    if isinstance(obj, EnterpriseProfile | Recognition):
        return obj.enterprise.zone if obj.enterprise_id else None
    return getattr(obj, "zone", None)


def _check_park(instance: models.Model, zone: OrgUnit | None) -> None:
    """A park must be a park (分园) of the object's zone."""
    park = getattr(instance, "park", None)
    if park is None:
        return
    if park.kind != "park":
        raise ValidationFailed(f"{park.code} 不是分园 / not a park", field="park")
    if zone is not None and not orgunit_is_linked(park, parent=zone):
        raise ValidationFailed(
            f"分园 {park.code} 不属于园区 {zone.code} / park not in zone {zone.code}", field="park"
        )


def _zone_after(instance: models.Model, data: dict[str, Any]) -> OrgUnit | None:
    """The zone ``instance`` will have once ``data`` is applied (nothing is changed)."""
    if "zone" in data:
        return data["zone"]
    if "enterprise" in data and isinstance(instance, EnterpriseProfile | Recognition):
        ent = data["enterprise"]
        return ent.zone if ent is not None else None
    return _zone_of(instance)


def _assign_checked(instance: models.Model, data: dict[str, Any], *, exclude: list[str] | None = None) -> dict[str, Any]:
    """Set ``data`` on ``instance`` and validate it (known fields, the park, ``full_clean`` but for
    ``exclude``); returns the values the fields had before (a saved instance's; empty for a new one)."""
    field_names = {f.name for f in instance._meta.get_fields() if getattr(f, "concrete", False)}
    old: dict[str, Any] = {}
    for key, value in data.items():
        if key not in field_names or key in ("id", "created_at", "updated_at"):
            raise ValidationFailed(f"未知字段 {key} / unknown field", field=key)
        if instance.pk is not None:
            old[key] = getattr(instance, key)
        setattr(instance, key, value)
    _check_park(instance, _zone_of(instance))
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise validation_failed(exc) from exc
    return old


@transaction.atomic
def registry_entry_save(
    *, user, instance: models.Model, data: dict[str, Any], reason: str = ""
) -> models.Model:
    """Create (unsaved ``instance``) or update ``instance`` with ``data``; validated and audited.

    The right is checked first, for the zone before and after the change (a reporter can move an
    object neither into nor out of its zone).  Refusals: :class:`PermissionDeniedError`,
    :class:`ValidationFailed` (``extra["fields"]``: field -> messages).
    """
    creating = instance.pk is None
    _require_rights(user, instance, data)
    old = _assign_checked(instance, data)
    instance.save()
    if creating:
        audit(user, "registry.create", instance, new=str(instance)[:500], reason=reason)
    else:
        for key, before in old.items():
            after = getattr(instance, key)
            if _fmt(before) != _fmt(after):
                # the texts of the registry's audit trail (a related object: its key)
                audit(user, "registry.update", instance, field=key, old=_fmt(before), new=_fmt(after),
                      reason=reason)
    return instance


@transaction.atomic
def registry_entries_create_bulk(*, user, model: type[_M], rows: list[dict[str, Any]], reason: str = "") -> list[_M]:
    """Create one ``model`` entry per ``rows`` item, all or nothing: the checks of
    :func:`registry_entry_save` per entry (rights for the entry's zone, known fields, the park,
    ``full_clean``), then one insert and the audit events at once — for loads of thousands (the demo
    registers ~10,000 高企 certificates).  A refusal names the entry's 1-based position (``row``).

    ``full_clean`` skips the foreign keys handed as saved instances (their rows exist: each check
    would be one query per entry).
    """
    instances: list[_M] = []
    # (zone id, reviewer fields given, other fields given): what _require_rights checks for a new entry
    allowed: set[tuple[int | None, bool, bool]] = set()
    for row, data in enumerate(rows, start=1):
        instance = model()
        try:
            reviewed = any(k in REVIEWER_FIELDS for k in data)
            key = (getattr(_zone_after(instance, data), "pk", None), reviewed,
                   any(k not in REVIEWER_FIELDS for k in data))
            if key not in allowed:
                _require_rights(user, instance, data)
                allowed.add(key)
            _assign_checked(instance, data, exclude=[
                k for k, v in data.items() if isinstance(v, models.Model) and v.pk is not None])
        except ValidationFailed as exc:
            raise ValidationFailed(f"第 {row} 条 / entry {row}: {exc.message}", extra={**exc.extra, "row": row}) from exc
        instances.append(instance)
    model._default_manager.bulk_create(instances, batch_size=2000)
    audit_events_bulk(user, "registry.create", model,
                      ((o.pk, "", "", str(o)[:500]) for o in instances), reason=reason)
    return instances


def rd_platform_save(*, user, data: dict[str, Any], instance: RdPlatform | None = None) -> RdPlatform:
    return cast(RdPlatform, registry_entry_save(user=user, instance=instance or RdPlatform(), data=data))


def alliance_save(*, user, data: dict[str, Any], instance: Alliance | None = None) -> Alliance:
    return cast(Alliance, registry_entry_save(user=user, instance=instance or Alliance(), data=data))


def incubator_save(*, user, data: dict[str, Any], instance: Incubator | None = None) -> Incubator:
    return cast(Incubator, registry_entry_save(user=user, instance=instance or Incubator(), data=data))


def cluster_save(*, user, data: dict[str, Any], instance: Cluster | None = None) -> Cluster:
    return cast(Cluster, registry_entry_save(user=user, instance=instance or Cluster(), data=data))


def recognition_save(*, user, data: dict[str, Any], instance: Recognition | None = None) -> Recognition:
    return cast(Recognition, registry_entry_save(user=user, instance=instance or Recognition(), data=data))


platform_save = rd_platform_save  # the name the tests and the excel import knew first


@transaction.atomic
def enterprise_profile_save(*, user, enterprise: Enterprise, data: dict[str, Any]) -> EnterpriseProfile:
    """Create or update the registry profile of ``enterprise`` (the enterprise's credit code is re-checked).

    ``credit_good`` / ``policy_fit`` only by the zone's 审核员 or 省创新办 (a 填报员 changing them: 403).
    """
    profile = EnterpriseProfile.objects.filter(enterprise=enterprise).first() or EnterpriseProfile(
        enterprise=enterprise
    )
    _require_rights(user, profile, data)
    problem = credit_code_error(enterprise.credit_code)
    if problem:
        raise ValidationFailed(problem, field="credit_code")
    return cast(EnterpriseProfile, registry_entry_save(user=user, instance=profile, data=data))


# ------------------------------------------------------------------------------------------------
# seeding from the plan


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    linked: int = 0
    unknown_zones: list[str] = field(default_factory=list)

    def render(self) -> str:
        parts = [
            f"{k}: +{self.created.get(k, 0)} ~{self.updated.get(k, 0)}"
            for k in ("clusters", "alliances", "candidates")
        ]
        text = "；".join(parts) + f"；已关联企业 / linked {self.linked}"
        if self.unknown_zones:
            text += f"；未知园区 / unknown zones: {', '.join(sorted(set(self.unknown_zones)))}"
        return text


_M = TypeVar("_M", bound=models.Model)


def _upsert(
    model: type[_M], lookup: dict[str, Any], values: dict[str, Any], report: SeedReport, label: str
) -> _M:
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        report.created[label] = report.created.get(label, 0) + 1
        return obj
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.full_clean()
        obj.save()
        report.updated[label] = report.updated.get(label, 0) + 1
    return obj


@transaction.atomic
def registry_seed_from_plan(plan: PlanVersion, *, user: Any = None) -> SeedReport:
    """Seed the registries from the plan: clusters (附件4), planned alliance lines (附件5), candidates (附件7).

    Idempotent: a second run creates nothing and changes nothing.  Seeded objects carry a ``plan_key``
    (clusters, alliances) or the plan and 序号 (candidates); planned alliances have no ``valid_from``
    (not yet established) and therefore count towards no target.  A candidate is linked to the
    collection enterprise of exactly the same name, if there is one.  Seeding is 省创新办's (the command
    line's, ``lanbai init`` / ``lanbai registry seed``); one audit event ``registry.seed`` when anything changed.
    """
    if not can(user, Action.WRITE_REGISTRY):
        raise PermissionDeniedError("只有省创新办可以从规划播种登记库 / only 省创新办 seeds the registries")
    report = SeedReport()
    units = plan_units_by_code(plan)

    def zone_of(code: str | None) -> OrgUnit | None:
        if code is None:
            return None
        if code not in units:
            report.unknown_zones.append(code)
            return None
        return units[code]

    for row in plan_section(plan, "cluster_rows", ClusterRow):
        counts = {k: v for k, v in row.counts.model_dump().items() if v}
        band = next((label for key, label in SIZE_BANDS if counts.get(key)), "未列规模")
        zone = zone_of(row.zone)
        zone_name = zone.short_name or zone.name if zone else row.zone
        name = "、".join(row.named_clusters) if row.named_clusters else f"{zone_name}{row.industry}产业集群"
        _upsert(
            Cluster,
            {"plan_key": f"{plan.code}:cluster:{row.zone}:{row.category}:{row.industry}"},
            dict(
                name=name[:200],
                zone=zone,
                industry=row.industry,
                category=row.category,
                size_band=band,
                parks=list(row.parks),
                key_enterprises=list(row.enterprises),
                chains=list(row.chains),
                directions=list(row.directions),
                planned_counts=counts,
                source=row.source,
            ),
            report,
            "clusters",
        )

    for group in plan_section(plan, "alliance_groups", AllianceGroup):
        for n, field_name in enumerate(group.fields, start=1):
            _upsert(
                Alliance,
                {"plan_key": f"{plan.code}:alliance:{group.industry}:{n}"},
                dict(
                    name=f"{field_name}产业技术创新战略联盟（规划备选）"[:200],
                    industry=group.industry,
                    field_name=field_name[:100],
                    source=group.source,
                ),
                report,
                "alliances",
            )

    by_name = {e.name: e for e in enterprise_list()}
    for cand in plan_section(plan, "candidate_enterprises", CandidateEnterprise):
        ent = by_name.get(cand.name)
        obj = _upsert(
            Candidate,
            {"plan": plan, "seq": cand.seq},
            dict(name=cand.name, zone=zone_of(cand.zone), group=cand.group or "", source=cand.source),
            report,
            "candidates",
        )
        if ent is not None and obj.enterprise_id != ent.id:
            obj.enterprise = ent
            obj.save(update_fields=["enterprise", "updated_at"])
            report.linked += 1
            profile, _ = EnterpriseProfile.objects.get_or_create(enterprise=ent)
            if profile.candidate_seq != cand.seq:
                profile.candidate_seq = cand.seq
                profile.save(update_fields=["candidate_seq", "updated_at"])
    if report.created or report.updated or report.linked:
        audit(user, "registry.seed", plan, new=report.render()[:500])
    return report
