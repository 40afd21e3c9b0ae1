"""Seeding, writes with rights and audit, counts against targets with history."""

from __future__ import annotations

import datetime as dt

import pytest

from lanbai.collection import services as collection_services
from lanbai.common.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from lanbai.common.models import AuditEvent
from lanbai.plans.models import OrgUnit
from lanbai.registry import selectors, services
from lanbai.registry.models import Alliance, Candidate, Cluster, EnterpriseProfile, RdPlatform, Recognition


def test_seed_is_idempotent_and_links_candidates_by_exact_name(reg_plan, make_enterprise):
    ent = make_enterprise("兰州兰石集团有限公司", n=1)
    first = services.registry_seed_from_plan(reg_plan)
    assert first.created == {"clusters": 3, "alliances": 2, "candidates": 3}
    assert first.linked == 1
    second = services.registry_seed_from_plan(reg_plan)
    assert second.created == {} and second.updated == {} and second.linked == 0
    assert Candidate.objects.get(seq=1).enterprise == ent
    assert Candidate.objects.get(seq=151).zone is None and Candidate.objects.get(seq=151).enterprise is None
    assert EnterpriseProfile.objects.get(enterprise=ent).candidate_seq == 1
    cl = Cluster.objects.get(industry="化工")
    assert cl.name == "石油化工" and cl.size_band == "千亿级" and cl.zone.code == "lzxq"
    assert Cluster.objects.get(industry="生物").planned_counts == {"ten_to_fifty": 2, "one_to_ten": 3}
    assert Cluster.objects.get(industry="现代服务业").size_band == "未列规模"  # a row without counts
    # planned alliance lines are not established: they count on no date
    assert Alliance.objects.filter(valid_from__isnull=True).count() == 2
    assert selectors.count_on("industry_alliances", on=dt.date(2020, 12, 31)) == 0


def test_zone_reporter_writes_its_zone_only_and_changes_are_audited(reg_plan, make_user):
    xq = OrgUnit.objects.get(code="lzxq")
    by = OrgUnit.objects.get(code="bygx")
    reporter = make_user("xq", "zone_reporter", "lzxq")
    p = services.platform_save(
        user=reporter,
        data={"name": "甲重点实验室", "kind": "key_lab_st", "zone": xq, "valid_from": dt.date(2016, 3, 1)},
    )
    with pytest.raises(PermissionDeniedError):
        services.platform_save(user=reporter, data={"name": "乙", "kind": "key_lab_st", "zone": by})
    with pytest.raises(PermissionDeniedError):  # cannot move an object out of its zone
        services.platform_save(user=reporter, instance=p, data={"zone": by})
    services.platform_save(
        user=reporter, instance=RdPlatform.objects.get(pk=p.pk), data={"level": "national"}
    )
    events = list(
        AuditEvent.objects.filter(action__startswith="registry")
        .order_by("id")
        .values_list("action", "object_type", "object_id", "field", "old", "new")
    )
    assert events == [
        ("registry.create", "registry.rdplatform", p.pk, "", "", "甲重点实验室"),
        ("registry.update", "registry.rdplatform", p.pk, "level", "provincial", "national"),
    ]
    with pytest.raises(ValidationFailed) as exc:
        services.platform_save(user=make_user("sheng", "province"), data={"name": "丙", "kind": "nonsense"})
    assert "kind" in exc.value.extra["fields"]


def test_enterprise_register_checks_the_credit_code(reg_plan, make_user, codes):
    sheng = make_user("sheng", "province")
    xq = OrgUnit.objects.get(code="lzxq")
    good = codes(7)
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    # the one home of enterprise registration (issue 12): lanbai.collection.services.enterprise_register
    with pytest.raises(ValidationFailed, match="校验位错误") as exc:
        collection_services.enterprise_register(user=sheng, credit_code=bad_check, name="甲", zone=xq)
    assert exc.value.extra["field"] == "credit_code"
    with pytest.raises(ValidationFailed, match="格式错误"):
        collection_services.enterprise_register(
            user=sheng, credit_code="91620100MA0000000I", name="甲", zone=xq
        )
    ent = collection_services.enterprise_register(user=sheng, credit_code=good, name="甲公司", zone=xq)
    assert ent.org_unit.kind == "enterprise" and ent.org_unit.parent_links.get().parent == xq
    with pytest.raises(ConflictError):
        collection_services.enterprise_register(user=sheng, credit_code=good, name="甲公司", zone=xq)
    with pytest.raises(PermissionDeniedError):
        collection_services.enterprise_register(
            user=make_user("by", "zone_reporter", "bygx"), credit_code=codes(8), name="乙", zone=xq
        )


