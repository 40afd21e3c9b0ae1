"""技术合同成交额 from the register: by seller (输出) and buyer (吸纳), year to date, counted once, supplements
not counted, reconciled against the zones' approved reported figure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from contract_helpers import zone_row

from lanbai.contracts import selectors, services


def _row(period, zone):
    return next(r for r in selectors.turnover(period=period) if r["zone"] == zone)


def test_turnover_by_seller_and_buyer_year_to_date(registered):
    registered(on=dt.date(2019, 2, 10), amount=Decimal("100"), equipment_cost=0, materials_cost=0)
    registered(on=dt.date(2019, 8, 10), amount=Decimal("300"), equipment_cost=Decimal("50"), materials_cost=0)
    q1, q3 = _row("2019Q1", "lzgx"), _row("2019Q3", "lzgx")
    assert (q1["turnover"], q1["contracts"]) == (Decimal("100.00"), 1)
    assert (q3["turnover"], q3["tech_turnover"], q3["contracts"]) == (Decimal("400.00"), Decimal("350.00"), 2)
    assert q3["turnover_yi"] == Decimal("0.0400")
    assert _row("2019Q3", "bygx")["absorbed"] == Decimal("400.00")  # the buyer's zone
    assert _row("2019Q3", "bygx")["turnover"] == 0


def test_counts_once_in_the_registration_year(registered):
    # signed in 2018, registered in 2019: counted in 2019 only, never spread over years
    registered(on=dt.date(2019, 1, 15), signed_on=dt.date(2018, 11, 1), valid_until=dt.date(2021, 12, 31))
    assert _row("2018Q4", "lzgx")["turnover"] == 0
    assert _row("2019Q1", "lzgx")["turnover"] == Decimal("500.00")
    assert _row("2020Q4", "lzgx")["turnover"] == 0


def test_supplementary_contract_adds_no_turnover(registered):
    original = registered()
    sup = registered(on=dt.date(2019, 9, 1), supplement_of=original.registration_number, amount=Decimal("200"),
                     equipment_cost=0, materials_cost=0)
    assert sup.status == "registered" and sup.supplement_of_id == original.pk
    row = _row("2019Q4", "lzgx")
    assert row["turnover"] == Decimal("500.00") and row["contracts"] == 1


def test_unregistered_contracts_do_not_count(people, filed):
    c = services.contract_accept(user=people["registrar"], contract=filed(), on=dt.date(2019, 3, 1))
    services.contract_refuse(user=people["registrar"], contract=c, ground="unclear")
    filed()
    assert _row("2019Q4", "lzgx")["turnover"] == 0


def test_reconciliation_against_the_approved_zone_report(report, registered):
    registered(on=dt.date(2019, 5, 10))
    report("lzgx", "2019Q2", zone_row(zone_tech_contract_value=800))
    report("lzjj", "2019Q2", zone_row(zone_tech_contract_value=100), approve=False)  # not approved
    row = _row("2019Q2", "lzgx")
    assert (row["reported"], row["turnover"], row["difference"]) == (
        Decimal("800"), Decimal("500.00"), Decimal("-300.00"))
    other = _row("2019Q2", "lzjj")
    assert other["reported"] is None and other["difference"] is None


def test_turnover_scoped_to_the_users_zones(people, registered):
    registered()
    assert [r["zone"] for r in selectors.turnover(period="2019Q4", user=people["seller"])] == ["lzgx"]
    assert len(selectors.turnover(period="2019Q4", user=people["registrar"])) == 4
