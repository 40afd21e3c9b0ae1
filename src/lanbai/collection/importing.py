"""The one import path behind every way in (xlsx, CSV, JSON, web): keep raw, parse, check, store.

1. :func:`upload_receive` stores the bytes exactly as received (hash, size, uploader, time) in its own
   committed transaction, *before* anything is parsed: nothing is lost even if parsing crashes.
2. :func:`upload_import` parses with the pure engine (:mod:`lanbai.core.collection`), adds the checks
   that need the database (the unit exists and the user may report for it; every enterprise row names
   an enterprise registered in that zone; the period is not locked; no report is already under
   review), and stores the whole file in ONE transaction — all or nothing.

Policies:

* the same bytes as an earlier *accepted* upload → outcome ``duplicate``, nothing changes;
* any problem → outcome ``refused``, the problems are kept on the :class:`Upload`, nothing else written;
* ``dry_run=True`` validates everything and reports, but stores only the raw upload (outcome
  ``validated``): the raw bytes are always kept, as the issue's "nothing lost" rule asks;
* values are stored as strings of decimals (floats normalised), integers as digits, booleans as
  ``"1"`` / ``"0"`` (so a count of 高新技术企业 is a sum), dates as ISO text, categories as their code;
* enterprise files take the bulk path: submissions and versions are created with ``bulk_create``
  (PostgreSQL: ``COPY``), one ``import`` audit event per new report and one ``value_change`` event
  per changed field of an existing report.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ContextDecorator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from lanbai.access.policy import Action, can
from lanbai.common.exceptions import ApplicationError, PermissionDeniedError
from lanbai.common.models import AuditEvent
from lanbai.core.collection import (
    FormSpec,
    ParsedFile,
    Problem,
    is_valid_credit_code,
    load_forms,
    parse_records,
    read_csv,
    read_workbook,
)
from lanbai.core.collection.excel import column_letter
from lanbai.core.collection.problems import make_problem
from lanbai.core.collection.stored import json_objects, store_value, text_column
from lanbai.plans.models import OrgUnit

from . import bulk_sql, selectors, services
from .choices import Channel, Status, UploadOutcome
from .models import Enterprise, Submission, SubmissionVersion, Upload
from .ytd import ytd_problems_for_columns

MAX_UPLOAD_BYTES = 50_000_000
SUBMISSION_TYPE = "collection.submission"  # audit events of reports (lanbai.common.audit.object_type)

# Problems only the database can find (the pure engine's rule codes are in lanbai.core.collection.RULES).
APP_RULES: dict[str, tuple[str, str]] = {
    "unit.unknown": ("填报单位不存在", "unknown reporting unit"),
    "unit.not_zone": ("填报单位不是园区", "the reporting unit is not a zone"),
    "permission.denied": ("无权为该单位填报", "not allowed to report for this unit"),
    "period.locked": ("报告期已锁定", "the period is locked"),
    "enterprise.unknown": ("企业未在平台登记", "the enterprise is not registered"),
    "enterprise.other_zone": ("企业不属于本园区", "the enterprise belongs to another zone"),
    "submission.under_review": ("报表已上报或已审核，不能修改", "the report is under review or approved"),
    "input.missing": ("缺少报表、报告期或单位", "form, period or unit not given"),
}


def app_problem(
    rule: str,
    *,
    file: str,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    field: str | None = None,
    value: Any = None,
    detail_zh: str = "",
    detail_en: str = "",
) -> Problem:
    """A :class:`Problem` of a rule in :data:`APP_RULES`, worded by the engine's own builder."""
    return make_problem(
        rule,
        file=file,
        sheet=sheet,
        row=row,
        column=column,
        field=field,
        value=value,
        detail_zh=detail_zh,
        detail_en=detail_en,
        rules=APP_RULES,
    )


@lru_cache(maxsize=1)
def forms() -> dict[str, FormSpec]:
    """The shipped report forms (plans/<plan>/forms/*.yaml), by 表号."""
    from lanbai.core.collection import default_forms_dir

    return load_forms(default_forms_dir())


def form_by_code(code: str) -> FormSpec:
    try:
        return forms()[code]
    except KeyError:
        raise ApplicationError(
            f"未知的表号 {code} / unknown form {code}", extra={"known": list(forms())}
        ) from None


