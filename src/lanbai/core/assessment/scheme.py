"""The assessment scheme as data: components with weight and rule, grade bands, the city rule.

A component scores the evidence rows of one source (``indicators``, ``measures``, ``reports``): each
row gets the points its ``field`` value maps to in ``points`` (values in ``exclude`` do not count, an
unmapped value gets ``default``), and the component's score is ``weight × mean(points)``.  A unit with
no counted row for a component is scored by ``empty``: ``exclude`` (the component drops out and the
total is rescaled to 100 over the remaining weights), ``zero`` or ``full``.

Errors name the file and the field (:class:`SchemeError`).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

SOURCES = ("indicators", "measures", "reports")
GRADES = ("优秀", "良好", "合格", "不合格")


class SchemeError(Exception):
    """The scheme file is invalid: ``file`` and ``field`` say where."""

    def __init__(self, file: str, field: str, message: str) -> None:
        self.file, self.field, self.message = file, field, message
        super().__init__(f"{file}: {field}: {message}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Component(_Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)
    name_en: str = ""
    source: Literal["indicators", "measures", "reports"]
    weight: float = Field(gt=0)
    field: str = Field(min_length=1)  # the evidence column whose value is scored
    points: dict[str, float]  # value -> points in [0, 1]
    default: float = Field(default=0.0, ge=0, le=1)
    exclude: list[str] = Field(default_factory=list)  # values that do not count
    filter: dict[str, list[str]] = Field(default_factory=dict)  # only rows whose column is one of the values
    empty: Literal["exclude", "zero", "full"] = "exclude"
    rule: str = Field(min_length=1)  # the rule in words (Chinese first), shown beside the score
    basis: str = ""  # where the plan asks for it

    @model_validator(mode="after")
    def _points_in_range(self) -> Component:
        bad = {k: v for k, v in self.points.items() if not 0 <= v <= 1}
        if bad:
            raise ValueError(f"points must lie in [0, 1]: {bad}")
        overlap = set(self.points) & set(self.exclude)
        if overlap:
            raise ValueError(f"values both scored and excluded: {sorted(overlap)}")
        return self


class Band(_Strict):
    grade: Literal["优秀", "良好", "合格", "不合格"]
    min: float = Field(ge=0, le=100)  # the total is at least this


class CityRule(_Strict):
    zones: float = Field(ge=0, le=1)  # share of the mean of its zones' totals
    own: float = Field(ge=0, le=1)  # share of the city 创新办's own total

    @model_validator(mode="after")
    def _sum_one(self) -> CityRule:
        if abs(self.zones + self.own - 1) > 1e-9:
            raise ValueError(f"zones + own must be 1, got {self.zones} + {self.own}")
        return self


class Scheme(_Strict):
    version: int = Field(ge=1)
    name: str = Field(min_length=1)
    source: str = Field(min_length=1)  # the plan section it implements
    components: list[Component] = Field(min_length=1)
    bands: list[Band] = Field(min_length=1)
    city: CityRule
    note: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Scheme:
        codes = [c.code for c in self.components]
        dup = sorted({c for c in codes if codes.count(c) > 1})
        if dup:
            raise ValueError(f"components: duplicate codes {dup}")
        total = sum(c.weight for c in self.components)
        if abs(total - 100) > 1e-9:
            raise ValueError(f"components: weights must add up to 100, got {total:g}")
        mins = [b.min for b in self.bands]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise ValueError(f"bands: minimums must strictly decrease, got {mins}")
        if mins[-1] != 0:
            raise ValueError("bands: the last band must start at 0 (every total gets a grade)")
        grades = [b.grade for b in self.bands]
        if len(set(grades)) != len(grades):
            raise ValueError(f"bands: duplicate grades {grades}")
        return self

    def grade(self, total: float) -> str:
        """The grade of ``total`` (the first band whose minimum it reaches)."""
        return next(b.grade for b in self.bands if total >= b.min - 1e-9)

    def document(self) -> dict[str, Any]:
        """The scheme as plain JSON data (stored with each run)."""
        return self.model_dump(mode="json")


def scheme_hash(scheme: Scheme) -> str:
    """SHA-256 of the scheme's canonical JSON: two files with the same content have the same hash."""
    text = json.dumps(scheme.document(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def error_location(loc: tuple[int | str, ...], data: Any) -> str:
    """A pydantic error location as ``components[2].weight``, naming the component by its code."""
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            code = node[part].get("code") if isinstance(node, list) and part < len(node) and isinstance(
                node[part], dict) else None
            out += f"[{part}]" + (f"({code})" if code else "")
        else:
            out += ("." if out else "") + str(part)
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
    return out or "(top level)"


def parse_scheme(data: Any, *, file: str = "scheme.yaml") -> Scheme:
    """Validate ``data`` (the parsed YAML); :class:`SchemeError` naming ``file`` and the field."""
    if not isinstance(data, dict):
        raise SchemeError(file, "(top level)", "expected a mapping")
    try:
        return Scheme.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        msg = str(first["msg"]).removeprefix("Value error, ")
        return _raise(file, error_location(tuple(first["loc"]), data), msg)


def _raise(file: str, field: str, message: str) -> Scheme:
    raise SchemeError(file, field, message)


def load_scheme(path: str | Path) -> Scheme:
    """Read and validate the scheme file ``path``."""
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SchemeError(p.name, "(file)", f"cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise SchemeError(p.name, "(file)", f"not valid YAML: {exc}") from exc
    return parse_scheme(data, file=p.name)
