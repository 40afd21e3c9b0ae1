"""Registration numbers stay unique when two registrars register at once (the sequence row is locked)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from contract_helpers import contract_data
from django.db import connection, connections

from lanbai.contracts import services


@pytest.mark.django_db(transaction=True)
def test_numbers_unique_under_concurrency(shipped_plan_in_db, make_user):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the lock matters on PostgreSQL")
    seller = make_user("seller", "zone_reporter", "lzgx")
    registrar = make_user("registrar", "contract_registrar", "lanbai")
    contracts = []
    for _ in range(6):
        c = services.contract_create(user=seller, data=contract_data())
        c = services.contract_submit(user=seller, contract=c)
        contracts.append(services.contract_accept(user=registrar, contract=c, on=dt.date(2019, 4, 1)))
    numbers, errors = [], []
    barrier = threading.Barrier(len(contracts))

    def register(c):
        try:
            barrier.wait()
            numbers.append(services.contract_register(user=registrar, contract=c, on=dt.date(2019, 4, 10))
                           .registration_number)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(c,)) for c in contracts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(numbers) == [f"62010220190{i:03d}" for i in range(1, 7)]
