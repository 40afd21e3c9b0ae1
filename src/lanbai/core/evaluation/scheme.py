"""The evaluation scheme as data (``plans/<plan>/evaluation/scheme.yaml``): criteria with weight and scale.

Errors name the file and the key (:class:`EvaluationSchemeFileError`), e.g. ``criteria[2](innovation).weight``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from lanbai.core.assessment.scheme import error_location  # one way to name a pydantic error location

from .score import Criterion, EvaluationSchemeError

PARTS = {"units": "criteria", "measures": "measure_criteria"}  # what is evaluated -> the scheme's key
PART_NAMES = {"units": "园区", "measures": "举措"}


class EvaluationSchemeFileError(Exception):
    """The scheme file is invalid: ``file`` and ``field`` say where."""

    def __init__(self, file: str, field: str, message: str) -> None:
        self.file, self.field, self.message = file, field, message
        super().__init__(f"{file}: {field}: {message}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SchemeCriterion(_Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)
    weight: float = Field(gt=0)
    scale: float = Field(gt=0)  # scores run 0..scale
    guidance: str = Field(min_length=1)


class EvaluationScheme(_Strict):
    version: int = Field(ge=1)
    name: str = Field(min_length=1)
    criteria: list[SchemeCriterion] = Field(min_length=1)  # a park / zone
    measure_criteria: list[SchemeCriterion] = Field(default_factory=list)  # a plan measure (from v2)
    note: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> EvaluationScheme:
        for part in PARTS.values():
            rows: list[SchemeCriterion] = getattr(self, part)
            if not rows:
                continue
            codes = [c.code for c in rows]
            dup = sorted({c for c in codes if codes.count(c) > 1})
            if dup:
                raise ValueError(f"{part}: duplicate codes {dup}")
            total = sum(c.weight for c in rows)
            if abs(total - 100) > 1e-9:
                raise ValueError(f"{part}: weights must add up to 100, got {total:g}")
        return self

    def core_criteria(self, part: str = "units") -> list[Criterion]:
        """The criteria of one part of the scheme: ``units`` (parks / zones) or ``measures``."""
        rows: list[SchemeCriterion] = getattr(self, PARTS[part])
        if not rows:
            raise EvaluationSchemeError(
                f"评估指标体系 v{self.version} 没有{PART_NAMES[part]}的评估指标 / the scheme has no {part} part",
                field=PARTS[part],
            )
        return [Criterion(key=c.code, weight=c.weight, scale_max=c.scale) for c in rows]

    def document(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def scheme_criteria(document: dict[str, Any], part: str = "units") -> list[Criterion]:
    """The core criteria of one part (``units`` / ``measures``) of a stored scheme document."""
    return EvaluationScheme.model_validate(document).core_criteria(part)


def scheme_hash(scheme: EvaluationScheme) -> str:
    """SHA-256 of the canonical JSON: equal content, equal hash."""
    text = json.dumps(scheme.document(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_scheme(data: Any, *, file: str = "scheme.yaml") -> EvaluationScheme:
    """Validate ``data`` (parsed YAML); :class:`EvaluationSchemeFileError` naming the file and the key."""
    if not isinstance(data, dict):
        raise EvaluationSchemeFileError(file, "(top level)", "expected a mapping")
    try:
        return EvaluationScheme.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        msg = str(first["msg"]).removeprefix("Value error, ")
        raise EvaluationSchemeFileError(file, error_location(tuple(first["loc"]), data), msg) from None


def load_scheme(path: str | Path) -> EvaluationScheme:
    """Read and validate the scheme file ``path``."""
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EvaluationSchemeFileError(p.name, "(file)", f"cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise EvaluationSchemeFileError(p.name, "(file)", f"not valid YAML: {exc}") from exc
    return parse_scheme(data, file=p.name)
