"""Many-row inserts of plain values, for every app (PostgreSQL COPY; elsewhere one executemany)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

_CHUNK = 5000


def insert_plain(model, columns: list[str], rows: Iterable[tuple]) -> int:
    """Insert many rows of plain values (int, float, str, None) at once; returns how many.

    PostgreSQL: ``COPY … FROM STDIN`` (psycopg formats the rows); other databases: one
    ``executemany`` of a parameterised INSERT (no model instance per row: building 500,000
    ``ApprovedFigure`` objects for ``bulk_create`` cost more than writing them).  Only for columns
    whose Python value is what the database stores (no dates, JSON or defaults to fill in).
    """
    table, cols = model._meta.db_table, ", ".join(f'"{c}"' for c in columns)
    n = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cur, cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:  # noqa: S608
            for row in rows:
                copy.write_row(row)
                n += 1
        return n
    marks = ", ".join(["%s"] * len(columns))
    rows = list(rows)
    with connection.cursor() as cur:
        for k in range(0, len(rows), _CHUNK):
            cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows[k : k + _CHUNK])  # noqa: S608
    return len(rows)
