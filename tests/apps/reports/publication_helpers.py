"""Helpers of the publication tests."""

from __future__ import annotations


def zone_values(gdp_wan, pop_wan=30.0, rd_wan=None, fiscal=100000.0, fiscal_st=3000.0):
    return {
        "gdp": gdp_wan,
        "resident_population": pop_wan,
        "fiscal_expenditure": fiscal,
        "fiscal_st_expenditure": fiscal_st,
        "zone_rd_expenditure": rd_wan if rd_wan is not None else gdp_wan * 0.02,
    }
