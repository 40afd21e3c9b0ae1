"""Pure core of third-party evaluation (第三方评估): credit-code check and the weighted score."""

from .score import Criterion, EvaluationSchemeError, credit_code_valid, weighted_score

__all__ = ["Criterion", "EvaluationSchemeError", "credit_code_valid", "weighted_score"]
