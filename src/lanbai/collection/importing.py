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
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from lanbai.common.exceptions import ApplicationError, PermissionDeniedError
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
from lanbai.plans.models import OrgUnit

from . import scopes, services
from .choices import Channel, Status, UploadOutcome
from .models import AuditEvent, Enterprise, Submission, SubmissionVersion, Upload
from .ytd import ytd_problems_for_columns

MAX_UPLOAD_BYTES = 50_000_000

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
    return make_problem(rule, file=file, sheet=sheet, row=row, column=column, field=field, value=value,
                        detail_zh=detail_zh, detail_en=detail_en, rules=APP_RULES)


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
    with transaction.atomic():
        return Upload.objects.create(
            filename=Path(filename).name[:255],
            channel=channel or channel_for(filename),
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            uploaded_by=user if user is not None and user.is_authenticated else None,
        )


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
    )


def store_value(value: Any) -> str | None:
    """The stored text of a typed value (see the module docstring)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        text = repr(value)
        if "e" in text or "n" in text:  # 1e+16, inf, nan: the exact decimal expansion
            return format(Decimal(text).normalize(), "f")
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _columns(parsed: ParsedFile, form: FormSpec) -> dict[str, list[Any]]:
    recs = parsed.records
    if hasattr(recs, "columns"):
        return recs.columns
    return {c: [r.get(c) for r in recs] for c in form.field_codes}


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
    if not scopes.can_report(user, unit):
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
    n = len(parsed.records)
    result.rows = n
    if form.level == "zone":
        targets = [unit.id]
    else:  # checked even when the engine found problems: every problem of the file at once
        targets = _enterprise_units(result, form, cols, parsed.row_numbers, zone=unit, sheet=sheet)
    if not result.problems:
        busy = dict(
            _rows_for_units(
                Submission.objects.filter(form_code=form.code, period=parsed.period).exclude(
                    status__in=[Status.DRAFT, Status.RETURNED]
                ),
                "org_unit_id",
                targets,
                ("org_unit_id", "status"),
            )
        )
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
            form=form, unit_ids=targets, columns=cols, period=parsed.period, source=name, sheet=sheet,
            row_numbers=parsed.row_numbers,
        )
    if result.problems:
        return _refuse(result)
    if dry_run:
        return _finish(
            result,
            outcome=UploadOutcome.VALIDATED,
            message=f"校验通过（试运行，未保存数据）：{n} 行 / valid (dry run, nothing stored): {n} row(s)",
        )

    as_text = {c: _text_column(cols[c]) for c in form.field_codes}
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
                    values={c: v[0] for c, v in as_text.items()},
                    upload=upload,
                    reason=why,
                    simulated=simulated,
                    now=now,
                    expected_lock_version=expected_lock_version,
                )
                result.submissions, result.unchanged = (1, 0) if version else (0, 1)
                changed = [sub.id]
            else:
                changed, result.unchanged = _bulk_store(
                    user,
                    form,
                    result.period,
                    targets,
                    as_text,
                    upload=upload,
                    reason=why,
                    simulated=simulated,
                )
                result.submissions = len(changed)
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
) -> list[int]:
    """The org unit of each row's enterprise; unknown or foreign enterprises become problems."""
    codes = cols[form.key]
    known: dict[str, tuple[int, int]] = {}
    unique = sorted({c for c in codes if isinstance(c, str)})
    known.update(
        (c, (u, z))
        for c, u, z in _rows_for_units(
            Enterprise.objects.all(),
            "credit_code",
            unique,
            ("credit_code", "org_unit_id", "zone_id"),
            sql_type="text",
        )
    )
    letter = column_letter(form.field_codes.index(form.key)) if sheet else None
    names = (
        dict(
            OrgUnit.objects.filter(id__in={z for _, z in known.values() if z != zone.id}).values_list(
                "id", "name"
            )
        )
        if known
        else {}
    )
    out: list[int] = []
    for i, code in enumerate(codes):
        row = rows[i] if i < len(rows) else i + 1
        hit = known.get(code)
        if hit is None and not (isinstance(code, str) and is_valid_credit_code(code)):
            continue  # the engine already reported a missing or malformed code
        if hit is None:
            result.problems.append(
                app_problem(
                    "enterprise.unknown",
                    file=result.upload.filename,
                    sheet=sheet,
                    row=row,
                    column=letter,
                    field=form.key,
                    value=code,
                    detail_zh="请先由园区登记该企业",
                    detail_en="register it first",
                )
            )
        elif hit[1] != zone.id:
            result.problems.append(
                app_problem(
                    "enterprise.other_zone",
                    file=result.upload.filename,
                    sheet=sheet,
                    row=row,
                    column=letter,
                    field=form.key,
                    value=code,
                    detail_zh=f"该企业属于 {names.get(hit[1], '')}",
                    detail_en=f"it belongs to {names.get(hit[1], '')}",
                )
            )
        else:
            out.append(hit[0])
    return out


