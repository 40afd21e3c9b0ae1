"""Pure core of third-party evaluation (第三方评估): credit-code check, the scheme, the weighted score."""

from .scheme import (
    EvaluationScheme,
    EvaluationSchemeFileError,
    load_scheme,
    parse_scheme,
    scheme_criteria,
    scheme_hash,
)
from .score import Criterion, EvaluationSchemeError, credit_code_valid, weighted_score

__all__ = [
    "Criterion",
    "EvaluationScheme",
    "EvaluationSchemeError",
    "EvaluationSchemeFileError",
    "credit_code_valid",
    "load_scheme",
    "parse_scheme",
    "scheme_criteria",
    "scheme_hash",
    "weighted_score",
]
