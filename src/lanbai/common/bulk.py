"""Bulk work for every app: many-row inserts of plain values (PostgreSQL COPY; elsewhere one
executemany), and the cyclic GC paused while hundreds of thousands of short-lived objects are made."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable
from contextlib import ContextDecorator

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


class CyclicGcPause(ContextDecorator):
    """No cyclic garbage collection while a file is imported or a large frame read (refcounting
    still frees everything).

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


cyclic_gc_paused = CyclicGcPause()
