"""The checks that need the database, each run here and nowhere else.

The reporting unit exists and the user may report for it; an enterprise file's unit is a zone (or an
enterprise reporting for itself) and every row names an enterprise registered in that zone; the period
is not locked; no report of the file is under review; and the year-to-date rule: figures are cumulative
within a year (1–3月, 1–6月 …), so a flow may not fall from one quarter to the next of the same year (a
stock may).  The pure YTD rule is :func:`lanbai.core.collection.check_ytd`; :func:`previous_values`
loads the previous quarter of the same year (the approved version, else the current one) of the same
units in one query.  Q1 has no previous quarter (nothing is checked); a unit without a previous-quarter
report, or a value missing on either side, is not checked.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db.models.fields.json import KeyTextTransform

from lanbai.access.policy import Action, can
from lanbai.common.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from lanbai.core.collection import (
    FormSpec,
    ParsedFile,
    Problem,
    check_yoy,
    check_ytd,
    is_valid_credit_code,
    yoy_breaks,
)
from lanbai.core.collection.excel import column_letter
from lanbai.core.periods import Quarter
from lanbai.plans.selectors import orgunit_get, orgunit_names

from .. import selectors, services
from ..choices import STATUS_WORDS, Status
from ..models import Enterprise, Submission
from . import copy
from .parsing import forms
from .results import ImportResult, app_problem

if TYPE_CHECKING:  # the plans app's models are read through its selectors
    from lanbai.plans.models import OrgUnit

# ------------------------------------------------------------------------------------------------
# the reporting unit


def reporting_unit(result: ImportResult, *, user, form: FormSpec, unit_code: str, period: str, now=None):
    """The unit the file reports for, or None when it does not exist (a problem is recorded).

    A user who may not report for it gets :class:`PermissionDeniedError` (the caller marks the upload
    refused first: ``result.problems`` then starts with ``permission.denied``).  An enterprise form
    needs a zone, or the enterprise itself (its own report, e.g. the web entry form); a locked period
    is a problem.
    """
    name = result.upload.filename
    try:
        unit = orgunit_get(unit_code)
    except NotFoundError:
        result.problems.append(app_problem("unit.unknown", file=name, value=unit_code))
        return None
    result.unit = unit
    if not can(user, Action.REPORT, unit):
        result.problems.insert(0, app_problem("permission.denied", file=name, value=unit.name))
        raise PermissionDeniedError(
            f"无权为 {unit.name} 填报 / not allowed to report for {unit.name}",
            extra={"upload": result.upload.pk},
        )
    if form.level == "enterprise" and unit.kind not in ("zone", "enterprise"):
        result.problems.append(app_problem("unit.not_zone", file=name, value=unit.name))
    refusal = services.period_refusal(period, unit, form_code=form.code, now=now)
    if refusal == "locked":
        result.problems.append(
            app_problem(
                "period.locked",
                file=name,
                value=period,
                detail_zh="请向省创新办申请逾期填报许可",
                detail_en="ask the provincial office for an exception",
            )
        )
    elif refusal is not None:  # future / outside: from the form's reporting calendar
        result.problems.append(app_problem(f"period.{refusal}", file=name, value=period))
    return unit


def reports_own(form: FormSpec, unit: OrgUnit) -> bool:
    """True when an enterprise reports its own enterprise form (one row: itself)."""
    return form.level == "enterprise" and unit.kind == "enterprise"


# ------------------------------------------------------------------------------------------------
# the enterprises of an enterprise file


@dataclass
class ZonePrefetch:
    """What an enterprise file's import reads about its zone while calamine parses the sheet."""

    zone_id: int
    form_code: str
    period: str | None
    registry: dict[str, tuple[int, int]]  # credit code -> (org unit, zone) of the zone's enterprises
    reports: dict[int, tuple[int, str]]  # org unit -> (report id, status) of (form, period)
    # the zone's stored values of the previous quarter (year-to-date rule) and of the same quarter
    # last year (the 同比 rules' fields), as previous_values reads them; None: not read
    previous: dict[int, dict[str, Any]] | None = None
    last_year: dict[int, dict[str, Any]] | None = None

    def matches(self, form: FormSpec, period: str, zone: OrgUnit) -> bool:
        return (self.zone_id, self.form_code, self.period) == (zone.id, form.code, period)


