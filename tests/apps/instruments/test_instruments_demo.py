"""The instruments demo (模拟数据) through the real services: sharing figures for 2019 and 2020."""

from __future__ import annotations

import pytest


@pytest.fixture
def demo(shipped_plan_in_db):
    from lanbai.instruments.demo import instruments_demo

    return instruments_demo(seed=3)


def test_instruments_demo_gives_sharing_rows(demo):
    from lanbai.access.policy import OPERATOR
    from lanbai.instruments import selectors
    from lanbai.instruments.models import Booking, UsageRecord

    assert (
        demo["instruments"] == 4 and demo["conflicts"] == 1 and demo["refused"] == 1 and demo["no_shows"] == 1
    )
    for year in (2019, 2020):
        rows = selectors.sharing_table(user=OPERATOR, year=year)
        assert len(rows) == 4 and all(r["effective_hours"] > 0 for r in rows)
        assert any(r["external_hours"] > 0 for r in rows)
    no_show = UsageRecord.objects.get(outcome="爽约")
    assert no_show.fee == 0 and no_show.is_simulated
    assert Booking.objects.filter(state="待审批", is_simulated=True).count() == 1
    from lanbai.instruments.demo import instruments_demo

    assert instruments_demo(seed=3) == {"instruments": 0}  # idempotent
