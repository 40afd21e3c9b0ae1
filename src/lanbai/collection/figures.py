"""The approved-figures store (``ApprovedFigure``) kept in step with the approved versions.

Called by the services inside the approval's transaction (:func:`figures_replace`), and once per
process by monitoring before its first full read (:func:`figures_catch_up`: reports approved before
the store existed, or by a writer that bypassed the services, get their rows then — "the next start
catches up").  A report's rows are always exactly the fields of its ``approved_version``; a return
keeps the approved version (monitoring keeps counting it until a new version is approved), so its
rows stay and are only rewritten.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, Max, OuterRef
from django.utils import timezone
from pandas.api.types import union_categoricals

from lanbai.common.bulk import cyclic_gc_paused, insert_plain

from .models import ApprovedFigure, ApprovedFigureChange, Submission, SubmissionVersion

log = logging.getLogger(__name__)

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
    known = units._default_manager.all() if len(ids) > 1000 else units._default_manager.filter(
        pk__in=[int(i) for i in ids])  # every unit: a list of 10,000 ids cost PostgreSQL more than the rest
    code_of = dict(known.values_list("pk", "code"))
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
    to a temporary file, not kept in memory while it is parsed.  The whole store read compact comes
    through its Parquet mirror (:func:`_mirrored`) where the database outlives the process."""
    qs = ApprovedFigure.objects.order_by()
    if periods is not None:
        qs = qs.filter(period__in=list(periods))
    if until_period:
        qs = qs.filter(period__lte=until_period)
    if units is not None:
        qs = qs.filter(org_unit_id__in=list(units))
    if compact:
        whole = periods is None and not until_period and units is None
        return _unit_codes(_mirrored() if whole else _compact_ids(qs))
    rows_qs = qs.values_list("org_unit__code", *_ROW_FIELDS)
    sql, params = rows_qs.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            frame = _copy_csv(cursor, sql, params, codes=str)
        else:
            cursor.execute(sql, params)
            frame = pd.DataFrame(cursor.fetchall(), columns=FRAME_COLUMNS)
    return _typed(frame)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """value as float, value_text as objects (None, not NaN, where there is none), version as int."""
    frame["value"] = frame["value"].astype(float)
    frame["value_text"] = frame["value_text"].astype(object).where(frame["value_text"].notna(), None)
    frame["version"] = frame["version"].astype("int64")
    return frame


_ROW_FIELDS = ("period", "form_code", "field", "value", "value_text", "version_number")


def _copy_csv(cursor, sql: str, params, *, codes) -> pd.DataFrame:
    """A query's rows (FRAME_COLUMNS) through PostgreSQL's ``COPY … TO STDOUT`` as CSV, spooled to a
    temporary file and parsed by pandas; the code columns as ``codes`` (str or "category")."""
    with tempfile.SpooledTemporaryFile(max_size=8 << 20) as buf:
        with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
            for block in copy:
                buf.write(block)
        buf.seek(0)
        return pd.read_csv(buf, names=FRAME_COLUMNS, header=None,
                           dtype={**dict.fromkeys(CODE_COLUMNS, codes), "value_text": str, "value": float},
                           keep_default_na=False, na_values={"value": [""], "value_text": [""], "version": [""]})


def _compact_ids(qs) -> pd.DataFrame:
    """The rows of ``qs`` compact, ``org_unit`` as categorical unit ids (int64), typed as
    :func:`figures_frame` returns them: the units' codes are mapped once afterwards
    (:func:`_unit_codes`) — joining them cost SQLite a quarter of the read (1.9 of 7.6 s)."""
    sql, params = qs.values_list("org_unit_id", *_ROW_FIELDS).query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            frame = _copy_csv(cursor, sql, params, codes="category")
            ids = frame["org_unit"].cat.categories
            frame["org_unit"] = frame["org_unit"].cat.rename_categories(list(ids.astype("int64")))
        else:  # in slices, each made compact at once: 4.5 M fetched rows as tuples took 2 GB
            cursor.execute(sql, params)
            parts = []
            with cyclic_gc_paused:  # 4.5 M row tuples: a third of the fetch went to collections
                while rows := cursor.fetchmany(FETCH_ROWS):
                    parts.append(_compact_part(rows))
            frame = _concat_categorical(parts)
    return _typed(frame)


# ---------------------------------------------------------------------------------------- mirror
# The whole store as Parquet beside the database, so a process's first full recompute does not
# read 4.5 M rows out of PostgreSQL (5 s at province scale; the Parquet file 0.2 s).  The change log
# (ApprovedFigureChange, append-only and written in the approvals' transactions) is the outbox
# that keeps it in step: the mirror records the last change it holds, and a read first replays
# the reports changed after it from the store.  Nothing is lost when the mirror is: it is only
# ever a copy (a missing, unreadable or stale one means one full read from the store, which
# writes it again).  DuckDB's own database file was the alternative; Parquet needs no second
# engine to open it and is what a cluster reads (docs/scale.md).