def _prefetched(prefetch: ZonePrefetch | None, which: str, *, form: FormSpec, period: str,
                zone) -> dict[int, dict[str, Any]] | None:
    """The prefetch's ``previous`` or ``last_year`` values when it was read for this (form, period, zone)."""
    if zone is None or prefetch is None or not prefetch.matches(form, period, zone):
        return None
    return getattr(prefetch, which)


def zone_prefetch(parsed: ParsedFile) -> ZonePrefetch | None:
    """The zone's enterprise registry and its stored reports of the file's (form, period).

    Runs while calamine parses the sheet (it frees the GIL), so looking up 100,000 rows' enterprises
    and reports costs nothing on the way: :func:`enterprise_units` looks up only the codes not
    found here, and the reports are used when form, period and zone turn out as read here (the
    transaction that stores them locks and re-reads them anyway).
    """
    form = forms().get(parsed.form_code or "")
    if form is None or form.level != "enterprise" or not parsed.unit_code:
        return None
    try:
        zone = orgunit_get(parsed.unit_code, kind="zone")
    except NotFoundError:
        return None
    rows = Enterprise.objects.filter(zone=zone).order_by().values_list("credit_code", "org_unit_id", "zone_id")
    registry = {c: (u, z) for c, u, z in rows}
    reports: dict[int, tuple[int, str]] = {}
    if parsed.period:
        reports = {
            u: (sid, st)
            for u, sid, st in selectors.zone_enterprise_reports(form.code, parsed.period, zone).values_list(
                "org_unit_id", "id", "status"
            )
        }
    previous = last_year = None
    try:
        quarter = Quarter.parse(parsed.period) if parsed.period else None
    except ValueError:  # refused later, with its own problem
        quarter = None
    if quarter is not None:
        previous = previous_values(form=form, unit_ids=None, period=str(quarter), zone=zone)
        if form.yoy_rules:
            last_year = previous_values(form=form, unit_ids=None, period=str(quarter), zone=zone,
                                        of_period=str(quarter.same_quarter_last_year()), fields=_yoy_fields(form))
    return ZonePrefetch(zone.id, form.code, parsed.period, registry, reports, previous, last_year)


