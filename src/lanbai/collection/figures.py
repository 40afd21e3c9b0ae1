"""The approved-figures store (``ApprovedFigure``) kept in step with the approved versions.

Called by the services inside the approval's transaction (:func:`figures_replace`), and once per
process by monitoring before its first full read (:func:`figures_catch_up`: reports approved before
the store existed, or by a writer that bypassed the services, get their rows then — "the next start
catches up").  A report's rows are always exactly the fields of its ``approved_version``; a return
keeps the approved version (monitoring keeps counting it until a new version is approved), so its
rows stay and are only rewritten.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from pandas.api.types import union_categoricals

from lanbai.common.bulk import cyclic_gc_paused, insert_plain

from .models import ApprovedFigure, ApprovedFigureChange, Submission, SubmissionVersion

BATCH = 5000
_FIGURE_COLUMNS = ["submission_id", "version_id", "version_number", "org_unit_id", "period", "form_code",
                   "field", "value", "value_text"]


def _number(text) -> float | None:
    if text is None or text == "":
        return None
    if isinstance(text, bool) or text in ("True", "False"):
        return 1.0 if text in (True, "True") else 0.0
    if type(text) is str:  # the common case: float() reads the same texts to the same double, 4x faster
        try:
            return float(text)
        except ValueError:
            pass
    try:
        return float(Decimal(str(text)))
    except (InvalidOperation, ValueError):
        return None


def split_value(value) -> tuple[float | None, str | None]:
    """A stored value as (number, text): numbers and booleans (1/0) in the first, codes and categories in the second."""
    number = _number(value)
    if number is not None:
        return number, None
    if value is None or value == "":
        return None, None
    return None, str(value)


def figures_replace(submission_ids: Iterable[int]) -> int:
    """Rewrite the store rows of these reports from their approved versions (the caller holds the
    transaction); log one change per report.  Returns the number of rows written."""
    ids = list(submission_ids)
    if not ids:
        return 0
    written = 0
    at = timezone.now()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        ApprovedFigure.objects.filter(submission_id__in=chunk).delete()
        reports = list(
            Submission.objects.filter(pk__in=chunk, approved_version__isnull=False).values_list(
                "pk", "org_unit_id", "period", "form_code", "approved_version_id"
            )
        )
        versions, values = {}, {}
        for pk, number, doc in SubmissionVersion.objects.filter(pk__in=[r[4] for r in reports]).values_list(
            "pk", "number", "values"
        ):
            versions[pk], values[pk] = number, doc
        rows = (
            (sid, vid, versions[vid], unit, period, form, name, number, text)
            for sid, unit, period, form, vid in reports
            for name, raw in (values[vid] or {}).items()
            if (parts := split_value(raw)) != (None, None)
            for number, text in (parts,)
        )
        written += insert_plain(ApprovedFigure, _FIGURE_COLUMNS, rows)
        _log_changes(chunk, at)
    return written


def _log_changes(ids: list[int], at) -> None:
    """One change-log row per report, written by the database from the reports (``INSERT … SELECT``:
    a model instance per row cost the demo's 225,000 approvals 8 s on SQLite)."""
    log, reports = ApprovedFigureChange._meta.db_table, Submission._meta.db_table
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cur:
        cur.execute(
            f'INSERT INTO {log} (org_unit_id, period, form_code, "at") '  # noqa: S608 - fixed names
            f"SELECT org_unit_id, period, form_code, %s FROM {reports} WHERE id IN ({marks}) ORDER BY id",
            [connection.ops.adapt_datetimefield_value(at), *ids],
        )


def figures_missing() -> list[int]:
    """Reports whose approved version has no rows in the store (one anti-join on the version index).

    ``NOT EXISTS``, not ``NOT IN (subquery)``: PostgreSQL cannot turn ``NOT IN`` into an anti-join
    (NULL semantics), and once the subquery's rows outgrow ``work_mem`` it re-scans them for every
    report — minutes at province scale (225,000 reports, 4.5 M figures)."""
    stored = ApprovedFigure.objects.filter(version_id=OuterRef("approved_version_id"))
    return list(
        Submission.objects.filter(approved_version__isnull=False)
        .filter(~Exists(stored))
        .order_by()
        .values_list("pk", flat=True)
    )


def figures_catch_up() -> int:
    """Fill the rows of approved reports missing from the store; returns how many reports were filled.

    Reports whose approved version has no figure at all stay "missing" and are re-read each time,
    which costs nothing (they write no rows)."""
    missing = figures_missing()
    if missing:
        with transaction.atomic():
            figures_replace(missing)
    return len(missing)


FRAME_COLUMNS = ["org_unit", "period", "form_code", "field", "value", "value_text", "version"]
CODE_COLUMNS = ("org_unit", "period", "form_code", "field")  # few distinct values: categoricals


FETCH_ROWS = 200_000


def _compact_part(rows: list[tuple]) -> pd.DataFrame:
    """Fetched rows (FRAME_COLUMNS) as a frame of typed columns, the code columns categorical — made
    column by column from one object array (``pd.DataFrame(rows)`` infers every column's type from
    the Python objects first: 0.28 s a slice of 200,000 rows, against 0.13 s so)."""
    grid = np.array(rows, dtype=object)  # (rows x FRAME_COLUMNS: the caller stops at no rows)
    return pd.DataFrame({
        c: (pd.Categorical(grid[:, i]) if c in CODE_COLUMNS
            else grid[:, i].astype(float) if c == "value"  # None -> NaN
            else grid[:, i].astype(np.int64) if c == "version"
            else grid[:, i])
        for i, c in enumerate(FRAME_COLUMNS)
    })


def _unit_codes(frame: pd.DataFrame) -> pd.DataFrame:
    """``org_unit`` (categorical unit ids) as the units' codes; the rows of a unit that does not
    exist are dropped, as the join to the units would have."""
    units = ApprovedFigure._meta.get_field("org_unit").related_model
    ids = frame["org_unit"].cat.categories
    code_of = dict(units._default_manager.filter(pk__in=[int(i) for i in ids]).values_list("pk", "code"))
    if len(code_of) < len(ids):
        frame = frame[frame["org_unit"].isin([i for i in ids if int(i) in code_of])]
        frame = frame.assign(org_unit=frame["org_unit"].cat.remove_unused_categories()).reset_index(drop=True)
        ids = frame["org_unit"].cat.categories
    codes = [code_of[int(i)] for i in ids]
    if len(set(codes)) == len(codes):
        return frame.assign(org_unit=frame["org_unit"].cat.rename_categories(codes))
    return frame.assign(org_unit=frame["org_unit"].map(dict(zip(ids, codes, strict=True))).astype("category"))


def _concat_categorical(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The parts one below the other, their categorical columns kept categorical (``pd.concat``
    would turn categoricals of different categories into text)."""
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="category" if c in CODE_COLUMNS else object)
                             for c in FRAME_COLUMNS})
    if len(parts) == 1:
        return parts[0]
    columns = {c: (union_categoricals([p[c] for p in parts]) if c in CODE_COLUMNS
                   else pd.concat([p[c] for p in parts], ignore_index=True)) for c in FRAME_COLUMNS}
    return pd.DataFrame(columns)


def figures_frame(*, periods: Iterable[str] | None = None, until_period: str | None = None,
                  units: Iterable[int] | None = None, compact: bool = False) -> pd.DataFrame:
    """The store's rows as a frame (FRAME_COLUMNS, unit codes), read with ONE query: on PostgreSQL
    streamed with ``COPY … TO STDOUT`` as CSV (no Python object per value), elsewhere fetched.

    ``compact``: the code columns (unit, period, form, field) as categoricals — at province scale
    (4.5 M rows) as strings they took 670 MB and reading them peaked at 1.4 GB — for a caller that
    hands the frame to the core as it is (monitoring's recompute); else as text.  The CSV is spooled
    to a temporary file, not kept in memory while it is parsed."""
    qs = ApprovedFigure.objects.order_by()
    if periods is not None:
        qs = qs.filter(period__in=list(periods))
    if until_period:
        qs = qs.filter(period__lte=until_period)
    if units is not None:
        qs = qs.filter(org_unit_id__in=list(units))
    rows_qs = qs.values_list("org_unit__code", "period", "form_code", "field", "value", "value_text",
                             "version_number")
    sql, params = rows_qs.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with tempfile.SpooledTemporaryFile(max_size=8 << 20) as buf:
                with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
                    for block in copy:
                        buf.write(block)
                buf.seek(0)
                codes: Any = "category" if compact else str
                frame = pd.read_csv(buf, names=FRAME_COLUMNS, header=None,
                                    dtype={**dict.fromkeys(CODE_COLUMNS, codes), "value_text": str, "value": float},
                                    keep_default_na=False, na_values={"value": [""], "value_text": [""],
                                                                      "version": [""]})
        elif compact:  # in slices, each made compact at once: 4.5 M fetched rows as tuples took 2 GB
            # the unit ids, not their codes: the join cost SQLite a quarter of the read (1.9 of 7.6 s)
            sql, params = qs.values_list("org_unit_id", *rows_qs.query.values_select[1:]).query.sql_with_params()
            cursor.execute(sql, params)
            parts = []
            with cyclic_gc_paused:  # 4.5 M row tuples: a third of the fetch went to collections
                while rows := cursor.fetchmany(FETCH_ROWS):
                    parts.append(_compact_part(rows))
            frame = _unit_codes(_concat_categorical(parts))
        else:
            cursor.execute(sql, params)
            frame = pd.DataFrame(cursor.fetchall(), columns=FRAME_COLUMNS)
    frame["value"] = frame["value"].astype(float)
    frame["value_text"] = frame["value_text"].astype(object).where(frame["value_text"].notna(), None)
    frame["version"] = frame["version"].astype("int64")
    return frame


def figure_changes(*, after: int) -> tuple[int, list[tuple[int, str, str]]]:
    """(latest change id, the (unit id, period, form) of the changes after ``after``)."""
    rows = list(ApprovedFigureChange.objects.filter(pk__gt=after).order_by("pk")
                .values_list("pk", "org_unit_id", "period", "form_code"))
    if not rows:
        return after, []
    return rows[-1][0], [r[1:] for r in rows]


def figure_change_latest() -> int:
    last = ApprovedFigureChange.objects.order_by("-pk").values_list("pk", flat=True).first()
    return last or 0


def figure_change_at(change_id: int):
    return ApprovedFigureChange.objects.filter(pk=change_id).values_list("at", flat=True).first()
