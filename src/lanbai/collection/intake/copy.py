"""Many-row database access for imports of 100,000-row files (PostgreSQL COPY, key arrays, id reservation).

PostgreSQL gets one statement per step: rows for many keys with ``column = ANY(array)`` (the keys sent
as ONE array literal, so the client does not quote 100,000 parameters), ids drawn from the sequence
in one query, and inserts as ``COPY … FROM STDIN`` text blocks the caller formats with string
templates (psycopg's per-row ``write_row`` costs ~6 µs a row, a template ~1 µs).  Other databases
(SQLite, the embedded default) get chunked Django queries and ``bulk_create``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from django.db import connection, connections, models

from lanbai.common.bulk import insert_plain

_CHUNK = 5000  # SQLite's bound on host parameters is 32,766; stay well below


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


_PLAIN = re.compile(r"[0-9A-Za-z_.-]*")  # array elements that need no escaping inside double quotes


def array_literal(keys: Iterable[Any]) -> str:
    """A PostgreSQL array literal of ints or strings (each string double-quoted, ``"`` and ``\\`` escaped)."""
    keys = list(keys)
    kinds = set(map(type, keys))
    if kinds <= {int}:
        return "{" + ",".join(map(str, keys)) + "}"
    if kinds <= {str} and _PLAIN.fullmatch("".join(keys)):  # e.g. credit codes: one regex over all
        return '{"' + '","'.join(keys) + '"}' if keys else "{}"
    parts = []
    for k in keys:
        if isinstance(k, int):
            parts.append(str(k))
        else:
            parts.append('"' + str(k).replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "{" + ",".join(parts) + "}"


def rows_for_keys(
    qs, column: str, keys: list, fields: tuple[str, ...], *, sql_type: str = "bigint"
) -> list[tuple]:
    """``qs.filter(<column>__in=keys).values_list(*fields)`` for any number of keys.

    PostgreSQL: one query, ``column = ANY(%s::sql_type[])`` with the keys as one array literal (the
    cast lets the planner use the index); elsewhere chunks of 5,000 keys.
    """
    if not keys:
        return []
    if is_postgresql():
        where = f'"{qs.model._meta.db_table}"."{column}" = ANY(%s::{sql_type}[])'
        return list(qs.extra(where=[where], params=[array_literal(keys)]).values_list(*fields))  # noqa: S610
    out: list[tuple] = []
    for k in range(0, len(keys), _CHUNK):
        out.extend(qs.filter(**{f"{column}__in": keys[k : k + _CHUNK]}).values_list(*fields))
    return out


@lru_cache(maxsize=64)
def _sequence(alias: str, table: str) -> str:
    """The sequence behind ``table.id``, looked up once per process (inside a query PostgreSQL
    would evaluate ``pg_get_serial_sequence`` for every row: 5 µs a row)."""
    with connections[alias].cursor() as cur:  # PostgreSQL names an identity's sequence <table>_id_seq;
        # pg_get_serial_sequence (a pg_depend scan, 20 ms on a cold backend) only when it did not
        cur.execute(
            "SELECT coalesce(to_regclass(%s)::text, pg_get_serial_sequence(%s, 'id'))",
            [f"{table}_id_seq", table],
        )
        return cur.fetchone()[0]


def reserve_ids(*wanted: tuple[Any, int]) -> list[Sequence[int]]:
    """Fresh primary keys from the models' sequences (PostgreSQL only): for each ``(model, n)``, n
    of them, all in one round trip.

    Usually each model's n values are consecutive (no other session drew from its sequence
    meanwhile): then only their bounds travel and a ``range`` comes back.  Otherwise that model's
    values are fetched as one array (sequences may have gaps; the values drawn first are unused).
    """
    todo = [(model, n) for model, n in wanted if n > 0]
    if not todo:
        return [[] for _ in wanted]
    seqs = [_sequence(connection.alias, model._meta.db_table) for model, _ in todo]
    draw = (
        "(SELECT ARRAY[min(v), max(v)] FROM (SELECT nextval(%s::regclass) v FROM generate_series(1, %s)) t)"
    )
    with connection.cursor() as cur:
        cur.execute(
            "SELECT " + ", ".join([draw] * len(todo)),  # noqa: S608 - a fixed template
            [x for seq, (_, n) in zip(seqs, todo, strict=True) for x in (seq, n)],
        )
        bounds = cur.fetchone()
        got: list[Sequence[int]] = []
        for (low, high), seq, (_, n) in zip(bounds, seqs, todo, strict=True):
            if high - low + 1 == n:  # n distinct values within n consecutive ones: exactly those
                got.append(range(low, high + 1))
            else:
                cur.execute("SELECT array_agg(nextval(%s::regclass)) FROM generate_series(1, %s)", [seq, n])
                got.append(cur.fetchone()[0])
    drawn = iter(got)
    return [next(drawn) if n > 0 else [] for _, n in wanted]


def copy_escape(text: str) -> str:
    """A value for COPY's text format: backslash, tab, newline and carriage return escaped."""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def copy_escape_json(text: str) -> str:
    """:func:`copy_escape` of a JSON text (JSON already escapes control characters; only ``\\`` remains)."""
    return text.replace("\\", "\\\\") if "\\" in text else text


def copy_lines(model, columns: list[str], lines: Iterable[str], *, block_bytes: int = 1_000_000) -> None:
    """``COPY table (columns) FROM STDIN`` of ready lines (COPY text format, each ending in ``\\n``).

    Lines go in blocks of about a megabyte: small enough that the server inserts one block while the
    caller's generator formats the next (the socket buffer holds it), large enough that a thread
    switch per block (the GIL, when another thread formats) costs little.  Blocks of 7 MB serialised
    formatting and inserting; blocks of 1,000 short lines spent half the time in thread switches
    (both measured).
    """
    cols = ", ".join(f'"{c}"' for c in columns)
    sql = f"COPY {model._meta.db_table} ({cols}) FROM STDIN"  # noqa: S608
    buf: list[str] = []
    size = 0
    with connection.cursor() as cur, cur.cursor.copy(sql) as copy:
        for line in lines:
            buf.append(line)
            size += len(line)
            if size >= block_bytes:
                copy.write("".join(buf))
                buf.clear()
                size = 0
        if buf:
            copy.write("".join(buf))


def insert_rows(
    model, columns: list[str], rows: Iterable[tuple]
) -> None:
    """Insert rows given as tuples (JSON columns as JSON text): PostgreSQL COPY (psycopg formats each
    row), else one ``executemany``.

    For a few thousand rows; 100,000-row inserts format their lines themselves (:func:`copy_lines`).
    """
    if is_postgresql():
        cols = ", ".join(f'"{c}"' for c in columns)
        with (
            connection.cursor() as cur,
            cur.cursor.copy(f"COPY {model._meta.db_table} ({cols}) FROM STDIN") as copy,
        ):  # noqa: S608
            for row in rows:
                copy.write_row(row)
        return
    # one executemany of the values as the database stores them (JSON columns arrive as JSON text,
    # which is what is stored; dates as the backend's text) — a model instance per row for
    # bulk_create cost more than the insert (0.2 s per 1,000 report versions)
    ops = connection.ops
    adapters = [
        ops.adapt_datetimefield_value if isinstance(f, models.DateTimeField)
        else ops.adapt_datefield_value if isinstance(f, models.DateField)
        else None
        for f in (model._meta.get_field(c) for c in columns)
    ]
    if any(adapters):
        rows = (tuple(v if a is None else a(v) for a, v in zip(adapters, row, strict=True)) for row in rows)
    insert_plain(model, columns, rows)


def write_bytes(model, pk: int, column: str, data: bytes) -> None:
    """Store a large ``bytea`` value sent as a binary parameter (PostgreSQL).

    Django's client-side binding would send 17 MB of bytes as a 34 MB hex literal; a binary
    parameter (psycopg ``%b``) goes as is.
    """
    import psycopg

    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cur:  # server-side binding: parameters travel apart
        cur.execute(
            f'UPDATE {model._meta.db_table} SET "{column}" = %b WHERE id = %s',  # noqa: S608
            [data, pk],
        )
