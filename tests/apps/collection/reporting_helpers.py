"""Helpers of the collection tests: rows, valid credit codes and filled templates."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

ZONE_FORM, ENT_FORM = "兰白统Q1表", "兰白统Q2表"
NOW = timezone.make_aware(dt.datetime(2018, 7, 10, 10, 0))


def zone_row(**over):
    row = {
        "gdp": 120000.5,
        "resident_population": 30.2,
        "urban_population": 20.1,
        "fiscal_expenditure": 50000,
        "fiscal_st_expenditure": 3000,
        "zone_rd_expenditure": 2500,
        "energy_consumption": 1000,
        "zone_tech_contract_value": 800,
        "zone_industrial_va": 40000,
        "hightech_va": 9000,
        "emerging_va": 15000,
        "hightech_employment": 3000,
        "zone_rd_staff": 2000,
        "zone_invention_patents": 150,
        "incubators": 3,
        "maker_spaces": 5,
        "rd_platforms": 12,
        "alliances": 2,
    }
    row.update(over)
    return row


def ent_row(code, name, **over):
    row = {
        "credit_code": code,
        "enterprise_name": name,
        "industry": "bio",
        "category": "emerging",
        "high_tech": False,
        "revenue": 1000.5,
        "output_value": 900,
        "industrial_va": 300,
        "tax": 50,
        "profit": 80,
        "employees": 120,
        "rd_staff": 15,
        "rd_expenditure": 40,
        "invention_patents_valid": 3,
        "patent_applications": 2,
        "patent_grants": 1,
        "tech_contract_value": 10,
        "new_product_output": 100,
        "new_jobs": 5,
    }
    row.update(over)
    return row


def valid_code(seed: int) -> str:
    from lanbai.core.collection import check_character

    body = f"9162010{seed:010d}"
    return body + check_character(body)


def zone_file(period="2018Q2", unit=("lzxq", "兰州新区"), **over) -> bytes:
    from lanbai.collection.intake.parsing import form_by_code
    from lanbai.core.collection import write_template

    return write_template(
        form_by_code(ZONE_FORM), period=period, unit_code=unit[0], unit_name=unit[1], rows=[zone_row(**over)]
    )


def ent_file(rows, period="2018Q2", unit=("lzxq", "兰州新区")) -> bytes:
    from lanbai.collection.intake.parsing import form_by_code
    from lanbai.core.collection import write_template

    return write_template(
        form_by_code(ENT_FORM), period=period, unit_code=unit[0], unit_name=unit[1], rows=rows, blank_rows=0
    )