def _rows_for_units(
    qs, column: str, keys: list, fields: tuple[str, ...], *, sql_type: str = "bigint"
) -> list[tuple]:
    """``qs.filter(<column>__in=keys).values_list(*fields)`` for many keys.

    PostgreSQL: one query with ``column = ANY(array::sql_type[])`` (one parameter, whatever the number
    of keys; the cast lets the planner use the index); elsewhere chunks of 5,000 keys.
    """
    if not keys:
        return []
    if connection.vendor == "postgresql":
        return list(
            qs.extra(  # noqa: S610 (table and column names come from the code, the keys are a parameter)
                where=[f'"{qs.model._meta.db_table}"."{column}" = ANY(%s::{sql_type}[])'], params=[list(keys)]
            ).values_list(*fields)
        )
    out: list[tuple] = []
    for k in range(0, len(keys), 5000):
        out.extend(qs.filter(**{f"{column}__in": keys[k : k + 5000]}).values_list(*fields))
    return out


def _text_column(values: list[Any]) -> list[str | None]:
    """:func:`store_value` of every value of a column, fast paths for columns of one type."""
    kinds = set(map(type, values))
    if kinds <= {str}:
        return list(values)
    if kinds <= {int}:
        return list(map(str, values))
    if kinds <= {float}:
        reps = list(map(repr, values))
        if any("e" in r or "n" in r for r in reps):
            return [store_value(v) for v in values]
        return [r[:-2] if r.endswith(".0") else r for r in reps]
    return [store_value(v) for v in values]


def _json_rows(as_text: dict[str, list[str | None]]) -> list[str]:
    """One JSON object text per row, exactly ``json.dumps(dict(row), ensure_ascii=False)``."""
    enc = json.encoder.encode_basestring
    parts = []
    for code, vals in as_text.items():
        key = enc(code) + ": "
        parts.append([key + ("null" if v is None else enc(v)) for v in vals])
    return ["{" + ", ".join(p) + "}" for p in zip(*parts, strict=True)]


