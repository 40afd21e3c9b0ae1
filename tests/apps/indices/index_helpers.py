"""Complete zone reports for index tests."""

from __future__ import annotations


def zone_values(gdp_wan, growth=1.0, level=1.0, **extra):
    """A complete zone report: every field of the Lanbai index, scaled by ``growth``.

    ``level`` scales every intensity in every year (a zone at another level that grows alike), so
    two zones differ in level without differing in growth.
    """
    g = growth * level
    values = {
        "gdp": gdp_wan,
        "resident_population": 30.0,
        "fiscal_expenditure": 100000.0,
        "fiscal_st_expenditure": 3000.0 * g,
        "zone_rd_expenditure": gdp_wan * 0.02 * g,
        "energy_consumption": gdp_wan * 0.5 / g,
        "zone_tech_contract_value": 10000.0 * g,
        "zone_industrial_va": gdp_wan * 0.4,
        "hightech_va": gdp_wan * 0.1 * g,
        "emerging_va": gdp_wan * 0.1 * g,
        "hightech_employment": 5000,
        "zone_rd_staff": int(3000 * g),
        "zone_invention_patents": int(200 * g),
        "incubators": int(round(4 * g)),
        "rd_platforms": int(round(10 * g)),
        "alliances": int(round(3 * g)),
    }
    values.update(extra)
    return values
