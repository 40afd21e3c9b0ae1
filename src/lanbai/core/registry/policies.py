"""Policy matching (附件8): which of the 23 articles a profile qualifies for, and for how much.

Conditions and amounts are read from the plan's ``policy_articles`` (see
:mod:`lanbai.core.plan.schema.policies`); nothing about an article is written here.

For each article the result is one of

* ``qualifies`` — every condition holds (for at least one of its benefits),
* ``does_not_qualify`` — a condition fails (named), or the article is for another kind of profile,
* ``not_decidable`` — a figure is missing (named),
* ``needs_review`` — the figures hold and a condition the plan states as a judgement remains,
* ``policy_text_only`` — the article has no computable condition (it addresses the government or states
  an intention): nothing to match.

Logic: the article's conditions must all hold, and at least one of its benefits whose conditions are
about this kind of profile must hold (article 18: a national *or* provincial incubator, *or* an
incubated enterprise).  ``any_of`` groups hold if one member holds.  Four-valued: a failure
decides ``all of``, a pass decides ``any of`` (see :mod:`.verdicts`).

Amounts (万元 unless the plan says otherwise) are given for benefits whose conditions hold or are not
yet decided: a fixed amount; ``0 … cap`` for a cap or a loan cap; ``share × base`` for a share
(``share_cap``: up to value % of the profile's ``base_field``; ``share_range``: value … value_max %);
a duration in years.  A share whose base figure is missing has no amount and says which field is
missing.  Rewards whose amount the plan does not fix have none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from ..plan.schema import PolicyArticle
from ..plan.schema.policies import Benefit, Condition
from .profiles import PROFILE_MODELS, EnterpriseProfile, InstitutionProfile, PersonProfile
from .verdicts import FAIL, MISSING, PASS, REL_TOL, REVIEW, all_of, any_of, name

MatchStatus = Literal["qualifies", "does_not_qualify", "not_decidable", "needs_review", "policy_text_only"]
MATCH_ZH: dict[str, str] = {
    "qualifies": "符合",
    "does_not_qualify": "不符合",
    "not_decidable": "无法判定",
    "needs_review": "待人工审核",
    "policy_text_only": "政策条文（无可计算条件）",
}
_STATUS: dict[int, MatchStatus] = {
    PASS: "qualifies",
    REVIEW: "needs_review",
    MISSING: "not_decidable",
    FAIL: "does_not_qualify",
}

AnyProfile = EnterpriseProfile | PersonProfile | InstitutionProfile


@dataclass(frozen=True)
class ConditionResult:
    text: str
    field: str | None
    op: str | None
    value: Any
    figure: Any
    verdict: str
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class BenefitResult:
    code: str | None
    kind: str
    text: str
    verdict: str
    amount_min: float | None = None
    amount_max: float | None = None
    unit: str | None = None
    formula: str | None = None
    conditions: tuple[ConditionResult, ...] = ()
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class PolicyMatch:
    number: int
    heading: str
    status: MatchStatus
    reason: str
    conditions: tuple[ConditionResult, ...] = ()
    benefits: tuple[BenefitResult, ...] = ()
    missing: tuple[str, ...] = ()
    failing: tuple[str, ...] = ()  # the conditions (as written) that fail

    @property
    def status_zh(self) -> str:
        return MATCH_ZH[self.status]


# ------------------------------------------------------------------------------------------------
# validation of the plan data against the profile models


def check_policy_fields(articles: Sequence[PolicyArticle]) -> list[str]:
    """Every condition field and share base of the articles that no profile model has, as messages."""
    problems = []

    def known(f: str, subject: str | None) -> bool:
        models = [PROFILE_MODELS[subject]] if subject else list(PROFILE_MODELS.values())
        return any(f in m.model_fields for m in models)

    def walk(cs: Sequence[Condition], where: str) -> None:
        for j, c in enumerate(cs):
            if c.any_of:
                walk(c.any_of, f"{where}[{j}].any_of")
            elif c.field is not None and not known(c.field, c.subject):
                problems.append(
                    f"{where}[{j}].field: unknown profile field {c.field!r} ({c.subject or 'any'})"
                )

    for a in articles:
        walk(a.conditions, f"article {a.number} conditions")
        for k, b in enumerate(a.benefits):
            walk(b.conditions, f"article {a.number} benefits[{k}].conditions")
            if b.base_field and not any(b.base_field in m.model_fields for m in PROFILE_MODELS.values()):
                problems.append(
                    f"article {a.number} benefits[{k}].base_field: unknown profile field {b.base_field!r}"
                )
    return problems


# ------------------------------------------------------------------------------------------------
# conditions


def _applies(c: Condition, kind: str) -> bool:
    """A condition is about this kind of profile (groups: if any member is)."""
    if c.any_of:
        return any(_applies(x, kind) for x in c.any_of)
    return c.subject is None or c.subject == kind


def _leaf(c: Condition, profile: AnyProfile) -> tuple[int, Any, tuple[str, ...]]:
    assert c.field is not None and c.op is not None
    if c.field not in type(profile).model_fields:
        # a field of another kind of profile: the condition is not about this profile
        return FAIL, None, ()
    figure = getattr(profile, c.field)
    if c.judgement:
        if figure is False:
            return FAIL, figure, ()
        return REVIEW, figure, ()
    if figure is None:
        return MISSING, None, (c.field,)
    op, value = c.op, c.value
    if op == "is_true":
        return (PASS if figure is True else FAIL), figure, ()
    if op == "is_false":
        return (PASS if figure is False else FAIL), figure, ()
    if op in ("in", "not_in"):
        if value is not None and not isinstance(value, list | str):
            raise ValueError(f"condition {c.text!r}: operator {op!r} needs a list, got {value!r}")
        inside = figure in (value or [])
        return (PASS if inside == (op == "in") else FAIL), figure, ()
    if c.unit == "date":
        f = figure if isinstance(figure, dt.date) else dt.date.fromisoformat(str(figure))
        v = dt.date.fromisoformat(str(value))
        ok = {"==": f == v, "!=": f != v, ">=": f >= v, ">": f > v, "<=": f <= v, "<": f < v}[op]
        return (PASS if ok else FAIL), f.isoformat(), ()
    if isinstance(value, int | float) and not isinstance(value, bool) and isinstance(figure, int | float):
        fv, vv = float(figure), float(value)
        tol = REL_TOL * max(abs(fv), abs(vv))
        ok = {
            "==": abs(fv - vv) <= tol,
            "!=": abs(fv - vv) > tol,
            ">=": fv >= vv - tol,
            ">": fv > vv + tol,
            "<=": fv <= vv + tol,
            "<": fv < vv - tol,
        }[op]
        return (PASS if ok else FAIL), figure, ()
    if op in ("==", "!="):
        return (PASS if (figure == value) == (op == "==") else FAIL), figure, ()
    raise ValueError(f"condition {c.text!r}: operator {op!r} cannot compare {figure!r} with {value!r}")


def _evaluate(c: Condition, profile: AnyProfile) -> tuple[int, list[ConditionResult]]:
    if c.any_of:
        parts = [_evaluate(x, profile) for x in c.any_of]
        code = int(any_of(*(np.array([p[0]]) for p in parts))[0])
        missing = tuple(m for _, rs in parts for r in rs for m in r.missing)
        own = ConditionResult(
            c.text, None, "any_of", None, None, name(code), missing if code == MISSING else ()
        )
        return code, [own] + [r for _, rs in parts for r in rs]
    code, figure, missing = _leaf(c, profile)
    return code, [ConditionResult(c.text, c.field, c.op, c.value, figure, name(code), missing)]


def _all(
    conditions: Sequence[Condition], profile: AnyProfile
) -> tuple[int, list[ConditionResult], list[int]]:
    """Codes of a list that must all hold; the results; the index of each top-level condition's result."""
    codes: list[int] = [PASS]
    results: list[ConditionResult] = []
    heads: list[int] = []
    for c in conditions:
        code, rs = _evaluate(c, profile)
        codes.append(code)
        heads.append(len(results))
        results.extend(rs)
    return int(all_of(*(np.array([x]) for x in codes))[0]), results, heads


