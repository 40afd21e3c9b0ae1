"""Survey indicators: derived variables of one enterprise's answers and the stratified estimates (pure).

Derived per respondent (Oslo Manual 2018): ``innovative`` (product or business-process innovation, 0/1),
``product_innovator``, ``process_innovator``, ``expenditure`` (in-house R&D + external R&D + other innovation
activities, 万元) and ``obstacle_<id>_high`` (the obstacle rated 4 高, 0/1).  The published table holds the
shares of innovative enterprises, the expenditure total and the shares rating each obstacle high, each with its
standard error and 95 % confidence interval from the stratified design with non-response re-weighting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from .estimation import Estimate, estimate
from .questionnaire import Questionnaire, is_innovative

EXPENDITURE_ITEMS = ("rd_inhouse", "rd_external", "other_innovation")


def derived_variables(qn: Questionnaire, answers: Mapping[str, Any]) -> dict[str, float]:
    """The analysis variables of one respondent's cleaned answers (unanswered amounts count as 0)."""
    prod = any(answers.get(k) is True for k in ("prod_goods", "prod_services"))
    proc = any(v is True for k, v in answers.items() if k.startswith("proc_"))
    out = {
        "innovative": float(is_innovative(answers)),
        "product_innovator": float(prod),
        "process_innovator": float(proc),
        "expenditure": float(sum(float(answers.get(k) or 0) for k in EXPENDITURE_ITEMS)),
    }
    for q in qn.questions:
        if q.type == "scale":
            out[f"{q.id}_high"] = float(answers.get(q.id) == 4)
    return out


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    label: str
    unit: str
    estimate: Estimate


def indicator_table(
    qn: Questionnaire,
    sample: pd.DataFrame,
    answers: Mapping[str, Mapping[str, Any]],
    *,
    unit: str = "unit",
    lonely: Literal["error", "certainty"] = "certainty",
) -> list[IndicatorRow]:
    """Estimates for the survey's indicators; ``sample`` has ``unit``, ``stratum``, ``N_h`` (one row per
    selected enterprise), ``answers`` maps a unit to its submitted answers (non-respondents absent)."""
    rows = []
    for u in sample[unit]:
        a = answers.get(u)
        rows.append({"responded": a is not None, **(derived_variables(qn, a) if a is not None else {})})
    frame = pd.concat([sample.reset_index(drop=True), pd.DataFrame(rows)], axis=1)
    spec: list[tuple[str, str, str, Literal["total", "proportion"]]] = [
        ("innovative", "创新型企业占比", "%", "proportion"),
        ("product_innovator", "实现产品创新的企业占比", "%", "proportion"),
        ("process_innovator", "实现业务流程创新的企业占比", "%", "proportion"),
        ("expenditure", "创新经费支出合计", "万元", "total"),
    ]
    spec += [
        (f"{q.id}_high", f"认为「{q.text}」影响高的企业占比", "%", "proportion")
        for q in qn.questions
        if q.type == "scale"
    ]
    out = []
    for code, label, u, kind in spec:
        if code not in frame:
            frame[code] = float("nan")
        out.append(
            IndicatorRow(
                code, label, u, estimate(frame, code, kind=kind, lonely=lonely, empty_stratum="exclude")
            )
        )
    return out
