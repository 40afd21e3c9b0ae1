"""Sample design of the innovation survey: census above a threshold, stratified SRS below it."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class SampleDesign:
    """How the survey sample is drawn (data, e.g. from the plan's survey section).

    ``census_min_employees``: enterprises with at least this many employees are all surveyed
    (take-all stratum); below it, a stratified simple random sample without replacement with
    ``sampling_fraction`` in each stratum (zone × size band), at least ``min_per_stratum`` units
    (or the whole stratum when smaller).  ``size_bands``: lower bounds of the employee bands below
    the census threshold (e.g. ``(0, 20, 100)`` for micro / small / medium).
    """

    census_min_employees: int = 300
    sampling_fraction: float = 0.3
    min_per_stratum: int = 3
    size_bands: tuple[int, ...] = (0, 20, 100)
    seed: int = 0

    def __post_init__(self) -> None:
        if not 0 < self.sampling_fraction <= 1:
            raise ValueError(f"sampling_fraction must be in (0, 1], got {self.sampling_fraction}")
        if self.min_per_stratum < 2:
            raise ValueError("min_per_stratum must be at least 2 (a variance needs two units per stratum)")
        bands = list(self.size_bands)
        if not bands or bands[0] != 0 or bands != sorted(set(bands)) or bands[-1] >= self.census_min_employees:
            raise ValueError(
                "size_bands must start at 0, increase strictly and stay below census_min_employees, got "
                f"{self.size_bands}"
            )

    def band(self, employees: pd.Series) -> pd.Series:
        """The size band label of each enterprise: ``census`` at or above the threshold, else ``"lo-hi"``."""
        edges = [*self.size_bands, self.census_min_employees]
        labels = [f"{lo}-{hi - 1}" for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
        emp = pd.to_numeric(employees, errors="coerce").fillna(0).clip(lower=0)
        cut = pd.cut(emp, bins=[*edges, math.inf], right=False, labels=[*labels, "census"])
        return cut.astype(str)


def select_sample(frame: pd.DataFrame, *, design: SampleDesign, zone: str = "zone",
                  employees: str = "employees") -> pd.DataFrame:
    """Draw the sample from ``frame`` (one row per enterprise of the survey population).

    Returns ``frame`` with ``stratum`` (``zone|band``), ``N_h`` (population of the stratum), ``n_h``
    (its sample size), ``selected`` (bool) and ``pi`` (inclusion probability n_h / N_h, 1 in the
    census strata).  Reproducible: the same frame (in any row order) and seed give the same sample.
    """
    missing = [c for c in (zone, employees) if c not in frame.columns]
    if missing:
        raise ValueError(f"frame: missing columns {missing}")
    out = frame.copy()
    band = design.band(out[employees])
    out["stratum"] = out[zone].astype(str) + "|" + band
    out["N_h"] = out.groupby("stratum")["stratum"].transform("size").astype(int)
    census = band == "census"
    n_h = np.where(
        census,
        out["N_h"],
        np.minimum(out["N_h"], np.maximum(design.min_per_stratum, np.ceil(design.sampling_fraction * out["N_h"]))),
    ).astype(int)
    out["n_h"] = n_h
    # a random key per unit from the seed and the unit's identity (order-independent), rank within stratum
    ident = out.index.astype(str) if "unit" not in out.columns else out["unit"].astype(str)
    key = pd.util.hash_pandas_object(pd.Series(ident.to_numpy()) + f"#{design.seed}", index=False).to_numpy()
    rank = pd.Series(key, index=out.index).groupby(out["stratum"]).rank(method="first")
    out["selected"] = rank.to_numpy() <= out["n_h"].to_numpy()
    out["pi"] = out["n_h"] / out["N_h"]
    return out


_DESIGN_KEYS = ("census_min_employees", "sampling_fraction", "min_per_stratum", "size_bands", "seed")


def design_from_data(data: dict[str, object], *, year: int | None = None, source: str = "design") -> SampleDesign:
    """A :class:`SampleDesign` from its parsed YAML; unknown keys refused; ``year`` is added to the seed."""
    unknown = sorted(set(data) - set(_DESIGN_KEYS))
    if unknown:
        raise ValueError(f"{source}: unknown key(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(_DESIGN_KEYS)}")
    try:
        d = SampleDesign(
            census_min_employees=int(data.get("census_min_employees", 300)),  # type: ignore[call-overload]
            sampling_fraction=float(data.get("sampling_fraction", 0.3)),  # type: ignore[arg-type]
            min_per_stratum=int(data.get("min_per_stratum", 3)),  # type: ignore[call-overload]
            size_bands=tuple(int(b) for b in data.get("size_bands", (0, 20, 100))),  # type: ignore[attr-defined]
            seed=int(data.get("seed", 0)) + (year or 0),  # type: ignore[call-overload]
        )
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{source}: {exc}") from exc
    return d
