"""The audit trail of every app: :func:`audit` records one event; :func:`object_type` names objects.

Services call :func:`audit` inside their transaction after the change (HackSoft / Zulip: every write
leaves one audit record).  Values are recorded as the texts the platform stores
(:func:`lanbai.core.collection.stored.store_value`), empty when missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, models
from django.utils import timezone

from lanbai.core.collection.stored import store_value

from .bulk import insert_plain
from .models import AuditEvent


def object_type(obj_or_model: models.Model | type[models.Model]) -> str:
    """``app_label.model`` of a model instance or class (``collection.submission``)."""
    meta = obj_or_model._meta
    return f"{meta.app_label}.{meta.model_name}"


def audit_text(value: Any) -> str:
    """A value as the audit trail shows it: its stored text (a model instance: its key), empty when missing."""
    if isinstance(value, models.Model):
        return str(value.pk)
    text = store_value(value)
    return "" if text is None else text


def actor(user: Any) -> Any:
    """The user to record: None for an anonymous or command-line call."""
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def audit(
    user: Any,
    action: str,
    obj: models.Model | None = None,
    *,
    field: str = "",
    old: Any = "",
    new: Any = "",
    reason: str = "",
) -> AuditEvent:
    """Record that ``user`` did ``action`` on ``obj`` (None: no single object), changing ``field``."""
    return AuditEvent.objects.create(
        user=actor(user),
        action=action,
        object_type=object_type(obj) if obj is not None else "",
        object_id=obj.pk if obj is not None else None,
        field=field[:60],
        old=audit_text(old),
        new=audit_text(new),
        reason=reason,
    )


def audit_event(
    user: Any, action: str, obj: models.Model | None = None, *, field: str = "", old: Any = "", new: Any = "",
    reason: str = "",
) -> AuditEvent:
    """An unsaved :class:`AuditEvent` as :func:`audit` would write it (for ``bulk_create``)."""
    return AuditEvent(
        user=actor(user),
        action=action,
        object_type=object_type(obj) if obj is not None else "",
        object_id=obj.pk if obj is not None else None,
        field=field[:60],
        old=audit_text(old),
        new=audit_text(new),
        reason=reason,
    )


def audit_events_bulk(
    user: Any, action: str, model: type[models.Model] | None, changes: Iterable[tuple[int | None, str, Any, Any]], *,
    reason: str = "",
) -> int:
    """Record one ``action`` event per ``(object id, field, old, new)`` on rows of ``model`` (None: no
    single object, as :func:`audit` with no object) at once —
    what :func:`audit` would write for each, at the same time, without an ``AuditEvent`` instance per
    row (a bulk approval writes 10,000 events; the instances and ``bulk_create`` cost more than the
    approval).  Returns how many were written."""
    who = actor(user)
    at = timezone.now()
    stamp = at if connection.vendor == "postgresql" else connection.ops.adapt_datetimefield_value(at)
    kind = object_type(model) if model is not None else ""
    rows = ((stamp, who.pk if who is not None else None, action, kind, object_id, field[:60], audit_text(old),
             audit_text(new), reason) for object_id, field, old, new in changes)
    return insert_plain(AuditEvent, _AUDIT_COLUMNS, rows)


_AUDIT_COLUMNS = ["at", "user_id", "action", "object_type", "object_id", "field", "old", "new", "reason"]


def audit_events_save(events: list[AuditEvent], *, batch_size: int = 2000) -> None:
    """Write the :func:`audit_event` rows of a bulk change at once."""
    AuditEvent.objects.bulk_create(events, batch_size=batch_size)


def audit_events_for(obj: models.Model) -> models.QuerySet[AuditEvent]:
    """The events recorded on ``obj``, oldest first."""
    return AuditEvent.objects.filter(object_type=object_type(obj), object_id=obj.pk).order_by("at", "id")


def audit_events_where(
    model: type[models.Model], *, actions: tuple[str, ...], object_ids: list[int] | None = None, user: Any = None
) -> models.QuerySet[AuditEvent]:
    """The events of ``actions`` on rows of ``model`` (of ``object_ids`` / by ``user`` when given), oldest first."""
    qs = AuditEvent.objects.filter(object_type=object_type(model), action__in=actions)
    if object_ids is not None:
        qs = qs.filter(object_id__in=object_ids)
    if user is not None:
        qs = qs.filter(user=user)
    return qs.select_related("user").order_by("at", "id")
