"""Approved zone reports entered through the real workflow services, for the publication tests."""

from __future__ import annotations

import pytest
from publication_helpers import zone_values


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