def _bulk_store(
    user,
    form: FormSpec,
    period: str,
    unit_ids: list[int],
    as_text: dict[str, list[str | None]],
    *,
    upload: Upload,
    reason: str,
    simulated: bool,
) -> tuple[list[int], int]:
    """Create or version the reports of many enterprises at once; returns (changed ids, unchanged count).

    ``as_text`` holds the stored text of every field by column, one entry per unit of ``unit_ids``.
    A new report gets one ``import`` audit event (the version carries its values); an existing report
    whose figures changed gets one ``value_change`` event per changed field (old, new); an unchanged
    report gets nothing.
    """
    actor = user if user is not None and user.is_authenticated else None
    in_file = Submission.objects.select_for_update(of=("self",)).filter(form_code=form.code, period=period)
    existing = {
        u: (sid, vid, vals)
        for u, sid, vid, vals in _rows_for_units(
            in_file,
            "org_unit_id",
            unit_ids,
            ("org_unit_id", "id", "current_version_id", "current_version__values"),
        )
    }
    now = timezone.now()
    new_units = [u for u in unit_ids if u not in existing]
    sub_t, ver_t = Submission._meta.db_table, SubmissionVersion._meta.db_table
    sub_cols = [
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
    version_ids: list[int] | None = None
    if connection.vendor == "postgresql":
        # Take the ids from the sequences first: a new report is written once, already pointing at its
        # version 1 (lock_version 1), and no UPDATE or re-reading is needed (the foreign keys are
        # checked at commit).
        with connection.cursor() as cur:
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [ver_t, len(unit_ids)],
            )
            version_ids = [r[0] for r in cur.fetchall()]
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [sub_t, len(new_units)],
            )
            sub_ids = dict(zip(new_units, (r[0] for r in cur.fetchall()), strict=True))
        pos = {u: i for i, u in enumerate(unit_ids)}
        _insert(
            Submission,
            ["id", "current_version_id", *sub_cols],
            (
                (
                    sub_ids[u],
                    version_ids[pos[u]],
                    now,
                    now,
                    form.code,
                    u,
                    period,
                    Status.DRAFT,
                    1,
                    "",
                    simulated,
                )
                for u in new_units
            ),
        )
        del pos
    else:
        _insert(
            Submission,
            sub_cols,
            ((now, now, form.code, u, period, Status.DRAFT, 0, "", simulated) for u in new_units),
        )
        sub_ids = (
            dict(
                _rows_for_units(
                    Submission.objects.filter(form_code=form.code, period=period),
                    "org_unit_id",
                    new_units,
                    ("org_unit_id", "id"),
                )
            )
            if new_units
            else {}
        )
    numbers = dict(
        _rows_for_units(
            SubmissionVersion.objects.values("submission_id").annotate(m=Max("number")),
            "submission_id",
            [sid for sid, _, _ in existing.values()],
            ("submission_id", "m"),
        )
    )
    codes = list(as_text)
    rows_json = _json_rows(as_text)
    versions, audits, changed, changed_existing, unchanged = [], [], [], [], 0
    actor_id = actor.id if actor else None
    created_note = f"v1（{len(codes)} 项）"
    for i, uid in enumerate(unit_ids):
        hit = existing.get(uid)
        if hit is None:
            sid, number = sub_ids[uid], 1
            audits.append((now, actor_id, "import", sid, "*", "", created_note, reason))
        else:
            sid = hit[0]
            old = (hit[2] or {}) if hit[1] else {}
            values = {c: as_text[c][i] for c in codes}
            if old == values:
                unchanged += 1
                continue
            number = (numbers.get(sid) or 0) + 1
            for key in sorted(set(old) | set(values)):
                if old.get(key) != values.get(key):
                    audits.append(
                        (
                            now,
                            actor_id,
                            "value_change",
                            sid,
                            key,
                            old.get(key) or "",
                            values.get(key) or "",
                            reason,
                        )
                    )
        row = (sid, number, upload.id, rows_json[i], actor_id, now, reason)
        versions.append(row if version_ids is None else (version_ids[i], *row))
        changed.append(sid)
        if hit is not None:
            changed_existing.append(sid)
    del rows_json
    _insert(
        SubmissionVersion,
        (["id"] if version_ids is not None else [])
        + ["submission_id", "number", "upload_id", "values", "created_by_id", "created_at", "note"],
        versions,
        json_columns={"values"},
    )
    del versions
    _insert(AuditEvent, ["at", "user_id", "action", "submission_id", "field", "old", "new", "reason"], audits)
    if changed_existing if version_ids is not None else changed:
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":  # new reports were written pointing at their version
                cur.execute(
                    f"UPDATE {sub_t} s SET current_version_id = v.id, lock_version = s.lock_version + 1, "  # noqa: S608
                    f"updated_at = %s FROM {ver_t} v WHERE v.submission_id = s.id AND v.upload_id = %s "
                    "AND s.id = ANY(%s::bigint[])",
                    [now, upload.id, changed_existing],
                )
            else:
                cur.execute(
                    f"UPDATE {sub_t} SET current_version_id = (SELECT v.id FROM {ver_t} v WHERE "  # noqa: S608
                    f"v.submission_id = {sub_t}.id AND v.upload_id = %s), lock_version = lock_version + 1, "
                    f"updated_at = %s WHERE id IN (SELECT submission_id FROM {ver_t} WHERE upload_id = %s)",
                    [upload.id, now, upload.id],
                )
    return changed, unchanged


def _insert(model, columns: list[str], rows, *, json_columns: set[str] = frozenset()) -> None:
    """Insert many rows (an iterable of tuples): PostgreSQL COPY, else ``bulk_create``."""
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        cols = ", ".join(f'"{c}"' for c in columns)
        with connection.cursor() as cur, cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:  # noqa: S608
            for row in rows:
                copy.write_row(row)
        return
    objs = []
    for row in rows:
        kw = {}
        for c, v in zip(columns, row, strict=True):
            kw[c] = json.loads(v) if c in json_columns else v
        objs.append(model(**kw))
    model.objects.bulk_create(objs, batch_size=2000)


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
