"""Storing an index computation so the annual report can cite it."""

from __future__ import annotations

from .models import IndexRun


def index_run_save(*, result: dict, user=None) -> IndexRun:
    """Store ``result`` (from :func:`lanbai.indices.selectors.index_results`) as an :class:`IndexRun`."""
    return IndexRun.objects.create(
        framework_code=result["framework"],
        framework_hash=result["framework_hash"],
        plan_hash=result.get("plan_hash", ""),
        year=result["year"],
        runs=result.get("runs", 0),
        seed=result.get("seed", 0),
        computed_by=user if user is not None and getattr(user, "is_authenticated", False) else None,
        results=result,
    )