# ------------------------------------------------------------------------------------------------
# amounts


def _amount(
    b: Benefit, profile: AnyProfile
) -> tuple[float | None, float | None, str | None, str | None, tuple[str, ...]]:
    """(min, max, unit, formula, missing) of a benefit for a profile."""
    if b.kind in ("amount", "fund_size"):
        return b.value, b.value, b.unit, f"{b.value:g}{b.unit or ''}", ()
    if b.kind in ("amount_cap", "loan_cap"):
        return 0.0, b.value, b.unit, f"≤ {b.value:g}{b.unit or ''}", ()
    if b.kind == "duration":
        return b.value, b.value, b.unit, f"{b.value:g}{b.unit or ''}", ()
    if b.kind in ("share_cap", "share_range"):
        assert b.base_field is not None and b.value is not None
        base = getattr(profile, b.base_field, None)
        unit = b.base_unit
        lo_pct = 0.0 if b.kind == "share_cap" else b.value
        hi_pct = b.value if b.kind == "share_cap" else b.value_max
        assert hi_pct is not None
        pct = f"≤ {hi_pct:g}%" if b.kind == "share_cap" else f"{lo_pct:g}–{hi_pct:g}%"
        if base is None:
            return None, None, unit, f"{pct} × {b.base_field}", (b.base_field,)
        lo, hi = lo_pct / 100.0 * float(base), hi_pct / 100.0 * float(base)
        return (
            lo,
            hi,
            unit,
            f"{pct} × {b.base_field} ({float(base):g}{unit or ''}) = {lo:g}–{hi:g}{unit or ''}",
            (),
        )
    return None, None, None, None, ()  # reward / other: no figure in the plan


