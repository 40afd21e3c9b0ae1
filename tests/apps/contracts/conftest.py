"""Fixtures of the contracts tests: the shipped plan, a seller, a registrar, filed and registered contracts."""

from __future__ import annotations

import datetime as dt

import pytest
from contract_helpers import contract_data


@pytest.fixture
def people(shipped_plan_in_db, make_user):
    return {
        "seller": make_user("seller", "zone_reporter", "lzgx"),
        "other": make_user("other_filler", "zone_reporter", "lzjj"),
        "registrar": make_user("registrar", "contract_registrar", "lanbai"),
        "reviewer": make_user("reviewer", "zone_reviewer", "lzgx"),
    }


@pytest.fixture
def filed(people):
    """file(**over): a submitted contract by the seller."""
    from lanbai.contracts import services

    def _file(submit=True, **over):
        c = services.contract_create(user=people["seller"], data=contract_data(**over))
        if submit:
            c = services.contract_submit(user=people["seller"], contract=c)
        return c

    return _file


@pytest.fixture
def registered(people, filed):
    from lanbai.contracts import services

    def _reg(on=dt.date(2019, 5, 10), **over):
        c = filed(**over)
        c = services.contract_accept(user=people["registrar"], contract=c, on=on - dt.timedelta(days=10))
        return services.contract_register(user=people["registrar"], contract=c, on=on)

    return _reg
