"""JSON-ready forms of recognition and policy results (no Django: the CLI uses them without a database)."""

from __future__ import annotations

from typing import Any

from lanbai.core.registry import RecognitionResult
from lanbai.core.registry.policies import PolicyMatch
from lanbai.core.registry.verdicts import VERDICT_ZH


def result_dict(result: RecognitionResult, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """A JSON-ready form of a recognition result (plus where its figures came from).

    A reviewer's recorded confirmation is shown with the judgement criteria (1: credit, 2: industry
    policy); a recorded *negative* confirmation makes the enterprise not eligible.
    """
    meta = meta or {}
    reviewer = meta.get("reviewer", {})
    status = result.status
    notes: list[str] = []
    if reviewer.get("credit_good") is False:
        status = "not_eligible"
        notes.append("审核确认：信用或质量安全环保问题（标准1） / reviewer: criterion 1 not met")
    if reviewer.get("policy_fit") is False:
        status = "not_eligible"
        notes.append("审核确认：不符合产业政策（标准2） / reviewer: criterion 2 not met")
    status_zh = {
        "eligible": "符合（待人工审核判断性条件）",
        "not_eligible": "不符合",
        "undecided": "无法判定",
    }[status]
    return {
        "credit_code": result.credit_code,
        "name": result.name,
        "zone": result.zone,
        "status": status,
        "status_zh": status_zh,
        "notes": notes,
        "missing": list(result.missing),
        "pending_review": list(result.pending_review),
        "figures_period": meta.get("figures_period"),
        "figures_basis": meta.get("figures_basis"),
        "sources": meta.get("sources", {}),
        "reviewer": reviewer,
        "criteria": [
            {
                "number": c.number,
                "verdict": c.verdict,
                "verdict_zh": VERDICT_ZH[c.verdict],
                "missing": list(c.missing),
                "qualitative_parts": list(c.qualitative_parts),
                "checks": [
                    {
                        "label": k.label,
                        "field": k.field,
                        "figure": k.figure,
                        "op": k.op,
                        "threshold": k.threshold,
                        "unit": k.unit,
                        "verdict": k.verdict,
                        "verdict_zh": VERDICT_ZH[k.verdict],
                        "missing": list(k.missing),
                        "message": k.message,
                    }
                    for k in c.checks
                ],
            }
            for c in result.criteria
        ],
    }


def match_dict(m: PolicyMatch) -> dict[str, Any]:
    """A JSON-ready form of one article's match."""
    return {
        "number": m.number,
        "heading": m.heading,
        "status": m.status,
        "status_zh": m.status_zh,
        "reason": m.reason,
        "missing": list(m.missing),
        "failing": list(m.failing),
        "benefits": [
            {
                "code": b.code,
                "kind": b.kind,
                "text": b.text,
                "verdict": b.verdict,
                "amount_min": b.amount_min,
                "amount_max": b.amount_max,
                "unit": b.unit,
                "formula": b.formula,
                "missing": list(b.missing),
            }
            for b in m.benefits
        ],
        "conditions": [
            {
                "text": c.text,
                "field": c.field,
                "op": c.op,
                "value": c.value,
                "figure": c.figure,
                "verdict": c.verdict,
                "missing": list(c.missing),
            }
            for c in m.conditions
        ],
    }
