"""Hand-computed checks of the voucher core: scheme parsing, regressive coverage, caps, eligibility, fraud."""

import datetime as dt
from decimal import Decimal as D

import pytest

from lanbai.core.vouchers import (
    EnterpriseProfile,
    SchemeError,
    check_eligibility,
    compute_grant,
    coverage,
    parse_scheme,
    price_above_published,
    related_party,
    split_contracts,
)


def _data(**over):
    data = {
        "year": 2019,
        "code": "CXQ-2019",
        "name": "2019年创新券",
        "budget": 500,
        "bands": [{"upper": 10, "ratio": 0.8}, {"upper": 50, "ratio": 0.5}],
        "caps": {"per_application": 20, "per_enterprise_annual": 30, "per_cycle": 48},
        "use_deadline": "2019-12-31",
        "redemption_deadline": "2020-03-31",
        "redemption_model": "provider",
        "eligibility": {"sizes": ["micro", "small", "medium"], "no_bad_credit": True},
    }
    data.update(over)
    return data


def test_parse_scheme_reads_every_field():
    s = parse_scheme(_data())
    assert s.budget == D(500) and s.per_cycle_cap == D(48)
    assert [b.upper for b in s.bands] == [D(10), D(50)]
    assert s.use_deadline == dt.date(2019, 12, 31)
    assert s.eligibility.sizes == ("micro", "small", "medium")


@pytest.mark.parametrize(
    ("over", "key"),
    [
        ({"budget": -1}, "budget"),
        ({"year": "x"}, "year"),
        ({"redemption_model": "cash"}, "redemption_model"),
        ({"redemption_deadline": "2019-01-01"}, "redemption_deadline"),
        ({"bands": [{"upper": 10, "ratio": 0.5}, {"upper": 50, "ratio": 0.8}]}, "bands[1].ratio"),
        ({"bands": [{"upper": 10, "ratio": 0.8}, {"upper": 5, "ratio": 0.5}]}, "bands[1].upper"),
        ({"bands": [{"upper": None, "ratio": 0.8}, {"upper": 50, "ratio": 0.5}]}, "bands[0].upper"),
        ({"bands": [{"upper": 10, "ratio": 1.5}]}, "bands[0].ratio"),
        ({"caps": {"per_application": 40, "per_enterprise_annual": 30}}, "caps.per_application"),
        ({"caps": {"per_enterprise_annual": 30}}, "per_application"),
        ({"eligibility": {"sizes": ["huge"]}}, "eligibility.sizes"),
    ],
)
def test_parse_scheme_errors_name_the_key(over, key):
    with pytest.raises(SchemeError, match=r"2019\.yaml: .*" + key.replace("[", r"\[").replace("]", r"\]")):
        parse_scheme(_data(**over), "2019.yaml")


def test_missing_key_is_named():
    data = _data()
    del data["use_deadline"]
    with pytest.raises(SchemeError, match="use_deadline: required key missing"):
        parse_scheme(data, "f.yaml")


def test_regressive_coverage_by_hand():
    bands = parse_scheme(_data()).bands
    assert coverage(D(5), bands) == D("4.0000")  # 5×0.8
    assert coverage(D(10), bands) == D("8.0000")
    assert coverage(D(30), bands) == D("18.0000")  # 10×0.8 + 20×0.5
    assert coverage(D(80), bands) == D("28.0000")  # 8 + 40×0.5, nothing above 50
    assert coverage(D(0), bands) == D(0)


def test_open_last_band_covers_the_rest():
    bands = parse_scheme(_data(bands=[{"upper": 1, "ratio": 1}, {"upper": None, "ratio": 0.5}])).bands
    assert coverage(D(3), bands) == D("2.0000")  # 1 + 2×0.5


def test_grant_takes_the_tightest_limit():
    s = parse_scheme(_data())
    g = compute_grant(s, D(30))
    assert (g.amount, g.limited_by) == (D("18.0000"), "coverage")
    g = compute_grant(s, D(50))  # coverage 28 > per application 20
    assert (g.amount, g.limited_by) == (D("20.0000"), "per_application")
    g = compute_grant(s, D(30), issued_this_year=D(25))  # 30 − 25 = 5 left this year
    assert (g.amount, g.limited_by) == (D("5.0000"), "per_enterprise_annual")
    g = compute_grant(s, D(30), issued_this_cycle=D(46))  # 48 − 46 = 2 left in the cycle
    assert (g.amount, g.limited_by) == (D("2.0000"), "per_cycle")
    g = compute_grant(s, D(30), requested=D(3))
    assert (g.amount, g.limited_by) == (D("3.0000"), "requested")
    assert compute_grant(s, D(30), issued_this_year=D(40)).amount == D(0)


def test_eligibility_reasons():
    rules = parse_scheme(
        _data(eligibility={"sizes": ["small"], "recognitions_any": ["科技型中小企业"]})
    ).eligibility
    assert check_eligibility(EnterpriseProfile("small", frozenset({"科技型中小企业"})), rules) == []
    assert check_eligibility(EnterpriseProfile("large", frozenset({"科技型中小企业"})), rules) == [
        "企业规模不在本券种支持范围内"
    ]
    assert check_eligibility(EnterpriseProfile(None, bad_credit=True), rules) == [
        "企业规模未登记",
        "缺少本券种要求的资质认定",
        "存在不良信用记录",
    ]


def test_related_party_by_credit_code():
    assert related_party("91620100A", "91620100a", {}) is not None
    assert related_party("A", "B", {"A": ["b"]}).rule == "related_party"
    assert related_party("A", "B", {"B": ["A"]}) is not None
    assert related_party("A", "B", {"A": ["C"]}) is None


def test_split_contracts_under_a_cap():
    day = dt.date(2019, 6, 1)
    earlier = [("P1", dt.date(2019, 5, 1), D(15)), ("P2", dt.date(2019, 5, 1), D(15))]
    assert split_contracts(earlier, ("P1", day, D(10)), cap=D(20)).rule == "split_contract"  # 15 + 10 > 20
    assert split_contracts(earlier, ("P1", day, D(5)), cap=D(20)) is None  # 20 is not above 20
    assert split_contracts(earlier, ("P3", day, D(10)), cap=D(20)) is None
    far = [("P1", dt.date(2019, 1, 1), D(15))]
    assert split_contracts(far, ("P1", day, D(10)), cap=D(20)) is None  # 151 days apart


def test_price_above_published():
    assert price_above_published(D(12), D(10)).rule == "price_above_published"
    assert price_above_published(D(10), D(10)) is None
    assert price_above_published(D(12), None) is None