MIRROR_REPLAY_MAX = 20_000  # changed reports replayed into the mirror; more: the store is read whole
_MARK = b"lanbai.figures.mark"  # Parquet metadata: the change log as the mirror holds it


def mirror_path() -> Path | None:
    """Where this database's mirror lives (under LANBAI_DATA_DIR); None for a database that does
    not outlive its process (in-memory SQLite: nothing to carry to the next start)."""
    s = connection.settings_dict
    name = str(s.get("NAME") or "")
    if connection.vendor == "sqlite" and (name in ("", ":memory:") or "mode=memory" in name):
        return None
    ident = "|".join((connection.vendor, str(s.get("HOST") or ""), str(s.get("PORT") or ""), name))
    return Path(settings.DATA_DIR) / "figures" / f"store-{hashlib.sha256(ident.encode()).hexdigest()[:16]}.parquet"


def _change_mark() -> dict:
    """The change log now, in one statement: its last id, that change's time, and how many changes
    there are up to it.  The count catches a change that commits after a later one was read (on
    PostgreSQL an id is drawn when the approval writes, not when it commits)."""
    last, count = ApprovedFigureChange.objects.aggregate(last=Max("pk"), count=Count("pk")).values()
    if not last:
        return {"last": 0, "at": None, "count": 0}
    return {"last": last, "at": figure_change_at(last).isoformat(), "count": count}


def _mark_holds(mark: dict) -> bool:
    """Whether the change log still begins as it did when ``mark`` was taken (no restore, no
    rollback, no late commit below it)."""
    at = figure_change_at(mark["last"])
    return (at is not None and at.isoformat() == mark["at"]
            and ApprovedFigureChange.objects.filter(pk__lte=mark["last"]).count() == mark["count"])


def _mirrored() -> pd.DataFrame:
    """Every store row, compact with unit ids (:func:`_compact_ids`), through the mirror: the reports
    changed since the mirror's mark are read again and replace theirs."""
    path = mirror_path()
    frame = None
    if path is not None:
        frame, current = _sync(path)
        if frame is None and current:  # the file is current: its rows, unless they cannot be read
            frame = _mirror_read(path)
    return frame if frame is not None else _compact_ids(ApprovedFigure.objects.order_by())


def mirror_current() -> Path | None:
    """The mirror's file, brought up to the change log first; None where this database has none
    (in memory, nothing approved yet, or the file could not be written)."""
    path = mirror_path()
    return path if path is not None and _sync(path)[1] else None


def _sync(path: Path) -> tuple[pd.DataFrame | None, bool]:
    """Bring the mirror at ``path`` up to the change log: replay the reports changed since its mark,
    or read the store whole when it has no (valid) mark.  Returns (the rows when it had them in
    hand, whether the file now holds the log as it was read); only the footer is read when the file
    is current, nothing when nothing was ever approved."""
    mark = _change_mark()  # before any row is read: the rows read after hold at least this
    if not mark["last"]:  # nothing approved yet (or a fresh database): nothing to mirror
        return None, False
    held = _mirror_mark(path)
    if held is not None and _mark_holds(held):
        if held["last"] == mark["last"]:
            return None, True
        changed = set(ApprovedFigureChange.objects.filter(pk__gt=held["last"])
                      .values_list("org_unit_id", "period", "form_code"))
        kept = _mirror_read(path) if len(changed) <= MIRROR_REPLAY_MAX else None
        if kept is not None:
            frame = _replay(kept, changed)
            return frame, _mirror_write(path, frame, mark)
    frame = _compact_ids(ApprovedFigure.objects.order_by())
    return frame, _mirror_write(path, frame, mark)


