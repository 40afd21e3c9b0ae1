"""Services of the project reserve and talent pools."""

import pytest

from lanbai.common.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from lanbai.core.pools.identity import check_digit

FIRST17 = "62010219900101123"
ID = FIRST17 + check_digit(FIRST17)


@pytest.fixture
def people(shipped_plan_in_db, make_user):
    return {
        "filler": make_user("pool_filler", "zone_reporter", "lzgx"),
        "other": make_user("pool_other", "zone_reporter", "lzjj"),
        "province": make_user("pool_prov", "province", None),
    }


def _unit(code):
    from lanbai.plans.models import OrgUnit

    return OrgUnit.objects.get(code=code)


def _data(**over):
    d = {"title": "模拟项目", "field": "新材料", "budget_wan": "120.5", "responsible_person": "模拟负责人"}
    d.update(over)
    return d


@pytest.mark.django_db
def test_project_runs_through_stages_with_history(people):
    from lanbai.common.audit import audit_events_for
    from lanbai.pools import services
    from lanbai.pools.services import cluster_codes

    code = sorted(cluster_codes())[0]
    p = services.project_propose(user=people["filler"], unit=_unit("lzgx"), data=_data(cluster=code))
    with pytest.raises(PermissionDeniedError):
        services.project_advance(user=people["filler"], project=p, to="approved")
    p = services.project_advance(user=people["province"], project=p, to="approved")
    p = services.project_advance(user=people["filler"], project=p, to="implementing")
    p = services.project_advance(user=people["province"], project=p, to="accepted")
    assert [h.to_stage for h in p.history.all()] == ["reserve", "approved", "implementing", "accepted"]
    assert audit_events_for(p).count() == 4
    with pytest.raises(ConflictError, match="验收 不能转为 终止"):
        services.project_advance(user=people["province"], project=p, to="terminated")


@pytest.mark.django_db
def test_project_refusals(people):
    from lanbai.pools import services

    with pytest.raises(PermissionDeniedError):
        services.project_propose(user=people["other"], unit=_unit("lzgx"), data=_data())
    with pytest.raises(ValidationFailed, match="不是附件4"):
        services.project_propose(user=people["filler"], unit=_unit("lzgx"), data=_data(cluster="nope"))
    with pytest.raises(ValidationFailed, match="budget_wan"):
        services.project_propose(user=people["filler"], unit=_unit("lzgx"), data=_data(budget_wan="x"))


@pytest.mark.django_db
def test_talent_id_never_stored_in_clear(people):
    from lanbai.common.audit import audit_events_for
    from lanbai.pools import selectors, services
    from lanbai.pools.models import Talent

    t = services.talent_register(
        user=people["filler"],
        unit=_unit("lzgx"),
        data={"name": "模拟人才甲", "id_number": ID},
        consent_version="v1",
    )
    assert t.id_masked == ID[:4] + "**********" + ID[-4:]
    row = Talent.objects.filter(pk=t.pk).values().get()
    assert all(ID not in str(v) for v in row.values())
    assert all(ID not in (e.old + e.new) for e in audit_events_for(t))
    with pytest.raises(ConflictError, match="已在人才库"):
        services.talent_register(
            user=people["filler"],
            unit=_unit("lzgx"),
            data={"name": "模拟人才乙", "id_number": ID},
            consent_version="v1",
        )
    assert list(selectors.talent_list(user=people["other"])) == []
    t = services.talent_withdraw_consent(user=people["province"], talent=t)
    assert t.id_fingerprint == "" and t.id_masked == "" and t.withdrawn_at is not None


@pytest.mark.django_db
def test_talent_needs_consent_and_valid_id(people):
    from lanbai.pools import services

    with pytest.raises(ValidationFailed, match="未取得本人同意"):
        services.talent_register(
            user=people["filler"], unit=_unit("lzgx"), data={"name": "模拟"}, consent_version=""
        )
    bad = FIRST17 + ("0" if ID[-1] != "0" else "1")
    with pytest.raises(ValidationFailed, match="身份证号：校验码应为"):
        services.talent_register(
            user=people["filler"],
            unit=_unit("lzgx"),
            data={"name": "模拟", "id_number": bad},
            consent_version="v1",
        )
