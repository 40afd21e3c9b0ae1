"""The pools demo: projects in every stage per zone and talents with valid synthetic numbers, once."""

import pytest


@pytest.mark.django_db
def test_pools_demo_runs_through_the_services_once(shipped_plan_in_db, make_user):
    from lanbai.core.pools import validate_id_number
    from lanbai.pools.demo import pools_demo_run, synthetic_id
    from lanbai.pools.models import Project, Talent

    make_user("demo_sheng", "province", None)
    make_user("demo_lzgx_fill", "zone_reporter", "lzgx")
    assert "个项目" in pools_demo_run()
    stages = set(Project.objects.values_list("stage", flat=True))
    assert stages == {"reserve", "approved", "implementing", "accepted", "terminated"}
    assert all("模拟数据" in p.title for p in Project.objects.all())
    accepted = Project.objects.get(stage="accepted", unit__code="lzgx")
    assert [h.to_stage for h in accepted.history.all()] == ["reserve", "approved", "implementing", "accepted"]
    assert Talent.objects.count() >= 2 and all(t.id_masked and t.id_fingerprint for t in Talent.objects.all())
    for i in range(12):
        assert validate_id_number(synthetic_id(i)) == synthetic_id(i)
    before = Project.objects.count()
    assert "已有" in pools_demo_run() and Project.objects.count() == before
