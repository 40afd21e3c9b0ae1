"""The registration workflow: transitions, refusals (wrong role 403, wrong state 400), history, time limit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from contract_helpers import BUYER, code, contract_data

from lanbai.common.audit import audit_events_for
from lanbai.common.exceptions import NotFoundError, PermissionDeniedError, ValidationFailed
from lanbai.contracts import selectors, services
from lanbai.contracts.services import WrongStateError


def test_full_path_assigns_a_number_and_keeps_amounts_apart(people, filed):
    c = filed()
    assert c.status == "submitted"
    c = services.contract_accept(user=people["registrar"], contract=c, on=dt.date(2019, 4, 1))
    c = services.contract_register(user=people["registrar"], contract=c, on=dt.date(2019, 4, 20))
    assert c.status == "registered"
    assert c.registration_number == "62010220190001"
    assert c.amount == Decimal("500.00") and c.tech_amount == Decimal("400.00")
    steps = [(h.action, h.from_status, h.to_status) for h in selectors.contract_history(c)]
    assert steps == [("create", "", "draft"), ("submit", "draft", "submitted"),
                     ("accept", "submitted", "accepted"), ("register", "accepted", "registered")]
    assert [e.action for e in audit_events_for(c)] == [
        "contract.create", "contract.submit", "contract.accept", "contract.register"]


def test_numbers_run_per_region_and_year(registered):
    a = registered()
    b = registered()
    c = registered(on=dt.date(2020, 2, 1))
    d = registered(seller_region="620402")
    assert [x.registration_number for x in (a, b, c, d)] == [
        "62010220190001", "62010220190002", "62010220200001", "62040220190001"]


def test_return_for_correction_then_resubmit(people, filed):
    c = filed()
    with pytest.raises(ValidationFailed):
        services.contract_return(user=people["registrar"], contract=c, reason="")
    c = services.contract_return(user=people["registrar"], contract=c, reason="缺少证明文件")
    assert c.status == "returned"
    c = services.contract_update(user=people["seller"], contract=c, data={"title": "补正后的名称"})
    c = services.contract_submit(user=people["seller"], contract=c)
    assert c.status == "submitted" and c.title == "补正后的名称"


def test_refusal_needs_a_ground_of_the_rules(people, filed):
    c = services.contract_accept(user=people["registrar"], contract=filed())
    with pytest.raises(ValidationFailed):
        services.contract_refuse(user=people["registrar"], contract=c, ground="bad")
    c = services.contract_refuse(user=people["registrar"], contract=c, ground="not_technology", reason="设备买卖")
    assert c.status == "refused" and c.registration_number is None
    assert "非技术合同" in selectors.contract_history(c).last().reason


def test_wrong_role_is_refused_403(people, filed):
    with pytest.raises(PermissionDeniedError):
        services.contract_create(user=people["other"], data=contract_data())
    with pytest.raises(PermissionDeniedError):
        services.contract_create(user=people["registrar"], data=contract_data())
    c = filed()
    for user in (people["seller"], people["reviewer"], people["other"]):
        with pytest.raises(PermissionDeniedError):
            services.contract_accept(user=user, contract=c)
    with pytest.raises(PermissionDeniedError):
        services.contract_submit(user=people["other"], contract=c)


def test_wrong_state_is_refused_400(people, filed):
    draft = filed(submit=False)
    with pytest.raises(WrongStateError) as exc:
        services.contract_register(user=people["registrar"], contract=draft)
    assert exc.value.status_code == 400
    with pytest.raises(WrongStateError):
        services.contract_accept(user=people["registrar"], contract=draft)
    c = filed()
    with pytest.raises(WrongStateError):
        services.contract_submit(user=people["seller"], contract=c)
    with pytest.raises(WrongStateError):
        services.contract_revoke(user=people["registrar"], contract=c, reason="x")


def test_credit_codes_and_regions_are_validated(people):
    bad = code(3)[:-1] + ("0" if code(3)[-1] != "0" else "1")
    with pytest.raises(ValidationFailed) as exc:
        services.contract_create(user=people["seller"], data=contract_data(buyer_credit_code=bad))
    assert exc.value.extra["field"] == "buyer_credit_code" and exc.value.extra["rule"] == "credit_code.check"
    with pytest.raises(ValidationFailed) as exc:
        services.contract_create(user=people["seller"], data=contract_data(seller_region="990100"))
    assert exc.value.extra["field"] == "seller_region"
    with pytest.raises(ValidationFailed):
        services.contract_create(user=people["seller"], data=contract_data(equipment_cost=Decimal("600")))


def test_amend_changes_particulars_never_the_amount(people, registered):
    c = registered()
    with pytest.raises(ValidationFailed):
        services.contract_amend(user=people["registrar"], contract=c, changes={"amount": 900}, reason="涨价")
    with pytest.raises(ValidationFailed):
        services.contract_amend(user=people["registrar"], contract=c, changes={"buyer_name": "新名称"}, reason="")
    c = services.contract_amend(user=people["registrar"], contract=c, changes={"other_non_tech_cost": "50"},
                                reason="漏扣")
    assert c.tech_amount == Decimal("350.00") and c.amount == Decimal("500.00")
    assert c.status == "registered" and c.registered_on == dt.date(2019, 5, 10)
    assert selectors.contract_history(c).last().action == "amend"


def test_revoke_removes_from_turnover(people, registered):
    c = registered()
    assert sum(r["turnover"] for r in selectors.turnover(period="2019Q4")) == Decimal("500.00")
    services.contract_revoke(user=people["registrar"], contract=c, reason="合同已解除")
    assert sum(r["turnover"] for r in selectors.turnover(period="2019Q4")) == 0


def test_time_limit_days_left_and_overdue(people, filed):
    c = services.contract_accept(user=people["registrar"], contract=filed(), on=dt.date(2019, 4, 1))
    assert selectors.time_limit(c, today=dt.date(2019, 4, 21)) == {
        "due": dt.date(2019, 5, 1), "days_left": 10, "overdue": False, "open": True}
    late = selectors.time_limit(c, today=dt.date(2019, 5, 4))
    assert late["days_left"] == -3 and late["overdue"]
    c = services.contract_register(user=people["registrar"], contract=c, on=dt.date(2019, 5, 6))
    done = selectors.time_limit(c)
    assert done["days_taken"] == 35 and done["overdue"] and not done["open"]


def test_supplement_must_follow_a_registered_original(people, filed, registered):
    draft = filed(submit=False)
    with pytest.raises(NotFoundError):
        services.contract_create(user=people["seller"], data=contract_data(supplement_of="99999999999999"))
    with pytest.raises(ValidationFailed):
        services.contract_create(user=people["seller"], data=contract_data(supplement_of=str(draft.pk)))
    original = registered()
    with pytest.raises(ValidationFailed):
        services.contract_create(user=people["seller"], data=contract_data(
            supplement_of=original.registration_number, seller_credit_code=BUYER))


def test_actions_offered_follow_role_and_state(people, filed):
    c = filed(submit=False)
    assert selectors.contract_actions(user=people["seller"], contract=c) == ["update", "submit"]
    assert selectors.contract_actions(user=people["registrar"], contract=c) == []
    c = services.contract_submit(user=people["seller"], contract=c)
    assert selectors.contract_actions(user=people["registrar"], contract=c) == ["accept", "return"]
    assert selectors.contract_actions(user=people["other"], contract=c) == []


def test_register_is_scoped(people, filed):
    c = filed()
    assert list(selectors.contract_list(user=people["seller"])) == [c]
    assert list(selectors.contract_list(user=people["registrar"])) == [c]
    assert list(selectors.contract_list(user=people["other"])) == []
    with pytest.raises(NotFoundError):
        selectors.contract_get(user=people["other"], pk=c.pk)


def test_history_is_append_only(people, filed):
    h = selectors.contract_history(filed()).first()
    h.reason = "改写"
    with pytest.raises(RuntimeError):
        h.save()
