"""Storing an index computation so the annual report can cite it."""

from __future__ import annotations

from django.db import transaction

from lanbai.access.policy import Action, require
from lanbai.common.audit import audit

from .models import IndexRun


@transaction.atomic
def index_run_save(*, result: dict, user=None) -> IndexRun:
    """Store ``result`` (from :func:`lanbai.indices.selectors.index_results`) as an :class:`IndexRun`.

    The annual report cites it, so storing one is 省创新办's (``Action.MANAGE_RELEASES``; the command line
    acts as the operator); one audit event ``index.run_save``.
    """
    require(user, Action.MANAGE_RELEASES, message="只有省创新办可以保存指数计算 / only 省创新办 stores index runs")
    run = IndexRun.objects.create(
        framework_code=result["framework"],
        framework_hash=result["framework_hash"],
        plan_hash=result.get("plan_hash", ""),
        year=result["year"],
        runs=result.get("runs", 0),
        seed=result.get("seed", 0),
        computed_by=user if user is not None and getattr(user, "is_authenticated", False) else None,
        results=result,
    )
    audit(user, "index.run_save", run, field="year", new=run.year)
    return run
