"""Role matrix of every contracts endpoint: who may do what (allowed: 2xx; refused: 403, or 404 when the
contract is outside what the role may see)."""

from __future__ import annotations

import datetime as dt

from contract_helpers import contract_data
from rest_framework.test import APIClient

from lanbai.contracts import services

ROLES = {
    "seller_zone_filler": ("zone_reporter", "lzgx"),
    "other_zone_filler": ("zone_reporter", "lzjj"),
    "zone_reviewer": ("zone_reviewer", "lzgx"),
    "city": ("city", "lanzhou"),
    "evaluator": ("evaluator", "lzgx"),  # an evaluator reads the parks or zones assigned to it only
    "registrar": ("contract_registrar", "lanbai"),
    "other_registrar": ("contract_registrar", "bygx"),
    "province": ("province", None),
}
SELLERS = {"seller_zone_filler", "province"}
REGISTRARS = {"registrar", "province"}
READERS = {"seller_zone_filler", "zone_reviewer", "city", "evaluator", "registrar", "province"}

# endpoint -> (state the contract must be in, body, who may)
TRANSITIONS = {
    "submit": ("draft", {}, SELLERS),
    "accept": ("submitted", {}, REGISTRARS),
    "return": ("submitted", {"reason": "补正"}, REGISTRARS),
    "register": ("accepted", {}, REGISTRARS),
    "refuse": ("accepted", {"ground": "other"}, REGISTRARS),
    "amend": ("registered", {"changes": {"title": "新名称"}, "reason": "更正"}, REGISTRARS),
    "revoke": ("registered", {"reason": "解除"}, REGISTRARS),
}


def _in_state(state: str):
    c = services.contract_create(user=None, data=contract_data())
    if state == "draft":
        return c
    c = services.contract_submit(user=None, contract=c)
    if state == "submitted":
        return c
    c = services.contract_accept(user=None, contract=c, on=dt.date(2019, 4, 1))
    if state == "accepted":
        return c
    return services.contract_register(user=None, contract=c, on=dt.date(2019, 4, 5))


def test_role_matrix(shipped_plan_in_db, make_user):
    body = {k: (v.isoformat() if isinstance(v, dt.date) else str(v)) for k, v in contract_data().items()}
    seen = {}
    for name, (role, unit) in ROLES.items():
        client = APIClient()
        client.force_authenticate(make_user(name, role, unit))
        got = {
            "list": client.get("/api/contracts/").status_code,
            "turnover": client.get("/api/contracts/turnover/", {"period": "2019Q4"}).status_code,
            "create": client.post("/api/contracts/", body, format="json").status_code,
            "detail": client.get(f"/api/contracts/{_in_state('draft').pk}/").status_code,
        }
        for verb, (state, data, _) in TRANSITIONS.items():
            got[verb] = client.post(f"/api/contracts/{_in_state(state).pk}/{verb}/", data, format="json").status_code
        seen[name] = got
    anonymous = APIClient()
    assert anonymous.get("/api/contracts/").status_code in (401, 403)
    assert anonymous.post("/api/contracts/1/accept/").status_code in (401, 403)
    for name, got in seen.items():
        assert got["list"] == 200 and got["turnover"] == 200, (name, got)
        assert got["create"] == (201 if name in SELLERS else 403), (name, got)
        assert got["detail"] == (200 if name in READERS else 404), (name, got)
        for verb, (_, _, allowed) in TRANSITIONS.items():
            if name in allowed:
                assert got[verb] == 200, (name, verb, got)
            else:
                assert got[verb] in (403, 404), (name, verb, got)