def resolve_unit(text: str) -> OrgUnit:
    """A zone or enterprise unit by code, Chinese name or short name (latest plan first)."""
    qs = OrgUnit.objects.order_by("-plan_id", "order")
    unit = qs.filter(code=text).first() or qs.filter(name=text).first() or qs.filter(short_name=text).first()
    if unit is None:
        raise ApplicationError(f"未知的单位 {text} / unknown unit {text}")
    return unit


def channel_for(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    return {".csv": Channel.CSV, ".json": Channel.API}.get(suffix, Channel.XLSX)


@dataclass
class ImportResult:
    """What became of one upload."""

    upload: Upload
    outcome: str
    problems: list[Problem] = field(default_factory=list)
    message: str = ""
    form_code: str | None = None
    period: str | None = None
    unit: OrgUnit | None = None
    submissions: int = 0  # reports created or given a new version
    unchanged: int = 0  # reports whose figures equal the current version
    rows: int = 0

    @property
    def accepted(self) -> bool:
        return self.outcome in (UploadOutcome.ACCEPTED, UploadOutcome.DUPLICATE, UploadOutcome.VALIDATED)


def upload_receive(*, user, filename: str, content: bytes, channel: str | None = None) -> Upload:
    """Keep the raw bytes (committed at once, before parsing)."""
    if not isinstance(content, bytes | bytearray | memoryview):
        raise TypeError("content must be bytes")
    content = bytes(content)
    big = bulk_sql.is_postgresql() and len(content) > 1_000_000
    with transaction.atomic():
        upload = Upload.objects.create(
            filename=Path(filename).name[:255],
            channel=channel or channel_for(filename),
            content=b"" if big else content,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            uploaded_by=user if user is not None and user.is_authenticated else None,
        )
        if big:  # a binary parameter, not a hex literal twice the size
            bulk_sql.write_bytes(Upload, upload.pk, "content", content)
            upload.content = content
        return upload


def _finish(result: ImportResult, *, outcome: str, message: str) -> ImportResult:
    up = result.upload
    up.outcome = outcome
    up.problems = [p.to_dict() for p in result.problems]
    up.message = message
    up.form_code = result.form_code or ""
    up.period = result.period or ""
    up.save(update_fields=["outcome", "problems", "message", "form_code", "period"])
    result.outcome, result.message = outcome, message
    return result


def _refuse(result: ImportResult) -> ImportResult:
    n = len(result.problems)
    return _finish(
        result,
        outcome=UploadOutcome.REFUSED,
        message=f"文件被拒绝：发现 {n} 个问题，未导入任何数据 / refused: {n} problem(s); nothing was imported",
    )


def _parse(
    upload: Upload,
    *,
    records: list[dict] | None,
    expected_form: str | None,
    expected_period: str | None,
    expected_unit: str | None,
) -> ParsedFile:
    data, name = bytes(upload.content), upload.filename
    if upload.channel in (Channel.CSV, Channel.API, Channel.WEB):
        if not (expected_form and expected_period and expected_unit):
            return ParsedFile(
                name,
                expected_form,
                None,
                expected_period,
                expected_unit,
                problems=[
                    app_problem(
                        "input.missing",
                        file=name,
                        detail_zh="CSV 和接口数据须指明表号、报告期和单位",
                        detail_en="CSV and JSON need the form, the period and the unit",
                    )
                ],
            )
        form = form_by_code(expected_form)
        if upload.channel == Channel.CSV:
            return read_csv(
                data,
                filename=name,
                form=form,
                period=expected_period,
                unit_code=expected_unit,
                max_bytes=MAX_UPLOAD_BYTES,
            )
        if records is None:
            try:
                records = json.loads(data.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as exc:
                raise ApplicationError(f"JSON 无法解析 / invalid JSON: {exc}") from exc
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise ApplicationError("records 应为对象列表 / records must be a list of objects")
        parsed = parse_records(form, records, source=name)
        parsed.period, parsed.unit_code = expected_period, expected_unit
        return parsed
    return read_workbook(
        data,
        filename=name,
        forms=forms(),
        expected_form=expected_form,
        expected_period=expected_period,
        expected_unit=expected_unit,
        max_bytes=MAX_UPLOAD_BYTES,
        while_reading=_zone_prefetch if upload.size > PREFETCH_BYTES else None,
    )


PREFETCH_BYTES = 1_000_000  # files this large (≈ 5,000 enterprise rows) prefetch their zone's registry


@dataclass
class _ZonePrefetch:
    """What an enterprise file's import reads about its zone while calamine parses the sheet."""

    zone_id: int
    form_code: str
    period: str | None
    registry: dict[str, tuple[int, int]]  # credit code -> (org unit, zone) of the zone's enterprises
    reports: dict[int, tuple[int, str]]  # org unit -> (report id, status) of (form, period)

    def matches(self, form: FormSpec, period: str, zone: OrgUnit) -> bool:
        return (self.zone_id, self.form_code, self.period) == (zone.id, form.code, period)


def _zone_prefetch(parsed: ParsedFile) -> _ZonePrefetch | None:
    """The zone's enterprise registry and its stored reports of the file's (form, period).

    Runs while calamine parses the sheet (it frees the GIL), so looking up 100,000 rows' enterprises
    and reports costs nothing on the way: :func:`_enterprise_units` looks up only the codes not
    found here, and the reports are used when form, period and zone turn out as read here (the
    transaction that stores them locks and re-reads them anyway).
    """
    form = forms().get(parsed.form_code or "")
    if form is None or form.level != "enterprise" or not parsed.unit_code:
        return None
    zone = OrgUnit.objects.filter(code=parsed.unit_code).order_by("-plan_id").first()
    if zone is None:
        return None
    rows = Enterprise.objects.filter(zone=zone).values_list("credit_code", "org_unit_id", "zone_id")
    registry = {c: (u, z) for c, u, z in rows}
    reports: dict[int, tuple[int, str]] = {}
    if parsed.period:
        reports = {
            u: (sid, st)
            for u, sid, st in selectors.zone_enterprise_reports(form.code, parsed.period, zone).values_list(
                "org_unit_id", "id", "status"
            )
        }
    return _ZonePrefetch(zone.id, form.code, parsed.period, registry, reports)


def _columns(parsed: ParsedFile, form: FormSpec) -> dict[str, list[Any]]:
    recs = parsed.records
    if hasattr(recs, "columns"):
        return recs.columns
    return {c: [r.get(c) for r in recs] for c in form.field_codes}


class _CyclicGcPause(ContextDecorator):
    """No cyclic garbage collection while a file is imported (refcounting still frees everything).

    An import makes hundreds of thousands of short-lived, acyclic lists and dicts; every 700 of them
    start a collection, and now and then a full one walks the whole heap of a Django process — for
    a 10,000-row file 44 collections, 70–90 ms of the import (measured).  Nested and concurrent
    imports share one pause; the last one out turns collection back on if it was on before.
    Also a decorator.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holders = 0
        self._was_enabled = False

    def __enter__(self) -> None:
        with self._lock:
            if self._holders == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._holders += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._holders -= 1
            if self._holders == 0 and self._was_enabled:
                gc.enable()


_cyclic_gc_paused = _CyclicGcPause()


@_cyclic_gc_paused
def upload_import(
    *,
    user,
    upload: Upload,
    dry_run: bool = False,
    expected_form: str | None = None,
    expected_period: str | None = None,
    expected_unit: str | None = None,
    records: list[dict] | None = None,
    submit: bool = False,
    reason: str = "",
    simulated: bool = False,
    now: dt.datetime | None = None,
    expected_lock_version: int | None = None,
) -> ImportResult:
    """Parse, check and store one received upload (all or nothing).  See the module docstring.

    ``expected_lock_version`` (zone forms: the lock_version the editor saw) makes a stale save a
    :class:`ConflictError` (optimistic locking).  ``submit=True`` also submits (上报) every stored report in the same transaction.  ``now`` is
    the time the import is deemed to happen (the simulator replays past quarters).  A user outside
    the unit's scope gets :class:`PermissionDeniedError` after the upload is marked refused.
    """
    result = ImportResult(upload=upload, outcome=upload.outcome)
    earlier = (
        Upload.objects.filter(sha256=upload.sha256, outcome=UploadOutcome.ACCEPTED)
        .exclude(pk=upload.pk)
        .order_by("uploaded_at")
        .first()
    )
    if earlier is not None:
        when = timezone.localtime(earlier.uploaded_at).strftime("%Y-%m-%d %H:%M")
        result.form_code, result.period = earlier.form_code, earlier.period
        return _finish(
            result,
            outcome=UploadOutcome.DUPLICATE,
            message=f"该文件已于 {when} 导入，未作任何更改 / already imported on {when}; nothing changed",
        )

    parsed = _parse(
        upload,
        records=records,
        expected_form=expected_form,
        expected_period=expected_period,
        expected_unit=expected_unit,
    )
    result.form_code, result.period = parsed.form_code, parsed.period
    result.problems = list(parsed.problems)
    name, sheet = upload.filename, parsed.sheet
    form = forms().get(parsed.form_code or "")
    if form is None or parsed.period is None or not parsed.unit_code:
        return (
            _refuse(result)
            if result.problems
            else _refuse_with(result, app_problem("input.missing", file=name))
        )

    unit = OrgUnit.objects.filter(code=parsed.unit_code).order_by("-plan_id").first()
    if unit is None:
        result.problems.append(app_problem("unit.unknown", file=name, value=parsed.unit_code))
        return _refuse(result)
    result.unit = unit
    if not can(user, Action.REPORT, unit):
        result.problems.insert(0, app_problem("permission.denied", file=name, value=unit.name))
        _refuse(result)
        raise PermissionDeniedError(
            f"无权为 {unit.name} 填报 / not allowed to report for {unit.name}", extra={"upload": upload.pk}
        )
    if form.level == "enterprise" and unit.kind != "zone":
        result.problems.append(app_problem("unit.not_zone", file=name, value=unit.name))
    if services.period_is_locked(parsed.period, unit, now=now):
        result.problems.append(
            app_problem(
                "period.locked",
                file=name,
                value=parsed.period,
                detail_zh="请向省创新办申请逾期填报许可",
                detail_en="ask the provincial office for an exception",
            )
        )
    cols = _columns(parsed, form)
    prefetch = parsed.prefetched if isinstance(parsed.prefetched, _ZonePrefetch) else None
    n = len(parsed.records)
    result.rows = n
    # the stored JSON of every row is made by a worker thread while the checks and the first COPY
    # wait on the database (see _JsonRows); cancelled if the file is refused
    json_rows = (
        _JsonRows({c: cols[c] for c in form.field_codes}, n)
        if form.level == "enterprise" and not result.problems and not dry_run
        else None
    )
    try:
        if form.level == "zone":
            targets = [unit.id]
        else:  # checked even when the engine found problems: every problem of the file at once
            targets = _enterprise_units(
                result,
                form,
                cols,
                parsed.row_numbers,
                zone=unit,
                sheet=sheet,
                known=prefetch.registry if prefetch is not None else None,
            )
        if not result.problems:
            wanted = set(targets)
            if prefetch is not None and prefetch.matches(form, parsed.period, unit):
                zone_reports = prefetch.reports.items()
            else:
                zone_reports = (
                    (u, (sid, st))
                    for u, sid, st in _reports_of(form, parsed.period, unit, targets).values_list(
                        "org_unit_id", "id", "status"
                    )
                )
            # the reports of the file's units already stored: (id, status)
            stored = {u: hit for u, hit in zone_reports if u in wanted}
            busy = {u: st for u, (_, st) in stored.items() if st not in (Status.DRAFT, Status.RETURNED)}
            for i, uid in enumerate(targets):
                if uid in busy:
                    row = parsed.row_numbers[i] if i < len(parsed.row_numbers) else None
                    result.problems.append(
                        app_problem(
                            "submission.under_review",
                            file=name,
                            sheet=sheet,
                            row=row,
                            value=Status(busy[uid]).label,
                        )
                    )
            # a flow may not fall within a year: compare with the stored previous quarter
            result.problems += ytd_problems_for_columns(
                form=form,
                unit_ids=targets,
                columns=cols,
                period=parsed.period,
                source=name,
                sheet=sheet,
                row_numbers=parsed.row_numbers,
                zone=unit if form.level == "enterprise" else None,
            )
        if result.problems:
            return _refuse(result)
        if dry_run:
            return _finish(
                result,
                outcome=UploadOutcome.VALIDATED,
                message=f"校验通过（试运行，未保存数据）：{n} 行 / valid (dry run, nothing stored): {n} row(s)",
            )

        columns = {c: cols[c] for c in form.field_codes}
        del cols, parsed
        why = reason or f"导入 {name}"
        try:
            with transaction.atomic():
                if form.level == "zone":
                    sub, version = services.submission_save_version(
                        user=user,
                        form_code=form.code,
                        unit=unit,
                        period=result.period,
                        values={c: store_value(v[0]) for c, v in columns.items()},
                        upload=upload,
                        reason=why,
                        simulated=simulated,
                        now=now,
                        expected_lock_version=expected_lock_version,
                    )
                    result.submissions, result.unchanged = (1, 0) if version else (0, 1)
                else:
                    result.submissions, result.unchanged = _bulk_store(
                        user,
                        form,
                        result.period,
                        targets,
                        columns,
                        stored_ids=[sid for sid, _ in stored.values()],
                        json_rows=json_rows,
                        upload=upload,
                        reason=why,
                        simulated=simulated,
                    )
                if submit:
                    ids = list(
                        Submission.objects.filter(
                            form_code=form.code,
                            period=result.period,
                            org_unit_id__in=targets,
                            status__in=[Status.DRAFT, Status.RETURNED],
                        ).values_list("id", flat=True)
                    )
                    services.submissions_submit_bulk(user=user, ids=ids, now=now)
                result = _finish(
                    result,
                    outcome=UploadOutcome.ACCEPTED,
                    message=(
                        f"已导入 {unit.name} {result.period} {form.name}：{n} 行，新版本 {result.submissions} 份，"
                        f"未变 {result.unchanged} 份 / imported {n} row(s): {result.submissions} new "
                        f"version(s), {result.unchanged} unchanged"
                    ),
                )
        except ApplicationError as exc:  # a conflict or a rule of the workflow: the upload says why
            _finish(result, outcome=UploadOutcome.REFUSED, message=exc.message)
            raise
        return result
    finally:
        if json_rows is not None:
            json_rows.close()


def _reports_of(form: FormSpec, period: str, unit: OrgUnit, unit_ids: list[int]):
    """The stored reports of (form, period) of ``unit_ids`` — for an enterprise form, all of the
    reporting zone's (:func:`selectors.zone_enterprise_reports`); callers filter to their units."""
    if form.level == "enterprise":
        return selectors.zone_enterprise_reports(form.code, period, unit)
    return Submission.objects.filter(form_code=form.code, period=period, org_unit_id__in=unit_ids)


def _refuse_with(result: ImportResult, problem: Problem) -> ImportResult:
    result.problems.append(problem)
    return _refuse(result)


def _enterprise_units(
    result: ImportResult,
    form: FormSpec,
    cols: dict[str, list[Any]],
    rows: list[int],
    *,
    zone: OrgUnit,
    sheet: str | None,
    known: dict[str, tuple[int, int]] | None = None,
) -> list[int]:
    """The org unit of each row's enterprise; unknown or foreign enterprises become problems.

    ``known`` (credit code → (org unit, zone), e.g. prefetched by :func:`_zone_prefetch`) spares the
    lookup of the codes it holds.
    """
    codes = cols[form.key]
    known = known or {}
    missing = sorted({c for c in codes if isinstance(c, str)} - known.keys())
    if missing:
        found = bulk_sql.rows_for_keys(
            Enterprise.objects.all(),
            "credit_code",
            missing,
            ("credit_code", "org_unit_id", "zone_id"),
            sql_type="text",
        )
        known = {**known, **{c: (u, z) for c, u, z in found}}
    hits = list(map(known.get, codes))
    if None not in hits and {z for _, z in hits} == {zone.id}:  # every row an enterprise of the zone
        return [u for u, _ in hits]
    letter = column_letter(form.field_codes.index(form.key)) if sheet else None
    names = dict(
        OrgUnit.objects.filter(id__in={h[1] for h in hits if h is not None and h[1] != zone.id}).values_list(
            "id", "name"
        )
    )
    out: list[int] = []
    for i, (code, hit) in enumerate(zip(codes, hits, strict=True)):
        row = rows[i] if i < len(rows) else i + 1
        if hit is None and not (isinstance(code, str) and is_valid_credit_code(code)):
            continue  # the engine already reported a missing or malformed code
        if hit is None:
            rule, zh, en = "enterprise.unknown", "请先由园区登记该企业", "register it first"
        elif hit[1] != zone.id:
            owner = names.get(hit[1], "")
            rule, zh, en = "enterprise.other_zone", f"该企业属于 {owner}", f"it belongs to {owner}"
        else:
            out.append(hit[0])
            continue
        result.problems.append(
            app_problem(
                rule,
                file=result.upload.filename,
                sheet=sheet,
                row=row,
                column=letter,
                field=form.key,
                value=code,
                detail_zh=zh,
                detail_en=en,
            )
        )
    return out


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


def _bulk_store(
    user,
    form: FormSpec,
    period: str,
    unit_ids: list[int],
    columns: dict[str, list[Any]],
    *,
    stored_ids: list[int],
    json_rows: _JsonRows,
    upload: Upload,
    reason: str,
    simulated: bool,
) -> tuple[int, int]:
    """Create or version the reports of many enterprises at once; returns (new versions, unchanged).

    ``stored_ids`` are the reports of these units found stored (locked and re-read here);
    ``columns`` holds the typed values of every field, one entry per unit of ``unit_ids``, and
    ``json_rows`` their stored JSON (made by a worker thread, see :class:`_JsonRows`).  A new
    report gets its version 1 (who, when, which upload, why and every value: the audit trail shows
    it from the version, see :func:`lanbai.collection.selectors.audit_for`); an existing report whose
    figures changed gets a new version and one ``value_change`` event per changed field (old, new);
    an unchanged report gets nothing.  An existing report no longer open for changes (a race with a
    submit) refuses the whole file.
    """
    actor_id = user.id if user is not None and user.is_authenticated else None
    ids = stored_ids
    existing = {  # locked: a concurrent submit of one of them waits for this import
        u: (sid, status, vid, vals)
        for u, sid, status, vid, vals in bulk_sql.rows_for_keys(
            Submission.objects.select_for_update(of=("self",)),
            "id",
            ids,
            ("org_unit_id", "id", "status", "current_version_id", "current_version__values"),
        )
    }
    if any(s not in (Status.DRAFT, Status.RETURNED) for _, s, _, _ in existing.values()):
        raise ApplicationError(
            "报表已上报或已审核，不能修改 / a report of the file is under review or approved"
        )
    numbers = dict(
        bulk_sql.rows_for_keys(
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
            (now, actor_id, "value_change", SUBMISSION_TYPE, sid, k, old.get(k) or "", values.get(k) or "", reason)
            for k in sorted(set(old) | set(values))
            if old.get(k) != values.get(k)
        ]
    objects = json_rows.rows(new_pos + [i for i, _, _ in changes])
    store = _store_pg if bulk_sql.is_postgresql() else _store_other
    store(
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


class _JsonRows:
    """The JSON object of every row's stored values, made in blocks by one worker thread.

    Started once a file has passed the engine's checks: the worker formats (GIL-bound, ~1.2 s for
    100,000 rows) while the main thread mostly waits on PostgreSQL — the database checks, the id
    reservation, the COPY of the reports — so the versions' COPY finds its lines ready.
    """

    def __init__(self, columns: dict[str, list[Any]], n: int, block: int = 2000):
        self._block = block
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lanbai-json")
        self._futures = [
            self._pool.submit(self._make, columns, a, min(a + block, n)) for a in range(0, n, block)
        ]

    @staticmethod
    def _make(columns: dict[str, list[Any]], a: int, b: int) -> list[str]:
        return json_objects({c: text_column(col[a:b]) for c, col in columns.items()})

    def rows(self, rows: list[int]) -> Iterator[str]:
        """The objects of ``rows`` in that order (each block waited for when first needed)."""
        done: dict[int, list[str]] = {}
        for i in rows:
            k, r = divmod(i, self._block)
            objs = done.get(k)
            if objs is None:
                objs = done[k] = self._futures[k].result()
            yield objs[r]

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _store_pg(
    form, period, unit_ids, new_pos, changes, objects, audits, *, now, actor_id, upload, reason, simulated
) -> None:
    """PostgreSQL: ids from the sequences, then COPY of text lines made from templates.

    A new report is written once, already pointing at its version 1 (lock_version 1).
    """

    def esc(text: str) -> str:  # a constant inside a %-template
        return bulk_sql.copy_escape(text).replace("%", "%%")

    stamp = now.isoformat()
    version_ids, sub_ids = bulk_sql.reserve_ids(
        (SubmissionVersion, len(new_pos) + len(changes)), (Submission, len(new_pos))
    )
    sub_line = (
        f"%d\t%d\t{stamp}\t{stamp}\t{esc(form.code)}\t%d\t{esc(period)}\t{Status.DRAFT}\t1\t\t"
        f"{'t' if simulated else 'f'}\n"
    )
    bulk_sql.copy_lines(
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
    bulk_sql.copy_lines(
        SubmissionVersion,
        ["id", *_VERSION_COLUMNS],
        map(
            version_line.__mod__,
            zip(version_ids, subs, numbers, map(bulk_sql.copy_escape_json, objects), strict=True),
        ),
    )
    bulk_sql.insert_rows(AuditEvent, _AUDIT_COLUMNS, audits)
    if changes:
        with connection.cursor() as cur:
            cur.execute(
                f"UPDATE {Submission._meta.db_table} s SET current_version_id = v.id, "  # noqa: S608
                "lock_version = s.lock_version + 1, updated_at = %s "
                "FROM unnest(%s::bigint[], %s::bigint[]) AS v(sid, id) WHERE s.id = v.sid",
                [
                    now,
                    bulk_sql.array_literal(s for _, s, _ in changes),
                    bulk_sql.array_literal(version_ids[len(new_pos) :]),
                ],
            )


def _store_other(
    form, period, unit_ids, new_pos, changes, objects, audits, *, now, actor_id, upload, reason, simulated
) -> None:
    """Other databases (SQLite): bulk_create the reports, read their ids back, then the versions."""
    bulk_sql.insert_rows(
        Submission,
        _SUB_COLUMNS,
        ((now, now, form.code, unit_ids[i], period, Status.DRAFT, 0, "", simulated) for i in new_pos),
    )
    new_units = [unit_ids[i] for i in new_pos]
    sub_ids = dict(
        bulk_sql.rows_for_keys(
            Submission.objects.filter(form_code=form.code, period=period),
            "org_unit_id",
            new_units,
            ("org_unit_id", "id"),
        )
    )
    subs = [sub_ids[u] for u in new_units] + [sid for _, sid, _ in changes]
    numbers = [1] * len(new_pos) + [n for _, _, n in changes]
    bulk_sql.insert_rows(
        SubmissionVersion,
        _VERSION_COLUMNS,
        (
            (sid, n, upload.id, obj, actor_id, now, reason)
            for sid, n, obj in zip(subs, numbers, objects, strict=True)
        ),
        json_columns=frozenset({"values"}),
    )
    bulk_sql.insert_rows(AuditEvent, _AUDIT_COLUMNS, audits)
    if subs:
        t, vt = Submission._meta.db_table, SubmissionVersion._meta.db_table
        with connection.cursor() as cur:
            cur.execute(
                f"UPDATE {t} SET current_version_id = (SELECT v.id FROM {vt} v WHERE "  # noqa: S608
                f"v.submission_id = {t}.id AND v.upload_id = %s), lock_version = lock_version + 1, "
                f"updated_at = %s WHERE id IN (SELECT submission_id FROM {vt} WHERE upload_id = %s)",
                [upload.id, now, upload.id],
            )


def import_bytes(*, user, filename: str, content: bytes, channel: str | None = None, **kw) -> ImportResult:
    """Receive then import (convenience for the CLI, the web page and the API)."""
    upload = upload_receive(user=user, filename=filename, content=content, channel=channel)
    return upload_import(user=user, upload=upload, **kw)


def problems_table(problems: list[Problem] | list[dict], *, lang: str = "zh") -> list[dict[str, Any]]:
    """Rows for an error report: file, sheet, row, column, field, rule, value, message."""
    out = []
    for p in problems:
        d = p if isinstance(p, dict) else p.to_dict()
        out.append(
            {k: d.get(k) for k in ("file", "sheet", "row", "column", "field", "rule", "value")}
            | {"message": d.get("message_en" if lang == "en" else "message_zh")}
        )
    return out


__all__ = [
    "APP_RULES",
    "ImportResult",
    "app_problem",
    "form_by_code",
    "forms",
    "import_bytes",
    "problems_table",
    "resolve_unit",
    "store_value",
    "upload_import",
    "upload_receive",
]
