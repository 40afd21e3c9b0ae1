"""Survey indicators from answers against hand-computed stratified estimates (point and standard error)."""

import math
from pathlib import Path

import pandas as pd
import pytest

from lanbai.core.survey.indicators import derived_variables, indicator_table
from lanbai.core.survey.questionnaire import load_questionnaire

PLAN = Path(__file__).resolve().parents[3] / "plans" / "lanbai-2015-2020" / "survey" / "questionnaire.yaml"
QN = load_questionnaire(PLAN)

# A: N=10, 4 sampled, 3 answered; B: take-all N=2, both answered; C: N=5, 3 sampled, 2 answered.
SAMPLE = pd.DataFrame(
    {
        "unit": [f"u{i}" for i in range(1, 10)],
        "stratum": ["A"] * 4 + ["B"] * 2 + ["C"] * 3,
        "N_h": [10] * 4 + [2] * 2 + [5] * 3,
    }
)


def ans(innov: bool, rd: float, obs_cost: int = 1) -> dict:
    return {
        "prod_goods": innov,
        "prod_services": False,
        "proc_ict": False,
        "rd_inhouse": rd,
        "obs_cost": obs_cost,
    }


ANSWERS = {
    "u1": ans(True, 10, 4),
    "u2": ans(False, 0),
    "u3": ans(True, 20),
    "u5": ans(True, 100, 4),
    "u6": ans(True, 50),
    "u7": ans(False, 0),
    "u8": ans(True, 4, 4),
}


def test_derived_variables():
    d = derived_variables(
        QN, {"prod_goods": False, "proc_marketing": True, "rd_inhouse": 5.0, "other_innovation": 2.5}
    )
    assert d["innovative"] == 1.0 and d["product_innovator"] == 0.0 and d["process_innovator"] == 1.0
    assert d["expenditure"] == 7.5
    assert d["obs_cost_high"] == 0.0


def test_indicator_table_matches_hand_computation():
    rows = {r.code: r for r in indicator_table(QN, SAMPLE, ANSWERS)}
    share = rows["innovative"].estimate
    # p_A = 2/3, p_B = 1, p_C = 1/2; total 10·2/3 + 2 + 5/2 over N = 17
    assert share.value == pytest.approx((20 / 3 + 2 + 2.5) / 17)
    # V = 10²(1−3/10)(1/3)/3 + 0 + 5²(1−2/5)(1/2)/2
    assert share.se == pytest.approx(math.sqrt(100 * 0.7 / 9 + 3.75) / 17)
    assert share.respondents == 7 and share.population == 17
    spend = rows["expenditure"].estimate
    assert spend.value == pytest.approx(100 + 150 + 10)  # 10·ȳ_A + 2·ȳ_B + 5·ȳ_C
    assert spend.se == pytest.approx(math.sqrt(100 * 0.7 * 100 / 3 + 25 * 0.6 * 8 / 2))
    assert rows["expenditure"].unit == "万元"
    high = rows["obs_cost_high"].estimate  # A 1/3, B 1/2, C 1/2
    assert high.value == pytest.approx((10 / 3 + 1 + 2.5) / 17)
    assert high.ci_low < high.value < high.ci_high