def figures_view(con, name: str) -> bool:
    """Create the DuckDB view ``name`` of every store row (FRAME_COLUMNS, unit codes) on ``con``,
    straight over the mirror's file — no frame in this process; False (and no view) where there
    is no mirror.  The units' codes are joined by DuckDB, which drops the rows of a unit that does
    not exist, as the read from the store does."""
    path = mirror_current()
    if path is None:
        return False
    units = ApprovedFigure._meta.get_field("org_unit").related_model
    codes = pd.DataFrame(list(units._default_manager.values_list("pk", "code")), columns=["id", "code"])
    codes["id"] = codes["id"].astype(str)  # the mirror keeps the ids as text (see _mirror_write)
    # a temporary table, not the registered frame: dropped with the caller's other temporary objects
    con.register(f"{name}_codes", codes)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name}_units AS SELECT * FROM {name}_codes")  # noqa: S608 - our names
    con.unregister(f"{name}_codes")
    quoted = str(path).replace("'", "''")
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW {name} AS
            SELECT CAST(u.code AS VARCHAR) AS org_unit, CAST(m.period AS VARCHAR) AS period,
                   CAST(m.form_code AS VARCHAR) AS form_code, CAST(m.field AS VARCHAR) AS field, m.value,
                   CAST(m.value_text AS VARCHAR) AS value_text, m.version
            FROM read_parquet('{quoted}') m JOIN {name}_units u ON u.id = m.org_unit"""  # noqa: S608 - our names
    )
    return True


def _replay(frame: pd.DataFrame, changed: set[tuple[int, str, str]]) -> pd.DataFrame:
    """``frame`` (the mirror) with the rows of the ``changed`` reports (unit id, period, form) as the
    store holds them now."""
    units, periods = sorted({u for u, _, _ in changed}), sorted({p for _, p, _ in changed})

    def of_changed(rows: pd.DataFrame) -> np.ndarray:
        near = (rows["org_unit"].isin(units) & rows["period"].isin(periods)).to_numpy()
        hit = np.zeros(len(rows), dtype=bool)
        sub = rows.loc[near, ["org_unit", "period", "form_code"]]
        hit[np.flatnonzero(near)] = [key in changed for key in zip(sub["org_unit"].astype("int64"),
                                                                   sub["period"].astype(str),
                                                                   sub["form_code"].astype(str), strict=True)]
        return hit

    fresh = _compact_ids(ApprovedFigure.objects.order_by().filter(org_unit_id__in=units, period__in=periods))
    parts = [frame.loc[~of_changed(frame)], fresh.loc[of_changed(fresh)]]
    return _concat_categorical([p.reset_index(drop=True) for p in parts])


def _unreadable() -> tuple[type[BaseException], ...]:
    """What reading a mirror that is damaged, foreign or of another shape raises."""
    import pyarrow as pa

    return (OSError, KeyError, ValueError, TypeError, pa.ArrowException)


def _mirror_read(path: Path) -> pd.DataFrame | None:
    """The mirror's rows, or None when there is none or it cannot be read."""
    import pyarrow.parquet as pq  # here, not at the top: only a full read needs it

    try:
        frame = pq.read_table(path, read_dictionary=["value_text"]).to_pandas()[FRAME_COLUMNS]
        # the texts as objects, None where there is none (:func:`_typed`), by one take from the few
        # distinct texts (converting 4.5 M text cells one by one cost 0.2-0.5 s)
        if isinstance(frame["value_text"].dtype, pd.CategoricalDtype):
            text = frame["value_text"].cat  # code -1 (no text) takes the None appended last
            texts = np.asarray([*text.categories, None], dtype=object)
            frame["value_text"] = pd.Series(texts[text.codes], index=frame.index, dtype=object)  # not re-inferred
        else:  # no text at all: a column of nulls
            frame = _typed(frame)
        if not all(isinstance(frame[c].dtype, pd.CategoricalDtype) for c in CODE_COLUMNS):
            raise TypeError("code columns not dictionary-encoded")
    except FileNotFoundError:
        return None
    except _unreadable() as exc:
        log.warning("figures mirror %s unreadable (%s): the store is read whole", path, exc)
        return None
    ids = frame["org_unit"].cat.categories
    return frame.assign(org_unit=frame["org_unit"].cat.rename_categories(list(ids.astype("int64"))))


def _mirror_mark(path: Path) -> dict | None:
    """The mark in the mirror's footer (the file's rows unread), or None."""
    import pyarrow.parquet as pq

    try:
        return json.loads(pq.read_schema(path).metadata[_MARK])
    except FileNotFoundError:
        return None
    except _unreadable() as exc:
        log.warning("figures mirror %s unreadable (%s): the store is read whole", path, exc)
        return None


def _mirror_write(path: Path, frame: pd.DataFrame, mark: dict) -> bool:
    """Write the mirror atomically (a new file renamed over the old); whether it was written (a
    failure only costs the next process a full read)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    tmp = None
    try:
        # the unit ids as text: Parquet keeps only text columns dictionary-encoded, and a
        # categorical read back is what the recompute takes (no re-encoding of 4.5 M ids)
        ids = frame["org_unit"].cat.categories
        frame = frame.assign(org_unit=frame["org_unit"].cat.rename_categories(list(ids.astype(str))))
        table = pa.Table.from_pandas(frame, preserve_index=False)
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), _MARK: json.dumps(mark)})
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name, suffix=".tmp", delete=False) as f:
            tmp = Path(f.name)
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    except (OSError, pa.ArrowException) as exc:
        log.warning("figures mirror %s not written (%s)", path, exc)
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        return False
    return True


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
