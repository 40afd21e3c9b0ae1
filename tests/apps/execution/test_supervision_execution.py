"""Public supervision: released measure progress on the public group pages, the public's feedback."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.core.cache import cache

from lanbai.core.periods import Quarter

pytestmark = pytest.mark.django_db
H1, H2 = Quarter(2019, 2), Quarter(2019, 4)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def science(member):
    return member("kejizu", "wg_science")


def _approved(user, province, unit, code, period, pct, status="推进中"):
    from lanbai.execution import selectors, services

    m = selectors.measure_get(None, code)
    r = services.report_save(user, measure=m, unit=unit, period=period, status=status, pct=pct)
    services.report_submit(user, r)
    return services.report_approve(province, r)


def _page(client, group):
    return client.get(f"/measures/public/{quote(group)}/").content.decode()


def test_nothing_public_before_the_release_and_the_release_is_frozen(client, science, province, unit):
    from lanbai.common.audit import audit_events_for
    from lanbai.common.exceptions import ConflictError, PermissionDeniedError
    from lanbai.execution import selectors, services

    m = selectors.measure_get(None, "c16_01")
    group = m.group
    r = _approved(science, province, unit("wg_science"), "c16_01", H1, "45")
    other = _lead_item("wg_science", exclude="c16_01")  # submitted, not accepted: never in a release
    services.report_submit(science, services.report_save(science, measure=other, unit=unit("wg_science"),
                                                         period=H1, status="推进中", pct="33"))
    page = _page(client, group)  # anonymous
    assert "c16_01" in page and "45.0" not in page and "33.0" not in page and "省创新办尚未公布举措进展" in page
    with pytest.raises(PermissionDeniedError):
        services.measure_progress_release(science, period=H1)
    rel = services.measure_progress_release(province, period=H1)
    assert [e.action for e in audit_events_for(rel)] == ["measure_progress_release"]
    with pytest.raises(ConflictError):
        services.measure_progress_release(province, period=H1)
    assert [x.measure.code for x in rel.rows.all()] == ["c16_01"]
    page = _page(client, group)
    assert "45.0" in page and "推进中" in page
    # later changes (an edit behind the workflow's back, a newer accepted report) do not change what was released
    type(r).objects.filter(pk=r.pk).update(pct=90, status="done")
    _approved(science, province, unit("wg_science"), "c16_01", H2, "80")
    page = _page(client, group)
    assert "45.0" in page and "90.0" not in page and "80.0" not in page
    services.measure_progress_release(province, period=H2)  # the next release shows the newer report
    page = _page(client, group)
    assert "80.0" in page and "45.0" not in page


def test_unknown_group_is_404_and_the_index_links_groups(client, measures):
    assert client.get("/measures/public/nope/").status_code == 404
    page = client.get("/measures/public/").content.decode()
    assert "三大计划" in page and "省创新办尚未公布举措进展" in page


def _post(client, group, code, message="请公开平台名单", ip="10.0.0.1", **extra):
    return client.post(f"/measures/public/{quote(group)}/",
                       {"measure": code, "message": message, "name": "", "contact": "", **extra}, REMOTE_ADDR=ip)


def _lead_item(lead, exclude=""):
    from lanbai.execution.models import Measure

    return Measure.objects.filter(lead__code=lead, kind="item").exclude(code=exclude).order_by("order").first()


def test_feedback_reaches_the_lead_unit_only_and_is_handled(client, measures, make_user):
    from lanbai.common.audit import audit_events_for
    from lanbai.common.exceptions import NotFoundError, PermissionDeniedError
    from lanbai.execution import selectors, services
    from lanbai.execution.models import Feedback

    m = _lead_item("lzxq_committee")
    res = _post(client, m.group or "其他", m.code)
    assert res.status_code == 302
    fb = Feedback.objects.get()
    assert fb.unit.code == "lzxq_committee" and fb.ip == "10.0.0.1"
    assert [e.action for e in audit_events_for(fb)] == ["feedback_submit"]
    lz = make_user("fill", "zone_reporter", "lzxq")
    by = make_user("byfill", "zone_reporter", "bygx")
    assert [f.pk for f in selectors.feedback_queue(lz)] == [fb.pk]
    assert list(selectors.feedback_queue(by)) == []
    client.force_login(by)
    assert "请公开平台名单" not in client.get("/measures/feedback/").content.decode()
    assert client.post(f"/measures/feedback/{fb.pk}/handle/").status_code == 404
    client.force_login(lz)
    assert "请公开平台名单" in client.get("/measures/feedback/").content.decode()
    reviewer = make_user("rev", "zone_reviewer", "lzxq")  # reads the queue, does not act for the unit
    with pytest.raises(PermissionDeniedError):
        services.feedback_handle(reviewer, pk=fb.pk)
    assert client.post(f"/measures/feedback/{fb.pk}/handle/").status_code == 302
    fb.refresh_from_db()
    assert fb.handled_by == lz and "feedback_handle" in [e.action for e in audit_events_for(fb)]
    with pytest.raises(NotFoundError):
        services.feedback_handle(by, pk=fb.pk)


def test_feedback_throttle_honeypot_and_length(client, measures, settings):
    from lanbai.execution.models import Feedback

    settings.LANBAI_FEEDBACK_PER_HOUR = 2
    m = _lead_item("lzxq_committee")
    group = m.group or "其他"
    assert _post(client, group, m.code, website="http://spam.example").status_code == 302
    assert Feedback.objects.count() == 0  # the honeypot: dropped quietly
    res = _post(client, group, m.code, message="x" * 2001)
    assert res.status_code == 200 and Feedback.objects.count() == 0
    res = _post(client, group, m.code, message=" ")
    assert res.status_code == 200 and Feedback.objects.count() == 0
    assert _post(client, group, m.code).status_code == 302
    assert _post(client, group, m.code).status_code == 302
    res = _post(client, group, m.code)
    assert res.status_code == 429 and "留言过于频繁" in res.content.decode()
    assert _post(client, group, m.code, ip="10.0.0.2").status_code == 302  # another address is not throttled
    assert Feedback.objects.count() == 3


def test_release_page_is_the_provinces(client, measures, province, make_user):
    from lanbai.execution.models import ProgressRelease

    client.force_login(make_user("fill", "zone_reporter", "lzxq"))
    assert client.get("/measures/releases/").status_code == 403
    assert client.post("/measures/releases/", {"period": "2019Q2"}).status_code == 403
    client.force_login(province)
    res = client.post("/measures/releases/", {"period": "2019Q1"})
    assert res.status_code == 200 and "举措进展按半年发布" in res.content.decode() and not ProgressRelease.objects.exists()
    assert client.post("/measures/releases/", {"period": "2019Q2"}).status_code == 302
    assert list(ProgressRelease.objects.values_list("period", "released_by")) == [("2019Q2", province.pk)]
    assert "2019Q2" in client.get("/measures/public/").content.decode()
