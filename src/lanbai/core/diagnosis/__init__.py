"""Diagnosis of lagging indicators and of reported figures (pure core, vectorised).

* :func:`sum_gap_contributions` / :func:`ratio_gap_contributions`: each member zone's contribution
  to the gap between an aggregate unit's actual and expected value;
* :func:`ratio_change_inputs`: each input's (numerator vs denominator) contribution to the change of
  a ratio (LMDI, log-change decomposition);
* :func:`robust_z_outliers` and :func:`history_range_outliers`: outliers in reported figures
  (Iglewicz & Hoaglin modified z-scores across reporters; DHIS2-style min–max ranges from a unit's
  own history).
"""

from .contributions import (
    DiagnosisError,
    ratio_change_inputs,
    ratio_gap_contributions,
    sum_gap_contributions,
)
from .outliers import MAD_Z, history_range_outliers, robust_z_outliers

__all__ = [
    "MAD_Z",
    "DiagnosisError",
    "history_range_outliers",
    "ratio_change_inputs",
    "ratio_gap_contributions",
    "robust_z_outliers",
    "sum_gap_contributions",
]
