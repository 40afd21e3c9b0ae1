"""The performance tuning of an import: the JSON worker thread (the cyclic GC pause is
:data:`lanbai.common.bulk.cyclic_gc_paused`).

Measured on 100,000-row enterprise files (``bench/import_enterprise.py``); the other two pieces of the
design live where they act: the zone prefetch while calamine parses (:func:`.checks.zone_prefetch`,
above :data:`PREFETCH_BYTES`) and COPY with reserved ids (:mod:`.copy`, used by :mod:`.storing`).
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from lanbai.core.collection.stored import json_objects, text_column

PREFETCH_BYTES = 1_000_000  # files this large (≈ 5,000 enterprise rows) prefetch their zone's registry


class JsonRows:
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
