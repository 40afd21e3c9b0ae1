"""Helpers of the contracts tests: valid credit codes and a contract's filing data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from lanbai.core.collection.creditcode import check_character


def code(n: int, prefix: str = "91620100") -> str:
    body = (prefix + f"{n:09d}")[:17]
    return body + check_character(body)


SELLER = code(1)
BUYER = code(2)


def contract_data(**over):
    data = {
        "title": "高性能催化剂研发",
        "contract_type": "development_commissioned",
        "signed_on": dt.date(2019, 3, 1),
        "seller_name": "兰州某研究院",
        "seller_credit_code": SELLER,
        "seller_region": "620102",
        "seller_zone": "lzgx",
        "buyer_name": "白银某公司",
        "buyer_credit_code": BUYER,
        "buyer_region": "620402",
        "buyer_zone": "bygx",
        "amount": Decimal("500"),
        "equipment_cost": Decimal("80"),
        "materials_cost": Decimal("20"),
    }
    data.update(over)
    return data




def zone_row(**over):
    """A complete row of the zone form 兰白统Q1表 (as in the collection tests)."""
    row = {
        "gdp": 120000.5, "resident_population": 30.2, "urban_population": 20.1, "fiscal_expenditure": 50000,
        "fiscal_st_expenditure": 3000, "zone_rd_expenditure": 2500, "energy_consumption": 1000,
        "zone_tech_contract_value": 800, "zone_industrial_va": 40000, "hightech_va": 9000, "emerging_va": 15000,
        "hightech_employment": 3000, "zone_rd_staff": 2000, "zone_invention_patents": 150, "incubators": 3,
        "maker_spaces": 5, "rd_platforms": 12, "alliances": 2,
    }
    row.update(over)
    return row
