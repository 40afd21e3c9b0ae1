"""Year-to-date rule of the quarterly forms, against the stored previous quarter.

Figures are cumulative within a year (1–3月, 1–6月 …): a flow may not fall from one quarter to the
next of the same year, a stock may.  The pure rule is :func:`lanbai.core.collection.check_ytd`; this
module loads the previous quarter of the same year (the approved version, else the current version)
of the same reporting units in one query and hands both to it.

Policies: Q1 has no previous quarter (nothing is checked); a unit without a previous-quarter report,
or a value missing on either side, is not checked.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from lanbai.core.collection import FormSpec, Problem, check_ytd
from lanbai.core.periods import Quarter

from . import bulk_sql
from .models import Submission
from .selectors import zone_enterprise_reports


def previous_period(period: str) -> str | None:
    """The previous quarter of the same year (``2018Q2`` -> ``2018Q1``); None for Q1."""
    q = Quarter.parse(period)
    return None if q.q == 1 else f"{q.year}Q{q.q - 1}"


def previous_values(
    *, form: FormSpec, unit_ids: list[int], period: str, zone=None
) -> dict[int, dict[str, Any]]:
    """Stored values of the previous quarter per unit id (approved version, else current); one query.

    ``zone`` (the units are enterprises of that zone): read the zone's reports
    (:func:`~lanbai.collection.selectors.zone_enterprise_reports`) instead of sending every unit id.
    """
    prev = previous_period(period)
    if prev is None or not unit_ids:
        return {}
    fields = ("org_unit_id", "approved_version__values", "current_version__values")
    if zone is not None:
        wanted = set(unit_ids)
        reports = zone_enterprise_reports(form.code, prev, zone)
        rows = [r for r in reports.values_list(*fields) if r[0] in wanted]
    else:
        qs = Submission.objects.filter(form_code=form.code, period=prev)
        rows = bulk_sql.rows_for_keys(qs, "org_unit_id", list(unit_ids), fields)
    return {uid: approved if approved is not None else current or {} for uid, approved, current in rows}


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
        pos = positions[p.row - 1] if p.row else None
        row = (
            (row_numbers[pos] if row_numbers and pos < len(row_numbers) else pos + 1)
            if pos is not None
            else None
        )
        out.append(_with(p, form=form, row=row, sheet=sheet))
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
) -> list[Problem]:
    """:func:`ytd_problems` for a columnar import (``columns[field][i]`` belongs to ``unit_ids[i]``).

    Row dicts are built only for the units that have a previous-quarter report; ``zone`` as in
    :func:`previous_values`.
    """
    if len(unit_ids) != len(next(iter(columns.values()), unit_ids)):
        raise ValueError("unit_ids and every column of columns must have the same length")
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


def _with(p: Problem, *, form: FormSpec, row: int | None, sheet: str | None) -> Problem:
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


def parsed_rows(parsed) -> list[dict[str, Any]]:
    """The records of a :class:`ParsedFile` as row dicts (they may be stored by column)."""
    recs = parsed.records
    if hasattr(recs, "columns"):
        cols = recs.columns
        n = len(next(iter(cols.values()), []))
        return [{c: v[i] for c, v in cols.items()} for i in range(n)]
    return list(recs)


def ytd_problems_for_records(
    *, form: FormSpec, unit, records: list[dict[str, Any]], period: str, source: str = ""
) -> list[Problem]:
    """The YTD rule for JSON/web records reported by ``unit`` (a zone, or an enterprise for itself).

    Records are parsed with the engine first; when they have engine problems nothing is checked here
    (the importer reports those).  Enterprise rows are matched to their units by the form's key.
    """
    from lanbai.core.collection import parse_records

    from .models import Enterprise

    if previous_period(period) is None:
        return []
    parsed = parse_records(form, records, source=source)
    if parsed.problems:
        return []
    rows = parsed_rows(parsed)
    if form.level == "zone" or unit.kind == "enterprise":
        unit_values = {unit.id: rows[0]} if len(rows) == 1 else {}
    else:
        codes = [r.get(form.key) for r in rows]
        wanted = sorted({c for c in codes if isinstance(c, str)})
        by_code: dict[str, int] = {}
        for k in range(0, len(wanted), 5000):  # SQLite bounds the number of parameters
            by_code.update(
                Enterprise.objects.filter(credit_code__in=wanted[k : k + 5000], zone=unit).values_list(
                    "credit_code", "org_unit_id"
                )
            )
        unit_values = {by_code[c]: r for c, r in zip(codes, rows, strict=True) if c in by_code}
        positions = [i + 1 for i, c in enumerate(codes) if c in by_code]
        return ytd_problems(
            form=form, unit_values=unit_values, period=period, source=source, row_numbers=positions
        )
    return ytd_problems(form=form, unit_values=unit_values, period=period, source=source)


def refuse_upload(
    *,
    user,
    filename: str,
    content: bytes,
    channel: str,
    problems: list[Problem],
    form_code: str,
    period: str,
    unit=None,
):
    """Keep the raw input and mark it refused with ``problems`` (nothing else is stored).

    Returns an :class:`lanbai.collection.importing.ImportResult` as the importer would.
    """
    from .choices import UploadOutcome
    from .importing import ImportResult, upload_receive

    up = upload_receive(user=user, filename=filename, content=content, channel=channel)
    n = len(problems)
    up.outcome = UploadOutcome.REFUSED
    up.problems = [p.to_dict() for p in problems]
    up.message = f"被拒绝：发现 {n} 个问题，未保存任何数据 / refused: {n} problem(s); nothing was stored"
    up.form_code, up.period = form_code, period
    up.save(update_fields=["outcome", "problems", "message", "form_code", "period"])
    return ImportResult(
        upload=up,
        outcome=up.outcome,
        problems=list(problems),
        message=up.message,
        form_code=form_code,
        period=period,
        unit=unit,
    )