def enterprise_units(
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

    ``known`` (credit code → (org unit, zone), e.g. prefetched by :func:`zone_prefetch`) spares the
    lookup of the codes it holds.
    """
    key = _key(form)
    codes = cols[key]
    known = known or {}
    missing = sorted({c for c in codes if isinstance(c, str)} - known.keys())
    if missing:
        found = copy.rows_for_keys(
            Enterprise.objects.all(),
            "credit_code",
            missing,
            ("credit_code", "org_unit_id", "zone_id"),
            sql_type="text",
        )
        known = {**known, **{c: (u, z) for c, u, z in found}}
    hits = list(map(known.get, codes))
    present = [h for h in hits if h is not None]
    if len(present) == len(hits) and {z for _, z in present} == {zone.id}:  # every row an enterprise of the zone
        return [u for u, _ in present]
    letter = column_letter(form.field_codes.index(key)) if sheet else None
    names = orgunit_names({h[1] for h in hits if h is not None and h[1] != zone.id})
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


def _key(form: FormSpec) -> str:
    """The key field of an enterprise form (the credit code column every row names)."""
    if form.key is None:
        raise ApplicationError(f"报表 {form.code} 没有主键字段 / form {form.code} has no key field")
    return form.key


def own_enterprise_unit(
    result: ImportResult, form: FormSpec, cols: dict[str, list[Any]], rows: list[int], *, unit: OrgUnit
) -> list[int]:
    """An enterprise's own report: exactly one row, naming the enterprise itself."""
    ent = Enterprise.objects.filter(org_unit=unit).only("credit_code").first()
    codes = cols[_key(form)]
    if ent is not None and len(codes) == 1 and codes[0] == ent.credit_code:
        return [unit.id]
    result.problems.append(
        app_problem(
            "enterprise.not_self",
            file=result.upload.filename,
            row=rows[0] if rows else None,
            field=form.key,
            value=codes[0] if len(codes) == 1 else len(codes),
        )
    )
    return []


# ------------------------------------------------------------------------------------------------
# the stored reports


def stored_reports(
    form: FormSpec, period: str, unit: OrgUnit, targets: list[int], *, prefetch: ZonePrefetch | None
) -> dict[int, tuple[int, str]]:
    """The reports of the file's units already stored: org unit -> (report id, status)."""
    wanted = set(targets)
    found: Iterable[tuple[int, tuple[int, str]]]
    if prefetch is not None and prefetch.matches(form, period, unit):
        found = prefetch.reports.items()
    else:
        if form.level == "enterprise" and unit.kind == "zone":  # all of the zone's, by one join
            qs = selectors.zone_enterprise_reports(form.code, period, unit)
        else:
            qs = Submission.objects.filter(form_code=form.code, period=period, org_unit_id__in=targets)
        found = ((u, (sid, st)) for u, sid, st in qs.values_list("org_unit_id", "id", "status"))
    return {u: hit for u, hit in found if u in wanted}


def under_review(
    result: ImportResult,
    targets: list[int],
    stored: dict[int, tuple[int, str]],
    *,
    row_numbers: list[int],
    sheet: str | None,
) -> None:
    """A problem at the row of each report already submitted or approved (no longer open for changes)."""
    busy = {u: st for u, (_, st) in stored.items() if st not in (Status.DRAFT, Status.RETURNED)}
    for i, uid in enumerate(targets):
        if uid in busy:
            row = row_numbers[i] if i < len(row_numbers) else None
            result.problems.append(
                app_problem(
                    "submission.under_review",
                    file=result.upload.filename,
                    sheet=sheet,
                    row=row,
                    value=STATUS_WORDS[busy[uid]],  # stored text: Chinese, whatever the request's language
                )
            )


# ------------------------------------------------------------------------------------------------
# the year-to-date rule


def previous_period(period: Quarter | str) -> str | None:
    """The previous quarter of the same year (``2018Q2`` -> ``2018Q1``); None for Q1."""
    prev = Quarter.coerce(period).previous_in_year()
    return None if prev is None else str(prev)


def previous_values(
    *, form: FormSpec, unit_ids: list[int] | None, period: str, zone=None, of_period: str | None = None,
    fields: Iterable[str] | None = None,
) -> dict[int, dict[str, Any]]:
    """Stored values of the previous quarter per unit id (approved version, else current); one query.

    ``zone`` (the units are enterprises of that zone): read the zone's reports
    (:func:`~lanbai.collection.selectors.zone_enterprise_reports`) instead of sending every unit id.
    ``of_period``: read that period instead (the same quarter last year, for the 同比 rules).
    ``fields``: only these values, taken out of the documents by the database (a 同比 rule compares
    one field: 10,000 whole documents cost PostgreSQL ~0.3 s to send, one key of each a tenth of that).
    ``unit_ids`` None (with ``zone``): every enterprise of the zone (:func:`zone_prefetch`).
    """
    prev = of_period or previous_period(period)
    whole_zone = unit_ids is None and zone is not None
    if prev is None or not (unit_ids or whole_zone):
        return {}
    wanted = None if fields is None else sorted(set(fields))
    if wanted is None:
        columns: tuple[str, ...] = ("org_unit_id", "approved_version__values", "current_version__values")
    else:
        columns = ("org_unit_id", "approved_version_id", *(f"a_{i}" for i in range(len(wanted))),
                   *(f"c_{i}" for i in range(len(wanted))))
    if zone is not None:
        qs = selectors.zone_enterprise_reports(form.code, prev, zone)
    else:
        qs = Submission.objects.filter(form_code=form.code, period=prev)
    if wanted is not None:
        # as text (``->>``): a JSON value (``->``) would be decoded twice, by psycopg and by the field
        qs = qs.annotate(**{f"a_{i}": KeyTextTransform(f, "approved_version__values") for i, f in enumerate(wanted)},
                         **{f"c_{i}": KeyTextTransform(f, "current_version__values") for i, f in enumerate(wanted)})
    if zone is not None:
        rows = list(qs.values_list(*columns))
        if unit_ids is not None:
            ids = set(unit_ids)
            rows = [r for r in rows if r[0] in ids]
    else:
        rows = copy.rows_for_keys(qs, "org_unit_id", list(unit_ids or ()), columns)
    if wanted is None:
        return {uid: approved if approved is not None else current or {} for uid, approved, current in rows}
    n = len(wanted)
    out = {}
    for row in rows:
        picked = row[2:2 + n] if row[1] is not None else row[2 + n:]
        # as text: what a version stores (numbers as strings of decimals)
        out[row[0]] = {f: v for f, v in zip(wanted, picked, strict=True) if v is not None}
    return out


def ytd_problems(
    *,
    form: FormSpec,
    unit_values: dict[int, dict[str, Any]],
    period: str,
    source: str = "",
    sheet: str | None = None,
    row_numbers: list[int] | None = None,
    before: dict[int, dict[str, Any]] | None = None,
) -> list[Problem]:
    """Problems of flows that fall below the previous quarter of the same year.

    ``unit_values`` maps an org unit id to its new (parsed) values, in row order.  A problem's
    ``row`` is the unit's 1-based position in ``unit_values``, or ``row_numbers[position]`` when
    given (the Excel rows of an import).  Each message names the field, the new and the previous value.
    ``before``: the stored previous quarter when the caller has read it (:func:`previous_values`).
    """
    prev = previous_period(period)
    if prev is None or not unit_values:
        return []
    if before is None:
        before = previous_values(form=form, unit_ids=list(unit_values), period=period)
    if not before:
        return []
    current, previous, positions = [], [], []
    for pos, (uid, values) in enumerate(unit_values.items()):
        old = before.get(uid)
        if not old:
            continue
        if form.key:  # the unit is the identity: match the stored row to this unit whatever its key says
            old = {**old, form.key: values.get(form.key)}
        current.append(values)
        previous.append(old)
        positions.append(pos)
    problems = check_ytd(form, current, previous, source=source, current_period=period, previous_period=prev)
    out = []
    for p in problems:
        at = positions[p.row - 1] if p.row else None
        row = (
            (row_numbers[at] if row_numbers and at < len(row_numbers) else at + 1)
            if at is not None
            else None
        )
        out.append(_placed(p, form=form, row=row, sheet=sheet))
    return out


def ytd_problems_for_columns(
    *,
    form: FormSpec,
    unit_ids: list[int],
    columns: dict[str, list[Any]],
    period: str,
    source: str = "",
    sheet: str | None = None,
    row_numbers: list[int] | None = None,
    zone=None,
    prefetch: ZonePrefetch | None = None,
) -> list[Problem]:
    """:func:`ytd_problems` for a columnar import (``columns[field][i]`` belongs to ``unit_ids[i]``).

    Row dicts are built only for the units that have a previous-quarter report; ``zone`` as in
    :func:`previous_values`.  Columns of another length than ``unit_ids`` are a programming error
    (ValueError).
    """
    if len(unit_ids) != len(next(iter(columns.values()), unit_ids)):
        raise ValueError("unit_ids and every column of columns must have the same length")
    # read while the sheet was parsed, when it was (its other units are never looked up)
    before = _prefetched(prefetch, "previous", form=form, period=period, zone=zone)
    if before is None:
        before = previous_values(form=form, unit_ids=list(unit_ids), period=period, zone=zone)
    if not before:
        return []
    idx = [i for i, u in enumerate(unit_ids) if u in before]
    unit_values = {unit_ids[i]: {c: col[i] for c, col in columns.items()} for i in idx}
    rows = [row_numbers[i] if row_numbers and i < len(row_numbers) else i + 1 for i in idx]
    return ytd_problems(
        form=form,
        unit_values=unit_values,
        period=period,
        source=source,
        sheet=sheet,
        row_numbers=rows,
        before=before,  # read once above, not again
    )


def yoy_problems_for_columns(
    *,
    form: FormSpec,
    unit_ids: list[int],
    columns: dict[str, list[Any]],
    period: str,
    source: str = "",
    sheet: str | None = None,
    row_numbers: list[int] | None = None,
    zone=None,
    prefetch: ZonePrefetch | None = None,
) -> list[Problem]:
    """The form's 同比 rules (``yoy_rules``, soft by default) against the same quarter last year.

    Next to the YTD rule and read the same way (:func:`previous_values` of ``same_quarter_last_year``,
    one query); a unit without last year's report, or a value missing on either side, is not checked.
    """
    if not form.yoy_rules or not unit_ids:
        return []
    last = str(Quarter.coerce(period).same_quarter_last_year())
    fields = _yoy_fields(form) | ({form.key} if form.key else set())
    before = _prefetched(prefetch, "last_year", form=form, period=period, zone=zone)
    if before is None:  # the key: this file's, below
        before = previous_values(form=form, unit_ids=list(unit_ids), period=period, zone=zone, of_period=last,
                                 fields=_yoy_fields(form))
    if not before:
        return []
    idx = [i for i, u in enumerate(unit_ids) if u in before]
    # rows are built only for the units where a rule breaks (10,000 row dicts cost more than the read)
    breaks = np.zeros(len(idx), dtype=bool)
    for rule in form.yoy_rules:
        if rule.field in columns:
            col = columns[rule.field]
            breaks |= yoy_breaks(rule.max_change, [col[i] for i in idx],
                                 [before[unit_ids[i]].get(rule.field) for i in idx])
    idx = [i for i, hit in zip(idx, breaks.tolist(), strict=True) if hit]
    current = [{c: columns[c][i] for c in fields if c in columns} for i in idx]
    previous = []
    for i in idx:
        old = dict(before[unit_ids[i]])
        if form.key:  # the unit is the identity (as in ytd_problems)
            old[form.key] = columns[form.key][i]
        previous.append(old)
    out = []
    for p in check_yoy(form, current, previous, source=source, current_period=period, last_year_period=last):
        assert p.row is not None  # check_yoy numbers every problem by its row in ``current``
        i = idx[p.row - 1]
        row = row_numbers[i] if row_numbers and i < len(row_numbers) else i + 1
        out.append(_placed(p, form=form, row=row, sheet=sheet))
    return out


def _yoy_fields(form: FormSpec) -> set[str]:
    """The fields the form's 同比 rules compare."""
    return {r.field for r in form.yoy_rules}


def _placed(p: Problem, *, form: FormSpec, row: int | None, sheet: str | None) -> Problem:
    """The problem placed at another row/sheet, its messages' location rewritten to match."""
    from lanbai.core.collection.problems import location_en, location_zh

    if row == p.row and sheet == p.sheet:
        return p
    label = next((f.label for f in form.fields if f.code == p.field), None)
    old_zh = location_zh(p.file, p.sheet, p.row, p.column, label)
    old_en = location_en(p.file, p.sheet, p.row, p.column, p.field)
    zh = location_zh(p.file, sheet, row, p.column, label) + p.message_zh.removeprefix(old_zh)
    en = location_en(p.file, sheet, row, p.column, p.field) + p.message_en.removeprefix(old_en)
    return dataclasses.replace(p, row=row, sheet=sheet, message_zh=zh, message_en=en)


__all__ = [
    "ZonePrefetch",
    "enterprise_units",
    "own_enterprise_unit",
    "previous_period",
    "previous_values",
    "reporting_unit",
    "reports_own",
    "stored_reports",
    "under_review",
    "yoy_problems_for_columns",
    "ytd_problems",
    "ytd_problems_for_columns",
    "zone_prefetch",
]
