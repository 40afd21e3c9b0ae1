"""Issuing 创新券 commits the scheme's budget at issue; the budget can never be over-committed."""

from __future__ import annotations

import dataclasses
import threading
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.db import connection, connections

from lanbai.common.audit import audit_events_for
from lanbai.common.exceptions import PermissionDeniedError, ValidationFailed
from lanbai.core.vouchers import load_scheme_file
from lanbai.vouchers import services
from lanbai.vouchers.models import Scheme

SHIPPED = Path(__file__).resolve().parents[3] / "plans" / "lanbai-2015-2020" / "vouchers"


def _scheme(user, budget="500"):
    rules = load_scheme_file(SHIPPED / "2019.yaml")
    return services.scheme_load(user=user, rules=dataclasses.replace(rules, budget=D(budget)))


@pytest.mark.django_db
def test_issue_commits_budget_and_refuses_overspend(make_user):
    province = make_user("prov", "province")
    scheme = _scheme(province, "30")
    v = services.voucher_issue(
        user=province, scheme_id=scheme.pk, enterprise_name="甲", credit_code="A", amount=D(20)
    )
    scheme.refresh_from_db()
    assert (scheme.committed, scheme.remaining) == (D(20), D(10))
    assert v.number == "LB-CXQ-2019-00001"
    assert audit_events_for(v).filter(action="voucher_issue").count() == 1
    with pytest.raises(ValidationFailed, match="剩余预算 10.0000 万元"):
        services.voucher_issue(
            user=province, scheme_id=scheme.pk, enterprise_name="乙", credit_code="B", amount=D(11)
        )
    services.voucher_issue(
        user=province, scheme_id=scheme.pk, enterprise_name="乙", credit_code="B", amount=D(10)
    )
    scheme.refresh_from_db()
    assert scheme.remaining == D(0)


@pytest.mark.django_db
def test_only_province_issues(make_user, shipped_plan_in_db):
    province = make_user("prov", "province")
    reviewer = make_user("rev", "zone_reviewer", "lzgx")
    scheme = _scheme(province)
    with pytest.raises(PermissionDeniedError):
        services.voucher_issue(
            user=reviewer, scheme_id=scheme.pk, enterprise_name="甲", credit_code="A", amount=D(1)
        )
    assert Scheme.objects.get(pk=scheme.pk).committed == D(0)


@pytest.mark.django_db
def test_reload_same_rules_keeps_version_and_budget_below_committed_refused(make_user):
    province = make_user("prov", "province")
    scheme = _scheme(province, "30")
    assert _scheme(province, "30").version == 1
    services.voucher_issue(
        user=province, scheme_id=scheme.pk, enterprise_name="甲", credit_code="A", amount=D(20)
    )
    with pytest.raises(ValidationFailed, match="低于已承诺"):
        _scheme(province, "10")
    assert _scheme(province, "40").version == 2


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_issue_the_last_budget_at_once(make_user):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the row lock matters on PostgreSQL")
    province = make_user("prov", "province")
    scheme = _scheme(province, "10")
    results, errors = [], []
    barrier = threading.Barrier(2)

    def issue(name):
        try:
            barrier.wait()
            results.append(
                services.voucher_issue(
                    user=province, scheme_id=scheme.pk, enterprise_name=name, credit_code=name, amount=D(10)
                )
            )
        except ValidationFailed as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(n,)) for n in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert (len(results), len(errors)) == (1, 1)
    scheme.refresh_from_db()
    assert scheme.committed == D(10)
