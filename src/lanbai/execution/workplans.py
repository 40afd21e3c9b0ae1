"""The rolling annual work plans (年度工作计划) and the measure owners, read from the plan directory.

``work_plans/owners.yaml`` names the lead and co-responsible units of each programme (and per-measure
exceptions); ``work_plans/<year>.yaml`` lists what each unit commits to for the year.  Parsed with
pydantic so a bad file names the entry at fault.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from django.conf import settings
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lanbai.common.exceptions import ValidationFailed
from lanbai.core.plan import default_plan_dir


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Owners(_Strict):
    lead: str
    co: list[str] = Field(default_factory=list)


class OwnersFile(_Strict):
    zones: list[str] = Field(default_factory=list)
    programmes: dict[str, Owners]
    measures: dict[str, Owners] = Field(default_factory=dict)


class Target(_Strict):
    value: float
    unit: str
    indicator: str | None = None


class Commitment(_Strict):
    measure: str
    unit: str
    milestone: str = Field(min_length=1)
    target: Target | None = None
    simulated: bool = False


class WorkPlan(_Strict):
    year: int
    commitments: list[Commitment]


def plan_dir(directory: str | Path | None = None) -> Path:
    if directory:
        return Path(directory)
    return Path(getattr(settings, "LANBAI_PLAN_DIR", "") or default_plan_dir())


def _read(path: Path, model):
    try:
        return model.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ValidationFailed(f"{path.name}: {exc}", field="work_plans") from exc


def read_owners(directory: Path) -> OwnersFile:
    return _read(directory / "work_plans" / "owners.yaml", OwnersFile)


def read_work_plans(directory: Path) -> list[WorkPlan]:
    return [_read(p, WorkPlan) for p in sorted((directory / "work_plans").glob("[0-9][0-9][0-9][0-9].yaml"))]
