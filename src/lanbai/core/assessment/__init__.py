"""The annual assessment (目标责任制考核, plan 七（二）) of the two cities and the four zone committees.

:mod:`.scheme` validates the scoring scheme (data, ``plans/<plan>/assessment/scheme.yaml``);
:mod:`.score` scores the units from frames of evidence rows (pandas, no Django).
"""

from .scheme import Band, Component, Scheme, SchemeError, load_scheme, parse_scheme, scheme_hash
from .score import AssessmentResult, score_units

__all__ = [
    "AssessmentResult",
    "Band",
    "Component",
    "Scheme",
    "SchemeError",
    "load_scheme",
    "parse_scheme",
    "scheme_hash",
    "score_units",
]