def test_counts_against_targets_on_any_date_with_history(reg_plan, make_enterprise, make_user):
    sheng = make_user("sheng", "province")
    xq, by = OrgUnit.objects.get(code="lzxq"), OrgUnit.objects.get(code="bygx")
    a = make_enterprise("甲", n=1)
    b = make_enterprise("乙", n=2, zone="bygx")
    services.recognition_save(
        user=sheng,
        data={
            "enterprise": a,
            "kind": "high_tech",
            "valid_from": dt.date(2016, 5, 1),
            "valid_to": dt.date(2019, 4, 30),
        },
    )
    # the same enterprise also holds a certificate in its profile: counted once
    services.enterprise_profile_save(
        user=sheng,
        enterprise=a,
        data={"hightech_valid_from": dt.date(2016, 5, 1), "hightech_valid_to": dt.date(2019, 4, 30)},
    )
    services.recognition_save(
        user=sheng, data={"enterprise": b, "kind": "high_tech", "valid_from": dt.date(2018, 1, 1)}
    )
    services.incubator_save(
        user=sheng,
        data={"name": "孵化器", "kind": "incubator", "zone": by, "valid_from": dt.date(2017, 6, 1)},
    )
    services.incubator_save(
        user=sheng,
        data={"name": "众创", "kind": "maker_space", "zone": by, "valid_from": dt.date(2017, 6, 1)},
    )
    assert selectors.count_on("hightech_enterprises", on=dt.date(2016, 4, 30)) == 0
    assert selectors.count_on("hightech_enterprises", on=dt.date(2016, 5, 1)) == 1
    assert selectors.count_on("hightech_enterprises", on=dt.date(2018, 6, 30)) == 2
    assert selectors.count_on("hightech_enterprises", on=dt.date(2019, 4, 30)) == 2  # valid_to inclusive
    assert selectors.count_on("hightech_enterprises", on=dt.date(2019, 5, 1)) == 1
    assert selectors.count_on("hightech_enterprises", on=dt.date(2018, 6, 30), zone=xq) == 1
    rows = selectors.counts_vs_targets(reg_plan, on=dt.date(2018, 12, 31))
    whole = next(r for r in rows if r["indicator"] == "hightech_enterprises" and r["unit_code"] == "lanbai")
    assert (whole["count"], whole["target"], whole["target_source"], whole["share_pct"]) == (
        2,
        250.0,
        "二（四）",
        0.8,
    )
    zone = next(r for r in rows if r["indicator"] == "hightech_enterprises" and r["unit_code"] == "lzxq")
    assert (zone["count"], zone["target"], zone["target_source"]) == (1, 50.0, "三（二）")
    inc = next(r for r in rows if r["indicator"] == "incubators" and r["unit_code"] == "lanbai")
    assert inc["count"] == 1 and inc["target"] == 50.0  # the maker space is not an incubator
    hist = selectors.counts_history(reg_plan)
    whole = next(r for r in hist if r["indicator"] == "hightech_enterprises" and r["unit_code"] == "lanbai")
    assert whole["by_year"] == {2015: 0, 2016: 1, 2017: 1, 2018: 2, 2019: 1, 2020: 1}
    assert {r["indicator"] for r in rows} == {
        "innovative_enterprises",
        "hightech_enterprises",
        "ip_advantage_enterprises",
        "incubators",
        "industry_alliances",
        "rd_platforms",
    }
    assert Recognition.objects.count() == 2


def test_park_must_belong_to_the_zone(reg_plan):
    xq, by, park = (OrgUnit.objects.get(code=c) for c in ("lzxq", "bygx", "lzxq_a"))
    ok = services.incubator_save(
        user=None, data={"name": "甲", "kind": "incubator", "zone": xq, "park": park}
    )
    assert ok.park == park
    with pytest.raises(ValidationFailed) as exc:
        services.incubator_save(user=None, data={"name": "乙", "kind": "incubator", "zone": by, "park": park})
    assert "park" in exc.value.extra["fields"]
    with pytest.raises(ValidationFailed):
        services.incubator_save(user=None, data={"name": "丙", "kind": "incubator", "zone": xq, "park": by})


def test_bulk_create_checks_each_entry_and_writes_all_or_nothing(reg_plan, make_enterprise, make_user):
    """registry_entries_create_bulk (the demo's 高企 certificates): the checks of one save per entry, a
    refusal naming the entry, nothing stored when one entry is refused, an audit event per entry."""
    sheng = make_user("sheng", "province")
    reporter = make_user("xq", "zone_reporter", "lzxq")
    a = make_enterprise("甲", n=1)
    b = make_enterprise("乙", n=2, zone="bygx")
    rows = [
        {"enterprise": a, "kind": "high_tech", "valid_from": dt.date(2016, 5, 1), "reference": "GR201662000001"},
        {"enterprise": b, "kind": "innovative", "valid_from": dt.date(2018, 3, 1)},
    ]
    with pytest.raises(PermissionDeniedError):  # b is another zone's enterprise
        services.registry_entries_create_bulk(user=reporter, model=Recognition, rows=rows)
    bad = [*rows, {"enterprise": a, "kind": "no_such_kind", "valid_from": dt.date(2019, 1, 1)}]
    with pytest.raises(ValidationFailed) as exc:
        services.registry_entries_create_bulk(user=sheng, model=Recognition, rows=bad)
    assert exc.value.extra["row"] == 3 and "kind" in exc.value.extra["fields"] and "第 3 条" in exc.value.message
    with pytest.raises(ValidationFailed) as exc:
        services.registry_entries_create_bulk(user=sheng, model=Recognition, rows=[{**rows[0], "colour": "red"}])
    assert exc.value.extra["row"] == 1 and exc.value.extra["field"] == "colour"
    assert not Recognition.objects.exists() and not AuditEvent.objects.filter(action="registry.create").exists()

    made = services.registry_entries_create_bulk(user=sheng, model=Recognition, rows=rows)
    assert [(r.enterprise_id, r.kind) for r in Recognition.objects.order_by("pk")] == [(a.pk, "high_tech"),
                                                                                        (b.pk, "innovative")]
    events = AuditEvent.objects.filter(action="registry.create", object_type="registry.recognition")
    assert sorted(e.object_id for e in events) == sorted(r.pk for r in made)
    assert {e.user_id for e in events} == {sheng.pk} and any("高新技术企业" in e.new for e in events)
    assert selectors.count_on("hightech_enterprises", on=dt.date(2016, 5, 1)) == 1
