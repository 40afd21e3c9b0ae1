"""Approved zone reports entered through the real workflow services, for the publication tests."""

from __future__ import annotations

import pytest


def zone_values(gdp_wan, pop_wan=30.0, rd_wan=None, fiscal=100000.0, fiscal_st=3000.0):
    return {
        "gdp": gdp_wan,
        "resident_population": pop_wan,
        "fiscal_expenditure": fiscal,
        "fiscal_st_expenditure": fiscal_st,
        "zone_rd_expenditure": rd_wan if rd_wan is not None else gdp_wan * 0.02,
    }


@pytest.fixture
def two_years(report):
    """兰州新区 and 白银高新区, 2017Q2/2017Q4/2018Q2/2018Q4 approved; 2019Q2 of 兰州新区 only submitted."""
    for zone, base in (("lzxq", 1_800_000), ("bygx", 500_000)):
        report(zone, "2017Q2", zone_values(base * 0.45))
        report(zone, "2017Q4", zone_values(base))
        report(zone, "2018Q2", zone_values(base * 0.5))
        report(zone, "2018Q4", zone_values(base * 1.1))
    report("lzxq", "2019Q2", zone_values(999_999), approve=False)
    return report


@pytest.fixture
def fast_pdf(monkeypatch):
    """Releases without WeasyPrint (the PDF is tested in tests/apps/reports): a stub PDF."""
    from lanbai.reports import services

    monkeypatch.setattr(services, "render_pdf", lambda html: b"%PDF-1.7 stub")


@pytest.fixture
def publish(fast_pdf):
    """publish(period, confirm=True): a published bulletin of ``period`` built from today's approved figures."""
    from lanbai.reports import services

    def _publish(period: str, *, confirm: bool = True, note: str | None = None, correct=None):
        if correct is not None:
            return services.release_correct(correct, note=note or "更正", confirm_incomplete=confirm)
        return services.release_create(kind="bulletin", period=period, publish=True, confirm_incomplete=confirm)

    return _publish


@pytest.fixture
def published_two_years(two_years, publish):
    """:func:`two_years` with the bulletins of its four approved periods published (2019Q2 stays unpublished)."""
    for period in ("2017Q2", "2017Q4", "2018Q2", "2018Q4"):
        publish(period)
    return two_years
