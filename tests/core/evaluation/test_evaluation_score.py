"""The weighted evaluation score and the credit-code check, computed by hand."""

from __future__ import annotations

import pytest

from lanbai.core.evaluation import Criterion, EvaluationSchemeError, credit_code_valid, weighted_score

CRITERIA = [Criterion("data", 40, 10), Criterion("progress", 60, 5)]


def test_weighted_score_by_hand():
    # 40 × 8/10 + 60 × 3/5 = 32 + 36 = 68
    assert weighted_score(CRITERIA, {"data": 8, "progress": 3}) == 68.0


def test_score_outside_scale_names_the_criterion():
    with pytest.raises(EvaluationSchemeError) as exc:
        weighted_score(CRITERIA, {"data": 11, "progress": 3})
    assert exc.value.field == "data"


def test_missing_and_unknown_criteria_are_refused():
    with pytest.raises(EvaluationSchemeError) as exc:
        weighted_score(CRITERIA, {"data": 1})
    assert exc.value.field == "progress"
    with pytest.raises(EvaluationSchemeError) as exc:
        weighted_score(CRITERIA, {"data": 1, "progress": 1, "x": 1})
    assert exc.value.field == "x"


def test_credit_code_check_character():
    # Σ char × weight over the first 17 = 2176; 2176 mod 31 = 6; 31 − 6 = 25 → "R"
    assert credit_code_valid("91620100MA73XY123R")
    assert not credit_code_valid("91620100MA73XY123Q")
    assert not credit_code_valid("91620100MA73XY12")
    assert not credit_code_valid("91620100MA73XY123Z")  # Z is not in the code set
