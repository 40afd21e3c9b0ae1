"""Who sees and reports on which measures (role matrix through lanbai.access.policy)."""

from __future__ import annotations

import pytest

from lanbai.core.periods import Quarter

pytestmark = pytest.mark.django_db
H1 = Quarter(2019, 2)


def _codes(user, **kw):
    from lanbai.execution import selectors

    return {r["code"] for r in selectors.measure_rows(user, **kw)}


def test_role_matrix(measures, member, make_user, province):
    everything = _codes(None)
    assert _codes(province) == everything
    science = member("kejizu", "wg_science")
    mine = _codes(science)
    assert "c14_01" in mine and "c05_01" not in mine and "c02_01" not in mine
    assert mine == _codes(None, unit="wg_science")
    zone = make_user("fill", "zone_reporter", "lzxq")
    zm = _codes(zone)
    assert {"c05_01", "c11_01", "c14_01"} <= zm  # lead of 专栏5, co of 三大计划 and 专栏14
    assert "c06_01" not in zm and "c21_01" not in zm
    city = make_user("lanzhou", "city", "lanzhou")
    assert {"c05_01", "c06_01", "c09_01"} <= _codes(city) and "c08_01" not in _codes(city)
    assert _codes(make_user("firm", "enterprise_reporter", "lzxq")) == set()
    assert _codes(make_user("eval", "evaluator")) == set()


def test_report_only_for_own_unit(measures, member, make_user, unit):
    from lanbai.common.exceptions import NotFoundError, PermissionDeniedError
    from lanbai.execution import selectors, services

    science = member("kejizu", "wg_science")
    with pytest.raises(NotFoundError):
        selectors.measure_get(science, "c05_01")
    m = selectors.measure_get(None, "c05_01")
    with pytest.raises(PermissionDeniedError):
        services.report_save(science, measure=m, unit=unit("lzxq_committee"), period=H1, status="推进中")
    zone = make_user("fill", "zone_reporter", "lzxq")
    r = services.report_save(zone, measure=m, unit=unit("lzxq_committee"), period=H1, status="推进中", pct=40)
    assert r.state == "draft"
    reviewer = make_user("rev", "zone_reviewer", "lzxq")  # reads its zone's measures, does not report
    assert "c05_01" in _codes(reviewer)
    with pytest.raises(PermissionDeniedError):
        services.report_save(reviewer, measure=m, unit=unit("lzxq_committee"), period=H1, status="推进中")
    city = make_user("lanzhou", "city", "lanzhou")  # reports for its 创新办, not for the zones under it
    with pytest.raises(PermissionDeniedError):
        services.report_save(city, measure=m, unit=unit("lzxq_committee"), period=H1, status="推进中")
    services.report_save(city, measure=m, unit=unit("lanzhou_office"), period=H1, status="推进中")
    with pytest.raises(NotFoundError):
        selectors.report_get(member("rencai", "wg_talent"), r.pk)
