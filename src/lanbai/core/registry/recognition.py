"""Innovative-enterprise recognition (附件7 兰白试验区创新型企业培育标准) as executable rules.

The six criteria are evaluated over a batch of :class:`EnterpriseProfile` at once (one NumPy array per
figure); every threshold comes from the plan's ``recognition_criteria`` parameters, none is written
here.  Each criterion gives a verdict and the checks behind it: the figure used, the threshold, and
``pass`` / ``fail`` / ``not_decidable`` (naming the missing field) / ``needs_review``.

Reading of the text (documented policy)
---------------------------------------
* ``以上`` / ``不少于`` / ``不低于`` / ``以内`` include the number (Chinese regulatory usage, 民法典 第1259条:
  以上、以下、以内、届满 包括本数; 不满、超过、以外 不包括本数).  The text says so itself for 1000万元 and
  3000万元 (含).
* Criterion 3 passes if revenue ≥ ``min_revenue_wan`` **or** the profit-and-tax rate ≥
  ``min_profit_tax_rate_pct`` **or** the main business is one of ``alt_main_business``.  The rate is
  ``profit_tax_rate_pct`` if given, else (profit_wan + tax_wan) / revenue_wan × 100.
* Criterion 5: revenue ≥ ``revenue_threshold_wan`` (3000万元, 含) needs an R&D share ≥
  ``min_rd_share_at_or_above_pct``; revenue below it needs ≥ ``min_rd_share_below_pct``.  Revenue 0
  leaves the share undefined: not decidable.
* Criterion 4: the senior/master share is of ``rd_staff``; with ``rd_staff`` 0 it is undefined (the
  staff count already fails).
* Criterion 6: (valid patents ≥ 3 **or** invention patents + new-drug certificates ≥ 1) **and**
  software registrations + trademarks + plant varieties + origin protections ≥ 1 **and** quality
  certification.  A count known to reach the threshold passes even if another addend is missing.
* Criteria 1 and 2 (``judgement: true``) contain judgements (信用良好, 符合国家产业政策 …) that figures
  cannot decide: they are ``needs_review``, never guessed.  Their checkable parts (registered in the
  zone, independent legal person) are checked.  Wording listed as ``qualitative_parts`` in criteria
  3, 4, 6 is reported with the result, not assessed.
* Threshold comparisons use a relative tolerance of 1e-9 (exactly 1.5 % is 1.5 %).

Overall status: ``not_eligible`` if a criterion fails; else ``undecided`` if a figure is missing;
else ``eligible`` — every figure-decidable condition holds, and ``pending_review`` lists what a
reviewer still has to confirm before the enterprise is recognised.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..plan.schema import RecognitionCriterion
from .profiles import EnterpriseProfile
from .verdicts import FAIL, MISSING, PASS, REVIEW, VERDICT_ZH, Verdict, all_of, any_of, compare, name

Status = Literal["eligible", "not_eligible", "undecided"]
STATUS_ZH: dict[str, str] = {
    "eligible": "符合（待人工审核）",
    "not_eligible": "不符合",
    "undecided": "无法判定",
}

REQUIRED: dict[int, tuple[str, ...]] = {
    3: ("min_revenue_wan", "min_profit_tax_rate_pct", "alt_main_business"),
    4: ("min_rd_staff", "min_senior_or_master_share_pct"),
    5: ("revenue_threshold_wan", "min_rd_share_below_pct", "min_rd_share_at_or_above_pct"),
    6: ("min_valid_patents", "min_invention_patents", "min_other_ip"),
}


@dataclass(frozen=True)
class Check:
    """One figure of one enterprise tested against one threshold (or a part left to a reviewer)."""

    criterion: int
    label: str
    field: str | None  # the profile field (or derived figure) tested; None for a judgement
    figure: Any
    op: str | None
    threshold: Any
    unit: str | None
    verdict: Verdict
    missing: tuple[str, ...] = ()
    message: str = ""


@dataclass(frozen=True)
class CriterionResult:
    number: int
    verdict: Verdict
    checks: tuple[Check, ...]
    missing: tuple[str, ...] = ()
    qualitative_parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecognitionResult:
    """The recognition verdict of one enterprise."""

    credit_code: str | None
    name: str | None
    zone: str | None
    status: Status
    criteria: tuple[CriterionResult, ...]
    missing: tuple[str, ...] = ()
    pending_review: tuple[str, ...] = ()

    def criterion(self, number: int) -> CriterionResult:
        for c in self.criteria:
            if c.number == number:
                return c
        raise KeyError(f"no criterion {number}")

    @property
    def status_zh(self) -> str:
        return STATUS_ZH[self.status]


# ------------------------------------------------------------------------------------------------
# columns


def _num(profiles: Sequence[EnterpriseProfile], f: str) -> np.ndarray:
    return np.array([np.nan if (v := getattr(p, f)) is None else float(v) for p in profiles], dtype=float)


def _obj(profiles: Sequence[EnterpriseProfile], f: str) -> np.ndarray:
    return np.array([getattr(p, f) for p in profiles], dtype=object)


@dataclass
class _Spec:
    """One check over every profile: arrays of figures, thresholds and verdict codes."""

    label: str
    field: str | None
    op: str | None
    threshold: Any  # scalar or array
    unit: str | None
    figures: np.ndarray
    codes: np.ndarray
    needs: tuple[str, ...] = ()
    # row -> explanation of a not-decidable figure
    notes: dict[int, str] = dataclasses.field(default_factory=dict)


def _texts(value: object) -> list[str]:
    """A list-of-texts parameter (``judgement_parts``): its items as texts; a lone text is one item."""
    if not value:
        return []
    if isinstance(value, list):
        return [str(x) for x in value]
    return [str(value)]


def _is_true(profiles: Sequence[EnterpriseProfile], f: str, label: str) -> _Spec:
    vals = _obj(profiles, f)
    codes = np.array([MISSING if v is None else (PASS if v else FAIL) for v in vals], dtype=np.int8)
    return _Spec(label, f, "is_true", True, None, vals, codes, needs=(f,))


def _ge(
    values: np.ndarray, threshold: Any, f: str, label: str, unit: str | None, needs: tuple[str, ...]
) -> _Spec:
    return _Spec(label, f, ">=", threshold, unit, values, compare(values, ">=", threshold), needs=needs)


def _partial_sum_ge(
    profiles: Sequence[EnterpriseProfile],
    fields: Sequence[str],
    threshold: float,
    f: str,
    label: str,
    unit: str,
) -> _Spec:
    cols = np.vstack([_num(profiles, x) for x in fields])
    total = np.nansum(cols, axis=0)
    known = ~np.isnan(cols).any(axis=0)
    reached = compare(total, ">=", threshold) == PASS
    codes = np.where(reached, PASS, np.where(known, FAIL, MISSING)).astype(np.int8)
    figures = np.where(np.isnan(cols).all(axis=0), np.nan, total)
    return _Spec(label, f, ">=", threshold, unit, figures, codes, needs=tuple(fields))


def _review(n: int, label: str) -> _Spec:
    return _Spec(
        label, None, None, None, None, np.full(n, None, dtype=object), np.full(n, REVIEW, dtype=np.int8)
    )


# ------------------------------------------------------------------------------------------------
# the criteria


def _params(criteria: Sequence[RecognitionCriterion]) -> dict[int, RecognitionCriterion]:
    if isinstance(criteria, str | bytes) or not isinstance(criteria, Sequence):
        raise TypeError(
            "criteria must be a sequence of RecognitionCriterion (the plan's recognition_criteria)"
        )
    by_number: dict[int, RecognitionCriterion] = {}
    for i, c in enumerate(criteria):
        if not isinstance(c, RecognitionCriterion):
            raise TypeError(f"criteria[{i}] must be a RecognitionCriterion, got {type(c).__name__}")
        by_number[c.number] = c
    for n, keys in REQUIRED.items():
        if n not in by_number:
            raise ValueError(f"criteria: criterion {n} is missing (附件7 has six criteria)")
        for k in keys:
            if k not in by_number[n].parameters:
                raise ValueError(f"criteria: criterion {n} needs parameter {k!r}")
    for n in (1, 2):
        if n not in by_number:
            raise ValueError(f"criteria: criterion {n} is missing (附件7 has six criteria)")
    return by_number


def _criterion_1_2(c: RecognitionCriterion, profiles: Sequence[EnterpriseProfile]) -> list[_Spec]:
    p = c.parameters
    specs = []
    if p.get("requires_registered_in_zone"):
        specs.append(_is_true(profiles, "registered_in_zone", "兰白试验区境内注册登记"))
    if p.get("requires_independent_legal_person"):
        specs.append(_is_true(profiles, "is_independent_legal_person", "独立法人企业"))
    if c.judgement:
        parts = _texts(p.get("judgement_parts")) or [c.text]
        specs.extend(_review(len(profiles), part) for part in parts)
    return specs


def _profit_tax_rate(profiles: Sequence[EnterpriseProfile]) -> tuple[np.ndarray, dict[int, str]]:
    given = _num(profiles, "profit_tax_rate_pct")
    profit, tax, revenue = (
        _num(profiles, "profit_wan"),
        _num(profiles, "tax_wan"),
        _num(profiles, "revenue_wan"),
    )
    with np.errstate(all="ignore"):
        derived = np.where(revenue > 0, (profit + tax) / revenue * 100.0, np.nan)
    notes = {
        i: "年销售收入为0，利税率无定义 / revenue is 0: rate undefined"
        for i in np.flatnonzero(
            np.isnan(given) & (revenue == 0) & ~np.isnan(profit) & ~np.isnan(tax)
        ).tolist()
    }
    return np.where(np.isnan(given), derived, given), notes


def _criterion_3(
    p: Mapping[str, Any], profiles: Sequence[EnterpriseProfile]
) -> tuple[list[_Spec], np.ndarray]:
    revenue = _ge(
        _num(profiles, "revenue_wan"),
        float(p["min_revenue_wan"]),
        "revenue_wan",
        "年销售收入",
        "万元",
        ("revenue_wan",),
    )
    rate_values, notes = _profit_tax_rate(profiles)
    rate = _ge(
        rate_values,
        float(p["min_profit_tax_rate_pct"]),
        "profit_tax_rate_pct",
        "年销售利税率",
        "%",
        ("profit_tax_rate_pct", "profit_wan", "tax_wan", "revenue_wan"),
    )
    rate.notes = notes
    kinds = list(p["alt_main_business"])
    vals = _obj(profiles, "main_business_kind")
    codes = np.array([MISSING if v is None else (PASS if v in kinds else FAIL) for v in vals], dtype=np.int8)
    business = _Spec(
        "主业为软件开发、技术开发等的科技型企业",
        "main_business_kind",
        "in",
        kinds,
        None,
        vals,
        codes,
        ("main_business_kind",),
    )
    return [revenue, rate, business], any_of(revenue.codes, rate.codes, business.codes)


def _criterion_4(p: Mapping[str, Any], profiles: Sequence[EnterpriseProfile]) -> list[_Spec]:
    staff, senior = _num(profiles, "rd_staff"), _num(profiles, "rd_staff_senior_or_master")
    with np.errstate(all="ignore"):
        share = np.where(staff > 0, senior / staff * 100.0, np.nan)
    specs = [
        _ge(staff, float(p["min_rd_staff"]), "rd_staff", "研发人员", "人", ("rd_staff",)),
        _ge(
            share,
            float(p["min_senior_or_master_share_pct"]),
            "senior_or_master_share_pct",
            "高级职称或硕士学历以上占研发人员比例",
            "%",
            ("rd_staff_senior_or_master", "rd_staff"),
        ),
    ]
    specs[1].notes = {
        i: "研发人员为0，占比无定义 / rd_staff is 0: share undefined"
        for i in np.flatnonzero(staff == 0).tolist()
    }
    if p.get("requires_rd_institution"):
        specs.append(_is_true(profiles, "has_rd_institution", "设有研发机构"))
    return specs


def _criterion_5(p: Mapping[str, Any], profiles: Sequence[EnterpriseProfile]) -> list[_Spec]:
    revenue, rd = _num(profiles, "revenue_wan"), _num(profiles, "rd_expenditure_wan")
    at_or_above = compare(revenue, ">=", float(p["revenue_threshold_wan"])) == PASS
    threshold = np.where(
        np.isnan(revenue),
        np.nan,
        np.where(at_or_above, float(p["min_rd_share_at_or_above_pct"]), float(p["min_rd_share_below_pct"])),
    )
    with np.errstate(all="ignore"):
        share = np.where(revenue > 0, rd / revenue * 100.0, np.nan)
    spec = _ge(
        share,
        threshold,
        "rd_share_pct",
        "研究开发投入占当年销售收入比例",
        "%",
        ("rd_expenditure_wan", "revenue_wan"),
    )
    spec.notes = {
        i: "年销售收入为0，研发投入比例无定义 / revenue is 0: R&D share undefined"
        for i in np.flatnonzero(revenue == 0).tolist()
    }
    return [spec]


def _criterion_6(
    p: Mapping[str, Any], profiles: Sequence[EnterpriseProfile]
) -> tuple[list[_Spec], np.ndarray]:
    patents = _ge(
        _num(profiles, "valid_patents"),
        float(p["min_valid_patents"]),
        "valid_patents",
        "有效专利",
        "件",
        ("valid_patents",),
    )
    inv_fields = ["valid_invention_patents"]
    if p.get("new_drug_certificate_counts_as_invention", True):
        inv_fields.append("new_drug_certificates")
    inventions = _partial_sum_ge(
        profiles,
        inv_fields,
        float(p["min_invention_patents"]),
        "invention_patents",
        "有效发明专利（新药证书）",
        "件",
    )
    other = _partial_sum_ge(
        profiles,
        ["software_copyrights", "trademarks", "plant_varieties", "origin_protections"],
        float(p["min_other_ip"]),
        "other_ip",
        "软件登记、注册商标、植物新品种登记或原产地保护产品",
        "件",
    )
    specs = [patents, inventions, other]
    codes = [any_of(patents.codes, inventions.codes), other.codes]
    if p.get("requires_quality_certification"):
        quality = _is_true(profiles, "quality_certified", "通过企业质量管理体系认证")
        specs.append(quality)
        codes.append(quality.codes)
    return specs, all_of(*codes)


# ------------------------------------------------------------------------------------------------
# results


def _scalar(x: Any) -> Any:
    if isinstance(x, float | np.floating):
        return None if np.isnan(x) else float(x)
    if isinstance(x, np.integer | np.bool_):
        return x.item()
    return x


def _shown(x: Any) -> str:
    if isinstance(x, bool):
        return "是" if x else "否"
    if isinstance(x, float):
        return f"{x:g}"
    if isinstance(x, list):
        return "、".join(str(v) for v in x)
    return str(x)


def _message(s: _Spec, i: int, verdict: Verdict, missing: tuple[str, ...]) -> str:
    if verdict == "needs_review":
        return f"{s.label}：需人工审核 / needs review"
    if verdict == "not_decidable":
        if i in s.notes:
            return f"{s.label}：{s.notes[i]}"
        return f"{s.label}：缺少 {', '.join(missing)} / missing {', '.join(missing)}"
    figure = _scalar(s.figures[i])
    if s.op == "is_true":
        return f"{s.label}：{_shown(figure)}，{VERDICT_ZH[verdict]}"
    threshold = _scalar(s.threshold[i]) if isinstance(s.threshold, np.ndarray) else s.threshold
    unit = s.unit or ""
    if s.op == "in":
        return f"{s.label}：{_shown(figure)}（应为 {_shown(threshold)} 之一），{VERDICT_ZH[verdict]}"
    op = {">=": "≥"}.get(s.op or "", s.op)
    return f"{s.label}：{_shown(figure)}{unit}（要求 {op} {_shown(threshold)}{unit}），{VERDICT_ZH[verdict]}"


def _row_check(n: int, s: _Spec, i: int, profile: EnterpriseProfile) -> Check:
    verdict = name(s.codes[i])
    missing: tuple[str, ...] = ()
    if verdict == "not_decidable" and i not in s.notes:
        missing = tuple(f for f in s.needs if getattr(profile, f, None) is None)
        if s.field == "profit_tax_rate_pct":  # either the rate, or profit + tax + revenue
            missing = ("profit_tax_rate_pct",) + tuple(m for m in missing if m != "profit_tax_rate_pct")
    threshold = _scalar(s.threshold[i]) if isinstance(s.threshold, np.ndarray) else s.threshold
    return Check(
        criterion=n,
        label=s.label,
        field=s.field,
        figure=_scalar(s.figures[i]),
        op=s.op,
        threshold=threshold,
        unit=s.unit,
        verdict=verdict,
        missing=missing,
        message=_message(s, i, verdict, missing),
    )


def screen_enterprises(
    profiles: Sequence[EnterpriseProfile], criteria: Sequence[RecognitionCriterion]
) -> list[RecognitionResult]:
    """Evaluate the six recognition criteria of 附件7 for every profile (vectorised over profiles).

    Parameters
    ----------
    profiles
        the enterprises, as :class:`EnterpriseProfile` (every field optional).
    criteria
        the plan's ``recognition_criteria``: the thresholds are read from their parameters.

    Returns
    -------
    one :class:`RecognitionResult` per profile, in order.
    """
    if isinstance(profiles, EnterpriseProfile) or not isinstance(profiles, Sequence):
        raise TypeError("profiles must be a sequence of EnterpriseProfile")
    for i, prof in enumerate(profiles):
        if not isinstance(prof, EnterpriseProfile):
            raise TypeError(f"profiles[{i}] must be an EnterpriseProfile, got {type(prof).__name__}")
    by_number = _params(criteria)
    n = len(profiles)
    if n == 0:
        return []

    rules: list[tuple[RecognitionCriterion, list[_Spec], np.ndarray]] = []
    for number in sorted(by_number):
        c = by_number[number]
        p = c.parameters
        if number in (1, 2):
            specs = _criterion_1_2(c, profiles)
            codes = all_of(*(s.codes for s in specs)) if specs else np.full(n, REVIEW, dtype=np.int8)
        elif number == 3:
            specs, codes = _criterion_3(p, profiles)
        elif number == 4:
            specs = _criterion_4(p, profiles)
            codes = all_of(*(s.codes for s in specs))
        elif number == 5:
            specs = _criterion_5(p, profiles)
            codes = specs[0].codes
        elif number == 6:
            specs, codes = _criterion_6(p, profiles)
        else:
            raise ValueError(f"criteria: unknown criterion number {number} (附件7 has criteria 1-6)")
        rules.append((c, specs, codes))

    overall = all_of(*(codes for _, _, codes in rules))
    results = []
    for i, profile in enumerate(profiles):
        crits = []
        all_missing: list[str] = []
        pending: list[str] = []
        for c, specs, codes in rules:
            verdict = name(codes[i])
            checks = tuple(_row_check(c.number, s, i, profile) for s in specs)
            missing: list[str] = []
            if verdict == "not_decidable":
                for ch in checks:
                    if ch.verdict == "not_decidable":
                        missing.extend(m for m in ch.missing if m not in missing)
            pending.extend(f"{c.number}. {ch.label}" for ch in checks if ch.verdict == "needs_review")
            all_missing.extend(m for m in missing if m not in all_missing)
            crits.append(
                CriterionResult(
                    number=c.number,
                    verdict=verdict,
                    checks=checks,
                    missing=tuple(missing),
                    qualitative_parts=tuple(_texts(c.parameters.get("qualitative_parts"))),
                )
            )
        code = int(overall[i])
        status: Status = "not_eligible" if code == FAIL else "undecided" if code == MISSING else "eligible"
        results.append(
            RecognitionResult(
                credit_code=profile.credit_code,
                name=profile.name,
                zone=profile.zone,
                status=status,
                criteria=tuple(crits),
                missing=tuple(all_missing) if status == "undecided" else (),
                pending_review=tuple(pending) if status == "eligible" else (),
            )
        )
    return results


def screen_enterprise(
    profile: EnterpriseProfile, criteria: Sequence[RecognitionCriterion]
) -> RecognitionResult:
    """:func:`screen_enterprises` for one profile."""
    if not isinstance(profile, EnterpriseProfile):
        raise TypeError(f"profile must be an EnterpriseProfile, got {type(profile).__name__}")
    return screen_enterprises([profile], criteria)[0]


def recognition_table(results: Sequence[RecognitionResult]) -> pd.DataFrame:
    """One row per enterprise: status, each criterion's verdict, missing fields, pending reviews."""
    rows = []
    for r in results:
        row: dict[str, Any] = {
            "credit_code": r.credit_code,
            "name": r.name,
            "zone": r.zone,
            "status": r.status,
        }
        for c in r.criteria:
            row[f"criterion_{c.number}"] = c.verdict
        row["missing"] = ", ".join(r.missing)
        row["pending_review"] = "; ".join(r.pending_review)
        rows.append(row)
    return pd.DataFrame(rows)
