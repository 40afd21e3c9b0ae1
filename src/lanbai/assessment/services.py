"""Writes of the annual assessment: registering a scheme version, computing a year's scores.

Every write: one transaction, the access check first (``Action.ASSESS``: 省创新办), one audit event.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from lanbai.access.policy import Action, require
from lanbai.common.audit import audit
from lanbai.common.exceptions import ConflictError, ValidationFailed
from lanbai.core.assessment import Scheme, SchemeError, load_scheme, parse_scheme, scheme_hash, score_units
from lanbai.core.plan import default_plan_dir

from . import selectors
from .models import AssessmentRun, AssessmentScheme, AssessmentScore

SCHEME_FILE = Path("assessment") / "scheme.yaml"
FIRST_YEAR, LAST_YEAR = 2015, 2030


def scheme_path(plan_dir: str | Path | None = None) -> Path:
    from django.conf import settings

    directory = Path(plan_dir) if plan_dir else Path(getattr(settings, "LANBAI_PLAN_DIR", "") or default_plan_dir())
    return directory / SCHEME_FILE


def _read_scheme(path: Path) -> Scheme:
    try:
        return load_scheme(path)
    except SchemeError as exc:
        raise ValidationFailed(f"考核评分办法有误 / invalid scheme: {exc}", field=exc.field,
                               extra={"file": exc.file}) from exc


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


@transaction.atomic
def assessment_scheme_register(user: Any, *, plan_dir: str | Path | None = None) -> AssessmentScheme:
    """Store the plan's scheme file as a version (idempotent for an unchanged file).

    A file whose ``version`` is stored with other content is refused: a changed scheme needs a new
    version, so the years scored with the old one keep it.
    """
    require(user, Action.ASSESS, message="仅省创新办可登记考核评分办法 / province only")
    path = scheme_path(plan_dir)
    scheme = _read_scheme(path)
    digest = scheme_hash(scheme)
    stored = selectors.scheme_get(scheme.version)
    if stored is not None:
        if stored.content_hash != digest:
            raise ConflictError(
                f"{path.name}: 评分办法内容已改变但版本号仍为 {scheme.version}，请改为新版本号 / "
                f"the scheme changed: give it a new version (stored v{scheme.version} differs)",
                extra={"field": "version", "file": path.name},
            )
        return stored
    row = AssessmentScheme.objects.create(version=scheme.version, name=scheme.name, content_hash=digest,
                                          document=scheme.document(), source_file=str(path))
    audit(user, "assessment_scheme_register", row, field="version", new=scheme.version)
    return row


@transaction.atomic
def assessment_compute(
    user: Any, *, year: int, plan_dir: str | Path | None = None, rescore: bool = False,
    today: dt.date | None = None,
) -> AssessmentRun:
    """Score the two cities and four zones for ``year`` and keep the result as a new run (省创新办).

    The year keeps the scheme version it was first scored with; ``rescore=True`` scores it with the
    plan's current scheme file instead.  Nothing is written when the access check refuses.
    """
    require(user, Action.ASSESS, message="仅省创新办可进行目标责任制考核 / province only")
    if not FIRST_YEAR <= int(year) <= LAST_YEAR:
        raise ValidationFailed(f"考核年度应在 {FIRST_YEAR}–{LAST_YEAR} 之间，收到 {year} / bad year", field="year")
    year = int(year)
    previous = selectors.run_latest(year)
    if previous is not None and not rescore:
        stored = previous.scheme
    else:
        stored = assessment_scheme_register(user, plan_dir=plan_dir)
    scheme = parse_scheme(stored.document, file=f"scheme v{stored.version}")
    units = selectors.assessed_units()
    if not units:
        raise ValidationFailed("未加载规划：没有可考核的市和园区 / no plan loaded", field="year")
    frame, evidence, period = selectors.assessment_inputs(year, today=today)
    result = score_units(scheme, frame, evidence)
    run = AssessmentRun.objects.create(
        year=year, scheme=stored, computed_at=timezone.now(),
        computed_by=user if getattr(user, "is_authenticated", False) else None,
        indicator_period=period or "",
        note="" if period else "本年度尚无指标数据，目标指标分项不计 / no indicator figures for the year",
    )
    by_code = {u.code: u for u, _ in units}
    AssessmentScore.objects.bulk_create([
        AssessmentScore(
            run=run, org_unit=by_code[r["unit"]], unit_code=r["unit"], unit_name=r["name"], kind=r["kind"],
            total=_dec(r["total"]), own_total=_dec(r["own_total"]), zones_total=_dec(r["zones_total"]),
            grade=r["grade"], order=n, breakdown=r["components"],
        )
        for n, r in enumerate(result.records())
    ])
    audit(user, "assessment_compute", run, field="scores", old=previous.pk if previous else None,
          new={r["unit"]: r["total"] for r in result.scores.to_dict("records")} | {"scheme": stored.version})
    return run
