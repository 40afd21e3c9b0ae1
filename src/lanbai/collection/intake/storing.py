"""Storing: one transaction per file, a new version per changed report, nothing when refused.

A zone's report, or an enterprise's own, is one :func:`lanbai.collection.services.submission_save_version`
(optimistic locking with the version the editor saw).  An enterprise file takes the bulk path
(:func:`bulk_store`): PostgreSQL draws the ids from the sequences and COPYs text lines made from
templates; other databases (SQLite) ``bulk_create`` and read the ids back.  A new report gets its
version 1 and no audit row (the version is the record); each changed field of an existing report gets
one ``value_change`` event.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from lanbai.common.exceptions import ApplicationError
from lanbai.common.models import AuditEvent
from lanbai.core.collection import FormSpec
from lanbai.core.collection.stored import store_value

from .. import selectors, services
from ..choices import Status
from ..models import Submission, SubmissionVersion, Upload
from . import copy
from .tuning import JsonRows

SUBMISSION_TYPE = "collection.submission"  # audit events of reports (lanbai.common.audit.object_type)


def store(
    *,
    user,
    form: FormSpec,
    period: str,
    unit,
    targets: list[int],
    columns: dict[str, list[Any]],
    stored_ids: list[int],
    json_rows: JsonRows | None,
    upload: Upload,
    reason: str,
    simulated: bool,
    submit: bool,
    now,
    expected_lock_version: int | None,
    warnings: list[tuple[int, Any]] | None = None,
    explanations: dict[str, str] | None = None,
) -> tuple[int, int]:
    """Store the file's reports (and submit them when asked) in one transaction; (new versions, unchanged).

    ``warnings`` (org unit id, soft problem) are kept on the new versions before anything is submitted.
    """
    with transaction.atomic():
        if json_rows is None:  # one report: the zone's, or an enterprise's own
            _, version = services.submission_save_version(
                user=user,
                form_code=form.code,
                unit=unit,
                period=period,
                values={c: store_value(v[0]) for c, v in columns.items()},
                upload=upload,
                reason=reason,
                simulated=simulated,
                now=now,
                expected_lock_version=expected_lock_version,
            )
            counts = (1, 0) if version else (0, 1)
        else:
            counts = bulk_store(
                user,
                form,
                period,
                targets,
                columns,
                stored_ids=stored_ids,
                json_rows=json_rows,
                upload=upload,
                reason=reason,
                simulated=simulated,
            )
        if warnings:
            services.soft_warnings_record(
                user=user, unit=unit, upload=upload, form_code=form.code, period=period, warnings=warnings
            )
        if submit:
            ids = list(
                Submission.objects.filter(
                    form_code=form.code,
                    period=period,
                    org_unit_id__in=targets,
                    status__in=[Status.DRAFT, Status.RETURNED],
                ).values_list("id", flat=True)
            )
            if warnings:  # a report with a soft-rule warning not explained stays a draft (explain, then 上报)
                held = selectors.submissions_needing_explanation(ids, explanations or {})
                ids = [i for i in ids if i not in held]
            services.submissions_submit_bulk(user=user, ids=ids, now=now, explanations=explanations)
    return counts


_SUB_COLUMNS = [
    "created_at",
    "updated_at",
    "form_code",
    "org_unit_id",
    "period",
    "status",
    "lock_version",
    "return_reason",
    "is_simulated",
]
_VERSION_COLUMNS = ["submission_id", "number", "upload_id", "values", "created_by_id", "created_at", "note"]
_AUDIT_COLUMNS = ["at", "user_id", "action", "object_type", "object_id", "field", "old", "new", "reason"]


def bulk_store(
    user,
    form: FormSpec,
    period: str,
    unit_ids: list[int],
    columns: dict[str, list[Any]],
    *,
    stored_ids: list[int],
    json_rows: JsonRows,
    upload: Upload,
    reason: str,
    simulated: bool,
) -> tuple[int, int]:
    """Create or version the reports of many enterprises at once; returns (new versions, unchanged).

    ``stored_ids`` are the reports of these units found stored (locked and re-read here);
    ``columns`` holds the typed values of every field, one entry per unit of ``unit_ids``, and
    ``json_rows`` their stored JSON (made by a worker thread, see :class:`.tuning.JsonRows`).  A new
    report gets its version 1 (who, when, which upload, why and every value: the audit trail shows
    it from the version, see :func:`lanbai.collection.selectors.audit_for`); an existing report whose
    figures changed gets a new version and one ``value_change`` event per changed field (old, new);
    an unchanged report gets nothing.  An existing report no longer open for changes (a race with a
    submit) refuses the whole file.
    """
    actor_id = user.id if user is not None and user.is_authenticated else None
    existing = {  # locked: a concurrent submit of one of them waits for this import
        u: (sid, status, vid, vals)
        for u, sid, status, vid, vals in copy.rows_for_keys(
            Submission.objects.select_for_update(of=("self",)),
            "id",
            stored_ids,
            ("org_unit_id", "id", "status", "current_version_id", "current_version__values"),
        )
    }
    if any(s not in (Status.DRAFT, Status.RETURNED) for _, s, _, _ in existing.values()):
        raise ApplicationError(
            "报表已上报或已审核，不能修改 / a report of the file is under review or approved"
        )
    numbers = dict(
        copy.rows_for_keys(
            SubmissionVersion.objects.values("submission_id").annotate(m=Max("number")),
            "submission_id",
            [sid for sid, _, _, _ in existing.values()],
            ("submission_id", "m"),
        )
    )
    new_pos = [i for i, u in enumerate(unit_ids) if u not in existing]
    changes: list[tuple[int, int, int]] = []  # (row, submission id, version number) of changed reports
    audits: list[tuple] = []
    now = timezone.now()
    for i, u in enumerate(unit_ids):
        hit = existing.get(u)
        if hit is None:
            continue
        sid, _, vid, old = hit
        old = (old or {}) if vid else {}
        values = {c: store_value(col[i]) for c, col in columns.items()}
        if old == values:
            continue
        changes.append((i, sid, (numbers.get(sid) or 0) + 1))
        audits += [
            (
                now,
                actor_id,
                "value_change",
                SUBMISSION_TYPE,
                sid,
                k,
                old.get(k) or "",
                values.get(k) or "",
                reason,
            )
            for k in sorted(set(old) | set(values))
            if old.get(k) != values.get(k)
        ]
    objects = json_rows.rows(new_pos + [i for i, _, _ in changes])
    write = _store_pg if copy.is_postgresql() else _store_other
    write(
        form,
        period,
        unit_ids,
        new_pos,
        changes,
        objects,
        audits,
        now=now,
        actor_id=actor_id,
        upload=upload,
        reason=reason,
        simulated=simulated,
    )
    return len(new_pos) + len(changes), len(existing) - len(changes)


def _store_pg(
    form, period, unit_ids, new_pos, changes, objects, audits, *, now, actor_id, upload, reason, simulated
) -> None:
    """PostgreSQL: ids from the sequences, then COPY of text lines made from templates.

    A new report is written once, already pointing at its version 1 (lock_version 1).
    """

    def esc(text: str) -> str:  # a constant inside a %-template
        return copy.copy_escape(text).replace("%", "%%")

    stamp = now.isoformat()
    version_ids, sub_ids = copy.reserve_ids(
        (SubmissionVersion, len(new_pos) + len(changes)), (Submission, len(new_pos))
    )
    sub_line = (
        f"%d\t%d\t{stamp}\t{stamp}\t{esc(form.code)}\t%d\t{esc(period)}\t{Status.DRAFT}\t1\t\t"
        f"{'t' if simulated else 'f'}\n"
    )
    copy.copy_lines(
        Submission,
        ["id", "current_version_id", *_SUB_COLUMNS],
        map(
            sub_line.__mod__,
            zip(sub_ids, version_ids[: len(new_pos)], (unit_ids[i] for i in new_pos), strict=True),
        ),
    )
    who = "\\N" if actor_id is None else str(actor_id)
    version_line = f"%d\t%d\t%d\t{upload.id}\t%s\t{who}\t{stamp}\t{esc(reason)}\n"
    subs = [*sub_ids, *(sid for _, sid, _ in changes)]
    numbers = [1] * len(new_pos) + [n for _, _, n in changes]
    copy.copy_lines(
        SubmissionVersion,
        ["id", *_VERSION_COLUMNS],
        map(
            version_line.__mod__,
            zip(version_ids, subs, numbers, map(copy.copy_escape_json, objects), strict=True),
        ),
    )
    copy.insert_rows(AuditEvent, _AUDIT_COLUMNS, audits)
    if changes:
        with connection.cursor() as cur:
            cur.execute(
                f"UPDATE {Submission._meta.db_table} s SET current_version_id = v.id, "  # noqa: S608
                "lock_version = s.lock_version + 1, updated_at = %s "
                "FROM unnest(%s::bigint[], %s::bigint[]) AS v(sid, id) WHERE s.id = v.sid",
                [
                    now,
                    copy.array_literal(s for _, s, _ in changes),
                    copy.array_literal(version_ids[len(new_pos) :]),
                ],
            )


def _store_other(
    form, period, unit_ids, new_pos, changes, objects, audits, *, now, actor_id, upload, reason, simulated
) -> None:
    """Other databases (SQLite): bulk_create the reports, read their ids back, then the versions."""
    copy.insert_rows(
        Submission,
        _SUB_COLUMNS,
        ((now, now, form.code, unit_ids[i], period, Status.DRAFT, 0, "", simulated) for i in new_pos),
    )
    new_units = [unit_ids[i] for i in new_pos]
    sub_ids = dict(
        copy.rows_for_keys(
            Submission.objects.filter(form_code=form.code, period=period),
            "org_unit_id",
            new_units,
            ("org_unit_id", "id"),
        )
    )
    subs = [sub_ids[u] for u in new_units] + [sid for _, sid, _ in changes]
    numbers = [1] * len(new_pos) + [n for _, _, n in changes]
    copy.insert_rows(
        SubmissionVersion,
        _VERSION_COLUMNS,
        (
            (sid, n, upload.id, obj, actor_id, now, reason)
            for sid, n, obj in zip(subs, numbers, objects, strict=True)
        ),
    )
    copy.insert_rows(AuditEvent, _AUDIT_COLUMNS, audits)
    if subs:
        t, vt = Submission._meta.db_table, SubmissionVersion._meta.db_table
        with connection.cursor() as cur:
            cur.execute(
                f"UPDATE {t} SET current_version_id = (SELECT v.id FROM {vt} v WHERE "  # noqa: S608
                f"v.submission_id = {t}.id AND v.upload_id = %s), lock_version = lock_version + 1, "
                f"updated_at = %s WHERE id IN (SELECT submission_id FROM {vt} WHERE upload_id = %s)",
                [upload.id, now, upload.id],
            )
