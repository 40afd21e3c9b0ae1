"""Voucher scheme rules parsed from data (one YAML/dict per scheme year), with errors naming the key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

#: 通兑: the provider redeems the voucher; 通用: the enterprise pays in full and is reimbursed.
REDEMPTION_MODELS = ("provider", "enterprise")
SIZES = ("micro", "small", "medium", "large")


class SchemeError(ValueError):
    """A scheme definition breaks a rule; the message names the source and the key."""


@dataclass(frozen=True)
class Band:
    """Coverage ratio for the slice of the service price up to ``upper`` 万元 (None = no upper bound)."""

    upper: Decimal | None
    ratio: Decimal


@dataclass(frozen=True)
class Eligibility:
    sizes: tuple[str, ...] = SIZES
    recognitions_any: tuple[str, ...] = ()
    no_bad_credit: bool = True


@dataclass(frozen=True)
class Scheme:
    year: int
    code: str
    name: str
    budget: Decimal
    bands: tuple[Band, ...]
    per_application_cap: Decimal
    per_enterprise_annual_cap: Decimal
    per_cycle_cap: Decimal | None
    use_deadline: dt.date
    redemption_deadline: dt.date
    redemption_model: str
    eligibility: Eligibility = field(default_factory=Eligibility)


@dataclass(frozen=True)
class EnterpriseProfile:
    """What eligibility needs to know about an applicant, read from the registry."""

    size: str | None
    recognitions: frozenset[str] = frozenset()
    bad_credit: bool = False


def _where(source: str, key: str) -> str:
    return f"{source}: {key}" if source else key


def _decimal(value: Any, source: str, key: str, *, positive: bool = True) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise SchemeError(f"{_where(source, key)}: a number is required, got {value!r}")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise SchemeError(f"{_where(source, key)}: not a number: {value!r}") from None
    if not number.is_finite() or (positive and number <= 0):
        raise SchemeError(f"{_where(source, key)}: must be a positive number, got {value!r}")
    return number


def _date(value: Any, source: str, key: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise SchemeError(f"{_where(source, key)}: not a date (YYYY-MM-DD): {value!r}") from None


def _require(data: Mapping[str, Any], key: str, source: str) -> Any:
    if key not in data or data[key] is None:
        raise SchemeError(f"{_where(source, key)}: required key missing")
    return data[key]


def _bands(raw: Any, source: str) -> tuple[Band, ...]:
    if not isinstance(raw, Sequence) or isinstance(raw, str) or not raw:
        raise SchemeError(f"{_where(source, 'bands')}: a non-empty list of {{upper, ratio}} is required")
    bands: list[Band] = []
    previous = Decimal(0)
    for i, item in enumerate(raw):
        key = f"bands[{i}]"
        if not isinstance(item, Mapping):
            raise SchemeError(f"{_where(source, key)}: must be a mapping with upper and ratio")
        ratio = _decimal(_require(item, "ratio", _where(source, key)), source, f"{key}.ratio")
        if ratio > 1:
            raise SchemeError(f"{_where(source, key + '.ratio')}: must be between 0 and 1, got {ratio}")
        if bands and ratio > bands[-1].ratio:
            raise SchemeError(f"{_where(source, key + '.ratio')}: bands are regressive, ratio may not rise")
        upper_raw = item.get("upper")
        upper = None if upper_raw is None else _decimal(upper_raw, source, f"{key}.upper")
        if upper is None and i != len(raw) - 1:
            raise SchemeError(f"{_where(source, key + '.upper')}: only the last band may be open-ended")
        if upper is not None and upper <= previous:
            raise SchemeError(
                f"{_where(source, key + '.upper')}: bounds must increase, got {upper} after {previous}"
            )
        bands.append(Band(upper, ratio))
        previous = upper if upper is not None else previous
    return tuple(bands)


def parse_scheme(data: Mapping[str, Any], source: str = "") -> Scheme:
    """Validate one scheme mapping and return a ``Scheme``; raise ``SchemeError`` naming the key."""
    if not isinstance(data, Mapping):
        raise SchemeError(f"{source or 'scheme'}: must be a mapping")
    year = _require(data, "year", source)
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise SchemeError(f"{_where(source, 'year')}: must be a year such as 2019, got {year!r}")
    code = str(_require(data, "code", source)).strip()
    if not code:
        raise SchemeError(f"{_where(source, 'code')}: must not be empty")
    caps = _require(data, "caps", source)
    if not isinstance(caps, Mapping):
        raise SchemeError(f"{_where(source, 'caps')}: must be a mapping")
    per_app = _decimal(
        _require(caps, "per_application", _where(source, "caps")), source, "caps.per_application"
    )
    annual = _decimal(
        _require(caps, "per_enterprise_annual", _where(source, "caps")), source, "caps.per_enterprise_annual"
    )
    cycle_raw = caps.get("per_cycle")
    cycle = None if cycle_raw is None else _decimal(cycle_raw, source, "caps.per_cycle")
    if per_app > annual:
        raise SchemeError(f"{_where(source, 'caps.per_application')}: exceeds caps.per_enterprise_annual")
    if cycle is not None and annual > cycle:
        raise SchemeError(f"{_where(source, 'caps.per_enterprise_annual')}: exceeds caps.per_cycle")
    use = _date(_require(data, "use_deadline", source), source, "use_deadline")
    redeem = _date(_require(data, "redemption_deadline", source), source, "redemption_deadline")
    if redeem < use:
        raise SchemeError(f"{_where(source, 'redemption_deadline')}: earlier than use_deadline")
    model = _require(data, "redemption_model", source)
    if model not in REDEMPTION_MODELS:
        raise SchemeError(
            f"{_where(source, 'redemption_model')}: must be one of {REDEMPTION_MODELS}, got {model!r}"
        )
    raw_elig = data.get("eligibility") or {}
    if not isinstance(raw_elig, Mapping):
        raise SchemeError(f"{_where(source, 'eligibility')}: must be a mapping")
    sizes = tuple(raw_elig.get("sizes") or SIZES)
    for s in sizes:
        if s not in SIZES:
            raise SchemeError(f"{_where(source, 'eligibility.sizes')}: unknown size {s!r}, use {SIZES}")
    eligibility = Eligibility(
        sizes=sizes,
        recognitions_any=tuple(raw_elig.get("recognitions_any") or ()),
        no_bad_credit=bool(raw_elig.get("no_bad_credit", True)),
    )
    return Scheme(
        year=year,
        code=code,
        name=str(data.get("name") or code),
        budget=_decimal(_require(data, "budget", source), source, "budget"),
        bands=_bands(_require(data, "bands", source), source),
        per_application_cap=per_app,
        per_enterprise_annual_cap=annual,
        per_cycle_cap=cycle,
        use_deadline=use,
        redemption_deadline=redeem,
        redemption_model=str(model),
        eligibility=eligibility,
    )


def check_eligibility(profile: EnterpriseProfile, rules: Eligibility) -> list[str]:
    """Reasons (Chinese, for the applicant) why the enterprise may not apply; empty when eligible."""
    reasons: list[str] = []
    if profile.size is None:
        reasons.append("企业规模未登记")
    elif profile.size not in rules.sizes:
        reasons.append("企业规模不在本券种支持范围内")
    if rules.recognitions_any and not profile.recognitions & set(rules.recognitions_any):
        reasons.append("缺少本券种要求的资质认定")
    if rules.no_bad_credit and profile.bad_credit:
        reasons.append("存在不良信用记录")
    return reasons