# ------------------------------------------------------------------------------------------------
# matching


def _text_only(a: PolicyArticle) -> PolicyMatch:
    benefits = []
    for b in a.benefits:
        fixed = b.kind in ("amount", "fund_size") and b.value is not None
        benefits.append(
            BenefitResult(
                b.code,
                b.kind,
                b.text,
                "policy_text_only",
                b.value if fixed else None,
                b.value if fixed else None,
                b.unit if fixed else None,
                f"{b.value:g}{b.unit or ''}" if fixed and b.value is not None else None,
            )
        )
    return PolicyMatch(
        a.number,
        a.heading,
        "policy_text_only",
        "本条无可计算的申请条件，仅为政策条文 / no computable condition: policy text only",
        benefits=tuple(benefits),
    )


def match_policy(profile: AnyProfile, article: PolicyArticle) -> PolicyMatch:
    """Match one profile against one article of 附件8."""
    if not article.computable:
        return _text_only(article)
    kind = profile.kind
    if kind not in article.subjects:
        subjects = "、".join(article.subjects)
        return PolicyMatch(
            article.number,
            article.heading,
            "does_not_qualify",
            f"本条适用于 {subjects}，不适用于 {kind} / applies to {subjects}, not to a {kind}",
            failing=(f"subject: {kind} not in {list(article.subjects)}",),
        )
    a_code, a_results, a_heads = _all(article.conditions, profile)

    benefit_results = []
    b_codes = []
    for b in article.benefits:
        own = list(b.conditions)
        if own and not any(_applies(c, kind) for c in own):
            continue  # a benefit for another kind of profile (article 18)
        code, rs, _ = _all(own, profile)
        b_codes.append(code)
        lo, hi, unit, formula, amissing = _amount(b, profile)
        combined = int(all_of(np.array([a_code]), np.array([code]))[0])
        if combined == FAIL:
            lo = hi = None
            formula = None
        benefit_results.append(
            BenefitResult(
                b.code,
                b.kind,
                b.text,
                name(combined),
                lo,
                hi,
                unit,
                formula,
                tuple(rs),
                tuple(m for r in rs for m in r.missing) + tuple(amissing),
            )
        )
    b_code = int(any_of(*(np.array([x]) for x in b_codes))[0]) if b_codes else PASS
    code = int(all_of(np.array([a_code]), np.array([b_code]))[0])
    status = _STATUS[code]

    tops = [a_results[i] for i in a_heads]
    failing = [r.text for r in tops if r.verdict == "fail"]
    if b_codes and b_code == FAIL:
        failing.extend(c.text for br in benefit_results for c in br.conditions if c.verdict == "fail")
    missing = [m for r in tops for m in r.missing]
    if a_code != FAIL and b_code == MISSING:
        missing.extend(m for br in benefit_results for c in br.conditions for m in c.missing)
    missing = list(dict.fromkeys(missing))
    if status == "does_not_qualify":
        reason = "不符合：" + "；".join(failing) + " / fails: " + "; ".join(failing)
    elif status == "not_decidable":
        reason = f"缺少 {', '.join(missing)} / missing {', '.join(missing)}"
    elif status == "needs_review":
        reason = "数据条件符合，需人工审核判断性条件 / figures hold; a judgement needs review"
    else:
        reason = "符合全部条件 / every condition holds"
    return PolicyMatch(
        article.number,
        article.heading,
        status,
        reason,
        conditions=tuple(a_results),
        benefits=tuple(benefit_results),
        missing=tuple(missing) if status == "not_decidable" else (),
        failing=tuple(failing) if status == "does_not_qualify" else (),
    )


def match_policies(profile: AnyProfile, articles: Sequence[PolicyArticle]) -> list[PolicyMatch]:
    """Match a profile against every article (the plan's ``policy_articles``), in article order."""
    if not isinstance(profile, EnterpriseProfile | PersonProfile | InstitutionProfile):
        raise TypeError(
            f"profile must be an EnterpriseProfile, PersonProfile or InstitutionProfile, got {type(profile).__name__}"
        )
    if isinstance(articles, str | bytes) or not isinstance(articles, Sequence):
        raise TypeError("articles must be a sequence of PolicyArticle (the plan's policy_articles)")
    for i, a in enumerate(articles):
        if not isinstance(a, PolicyArticle):
            raise TypeError(f"articles[{i}] must be a PolicyArticle, got {type(a).__name__}")
    return [match_policy(profile, a) for a in sorted(articles, key=lambda a: a.number)]
