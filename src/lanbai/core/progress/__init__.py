"""Progress against targets: expected paths, Eurostat and UN ESCAP methods, early warning.

Pure computational core (NumPy/pandas only); formulas and sources in docs/monitoring.md.
"""

from .annualise import annualise
from .assess import (
    DEFAULT_SEVERE,
    DEFAULT_WARN,
    METHODS,
    OUTPUT_COLUMNS,
    REQUIRED_COLUMNS,
    Assessment,
    ProgressInputError,
    assess,
    assess_one,
)
from .methods import (
    cagr,
    escap_anticipated,
    escap_category,
    eurostat_category,
    eurostat_rates,
    eurostat_trend_category,
)
from .path import expected_path, lookup_annual_target
from .targets import annual_target_of, applicable_targets

__all__ = [
    "DEFAULT_SEVERE",
    "DEFAULT_WARN",
    "METHODS",
    "OUTPUT_COLUMNS",
    "REQUIRED_COLUMNS",
    "Assessment",
    "ProgressInputError",
    "annual_target_of",
    "annualise",
    "applicable_targets",
    "assess",
    "assess_one",
    "cagr",
    "escap_anticipated",
    "escap_category",
    "eurostat_category",
    "eurostat_rates",
    "eurostat_trend_category",
    "expected_path",
    "lookup_annual_target",
]
