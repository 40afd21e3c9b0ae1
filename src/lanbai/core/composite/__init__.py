"""Composite-indicator engine (发展指数): OECD/JRC Handbook (2008) pipeline with COINr's methods,
Monte Carlo uncertainty and Saltelli/Jansen sensitivity analysis.  Pure core: NumPy/pandas only."""

from .aggregate import AGGREGATORS, aggregate
from .engine import (
    DEFAULT_METHOD,
    IndexDataError,
    IndexResult,
    compute,
    compute_index,
    resolve_method,
)
from .framework import (
    Framework,
    FrameworkError,
    FrameworkIssue,
    Node,
    framework_from_dict,
    framework_from_imeta,
    load_framework,
)
from .impute import IMPUTERS, impute
from .normalise import METHODS as NORMALISERS
from .normalise import DegenerateIndicator, normalise_column
from .treat import kurt, skew, treat_column, winsorise
from .weights import budget_allocation_weights, equal_weights, pca_weights

__all__ = [
    "AGGREGATORS",
    "DEFAULT_METHOD",
    "IMPUTERS",
    "NORMALISERS",
    "DegenerateIndicator",
    "Framework",
    "FrameworkError",
    "FrameworkIssue",
    "IndexDataError",
    "IndexResult",
    "Node",
    "aggregate",
    "budget_allocation_weights",
    "compute",
    "compute_index",
    "equal_weights",
    "framework_from_dict",
    "framework_from_imeta",
    "impute",
    "kurt",
    "load_framework",
    "normalise_column",
    "pca_weights",
    "resolve_method",
    "skew",
    "treat_column",
    "winsorise",
]
