"""Issue 18 item 5: the zone page and the half-year inspection notice show, per zone and period, 创新券
redeemed, 大型仪器共享率 and projects accepted, each equal to the sums of the records created through the
services (year to date; records outside the period or the zone do not count)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from decimal import Decimal as D
from pathlib import Path

import pytest
from publication_helpers import zone_values

SHIPPED = Path(__file__).resolve().parents[3] / "plans" / "lanbai-2015-2020" / "vouchers"
TZ = dt.timezone(dt.timedelta(hours=8))
LO, HI = dt.datetime(2019, 1, 1, tzinfo=TZ), dt.datetime(2019, 7, 1, tzinfo=TZ)  # 2019Q2, year to date


def _code(n: int) -> str:
    from lanbai.core.collection import check_character

    body = f"9162010{n:010d}"
    return body + check_character(body)


def _unit(code):
    from lanbai.plans.models import OrgUnit

    return OrgUnit.objects.get(code=code)


def _vouchers(province, make_user):
    """Three vouchers of a 兰州高新区 enterprise, paid 2019-05-20, 2019-06-20 (two uses) and 2019-08-01,
    and one of a 兰州经济区 enterprise paid 2019-06-01; returns the redemptions."""
    from lanbai.collection.services import enterprise_register
    from lanbai.core.vouchers import load_scheme_file
    from lanbai.registry.models import EnterpriseProfile
    from lanbai.vouchers import services

    rules = load_scheme_file(SHIPPED / "2019.yaml")
    scheme = services.scheme_load(user=province, rules=dataclasses.replace(rules, budget=D(500)))
    out = []
    for zone, n, paid_days in (("lzgx", 1, ["2019-05-20", "2019-06-20"]), ("lzgx", 2, ["2019-08-01"]),
                               ("lzjj", 3, ["2019-06-01"])):
        ent = enterprise_register(user=None, zone=_unit(zone), credit_code=_code(n), name=f"企业{n}")
        EnterpriseProfile.objects.create(enterprise=ent, staff=50)
        holder = make_user(f"ent{n}", "enterprise_reporter", ent.org_unit.code)
        reviewer = make_user(f"rev{n}", "zone_reviewer", zone)
        app = services.application_submit(
            user=holder, scheme_id=scheme.pk, enterprise=ent, price="20", requested="12",
            service="检验检测", provider_code=_code(90 + n), on=dt.date(2019, 3, 1),
        )
        services.application_zone_review(user=reviewer, application=app, approve=True)
        services.application_province_review(user=province, application=app, approve=True,
                                             notice_start=dt.date(2019, 3, 10), notice_end=dt.date(2019, 3, 16))
        v = services.application_issue(user=province, application=app, on=dt.date(2019, 3, 20))
        for k, day in enumerate(paid_days):
            use = services.voucher_use_record(user=holder, voucher=v, provider_code=_code(80 + k),
                                              provider_name="检测中心", amount=D("3.5") + k, used_on=dt.date(2019, 4, 1))
            claim = services.redemption_claim(  # 通兑 (2019): filed here by 省创新办 with the provider's papers
                user=province, use=use, on=dt.date(2019, 4, 2),
                documents=[("invoice", "invoice.pdf", b"%PDF"), ("delivery", "confirm.txt", b"ok")],
            )
            out.append(services.redemption_review(user=province, redemption=claim, approve=True,
                                                  on=dt.date.fromisoformat(day)))
    return out


def _instruments(owner, guest, province):
    """An instrument of 兰州高新区 used by itself and by 兰州经济区 (one usage across 30 June, one no-show,
    one in July); returns the usage records."""
    from lanbai.instruments import services

    inst = services.instrument_register(user=owner, owner_unit=_unit("lzgx"), data={
        "name": "电镜", "model_number": "SU8010", "manufacturer": "日立", "original_value": "320",
        "classification_code": "030101", "fee_rate": "300", "requires_approval": False,
    })
    usages = []
    slots = [  # (booking unit, user, start, end, outcome)
        ("lzgx", owner, dt.datetime(2019, 3, 1, 9, tzinfo=TZ), dt.datetime(2019, 3, 1, 14, tzinfo=TZ), "正常"),
        ("lzjj", guest, dt.datetime(2019, 4, 2, 9, tzinfo=TZ), dt.datetime(2019, 4, 2, 12, tzinfo=TZ), "超时"),
        ("lzjj", guest, dt.datetime(2019, 5, 6, 9, tzinfo=TZ), dt.datetime(2019, 5, 6, 11, tzinfo=TZ), "爽约"),
        ("lzjj", guest, dt.datetime(2019, 6, 30, 21, tzinfo=TZ), dt.datetime(2019, 7, 1, 1, tzinfo=TZ), "正常"),
        ("lzjj", guest, dt.datetime(2019, 7, 8, 9, tzinfo=TZ), dt.datetime(2019, 7, 8, 17, tzinfo=TZ), "正常"),
    ]
    for unit, who, start, end, outcome in slots:
        b = services.booking_create(user=who, instrument=inst, requester_unit=_unit(unit), start=start, end=end)
        usages.append(services.usage_record(user=owner, booking=b, actual_start=start, actual_end=end,
                                            outcome=outcome))
    return usages


def _projects(filler_gx, filler_jj, province):
    """Accepted projects: two of 兰州高新区 in 2019Q2, one of it in August, one of 兰州经济区 in May."""
    from lanbai.pools import services

    accepted = []
    for filler, zone, day in ((filler_gx, "lzgx", "2019-05-15"), (filler_gx, "lzgx", "2019-06-30"),
                              (filler_gx, "lzgx", "2019-08-01"), (filler_jj, "lzjj", "2019-05-15")):
        p = services.project_propose(user=filler, unit=_unit(zone), on=dt.date(2018, 1, 5), data={
            "title": "项目", "field": "新材料", "budget_wan": "100", "responsible_person": "负责人"})
        p = services.project_advance(user=province, project=p, to="approved", on=dt.date(2018, 2, 1))
        p = services.project_advance(user=filler, project=p, to="implementing", on=dt.date(2018, 3, 1))
        accepted.append(services.project_advance(user=province, project=p, to="accepted",
                                                 on=dt.date.fromisoformat(day)))
    return accepted


@pytest.fixture
def world(report, make_user):
    """Approved 2019Q2 zone reports, and voucher, instrument and pool records of two zones."""
    report("lzgx", "2019Q2", zone_values(900_000))
    report("lzjj", "2019Q2", zone_values(300_000))
    province = make_user("prov_svc", "province")
    owner, guest = make_user("owner_gx", "zone_reporter", "lzgx"), make_user("guest_jj", "zone_reporter", "lzjj")
    return {
        "province": province,
        "reviewer": make_user("rev_gx_svc", "zone_reviewer", "lzgx"),
        "other": guest,
        "redemptions": _vouchers(province, make_user),
        "usages": _instruments(owner, guest, province),
        "accepted": _projects(owner, guest, province),
    }


def expected_lzgx(world) -> dict:
    """The lzgx figures for 2019Q2 summed from the records themselves."""
    reds = [r for r in world["redemptions"]
            if r.use.voucher.zone.code == "lzgx" and dt.date(2019, 1, 1) <= r.paid_on <= dt.date(2019, 6, 30)]
    eff = ext = 0.0
    for u in world["usages"]:
        if u.outcome == "爽约":
            continue
        a, b = max(u.actual_start, LO), min(u.actual_end, HI)
        h = max((b - a).total_seconds(), 0) / 3600
        eff += h
        ext += h if u.booking.requester_unit_id != u.booking.instrument.owner_unit_id else 0
    accepted = [p for p in world["accepted"] if p.unit.code == "lzgx"
                and p.history.get(to_stage="accepted").effective_on <= dt.date(2019, 6, 30)]
    return {
        "vouchers_redeemed": len({r.use.voucher_id for r in reds}),
        "vouchers_amount": sum((r.amount for r in reds), D(0)),
        "effective_hours": eff,
        "external_hours": ext,
        "sharing_rate_pct": ext / eff * 100,
        "projects_accepted": len(accepted),
    }


def _cells(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-key="(\w+)">([^<]*)<', html))


def test_zone_page_shows_services_figures_equal_to_the_records(world, client):
    exp = expected_lzgx(world)
    assert exp["vouchers_redeemed"] == 1 and exp["projects_accepted"] == 2 and 0 < exp["external_hours"]
    client.force_login(world["reviewer"])
    html = client.get("/zones/lzgx/").content.decode()
    cells = _cells(html)
    assert "2019Q2" in html and "科聚网服务数据" in html
    assert cells["vouchers_redeemed"] == str(exp["vouchers_redeemed"])
    assert D(cells["vouchers_amount"]) == exp["vouchers_amount"]
    assert float(cells["effective_hours"]) == pytest.approx(exp["effective_hours"], abs=0.05)
    assert float(cells["external_hours"]) == pytest.approx(exp["external_hours"], abs=0.05)
    assert float(cells["sharing_rate"]) == pytest.approx(exp["sharing_rate_pct"], abs=0.05)
    assert cells["projects_accepted"] == str(exp["projects_accepted"])
    for source in ("按兑付日期", "由合计机时计算", "验收生效日期在期内"):
        assert source in html


def test_zone_page_services_figures_are_scoped(world, client):
    assert "科聚网服务数据" not in client.get("/zones/lzgx/").content.decode()  # the public: published only
    client.force_login(world["other"])  # another zone's staff
    assert "科聚网服务数据" not in client.get("/zones/lzgx/").content.decode()
    assert "科聚网服务数据" in client.get("/zones/lzjj/").content.decode()


def test_inspection_notice_carries_the_figures_in_html_and_xlsx(world):
    from openpyxl import load_workbook

    from lanbai.reports import services

    rel = services.release_create(kind="inspection", period="2019Q2", user=world["province"])
    exp = expected_lzgx(world)
    row = next(r for r in rel.content["services"]["rows"] if r["zone"] == "lzgx")
    assert row["vouchers_redeemed"] == exp["vouchers_redeemed"] and row["projects_accepted"] == 2
    assert "科聚网服务" in rel.html and "大型仪器共享率（%）" in rel.html
    sheet = load_workbook(io.BytesIO(rel.xlsx))["科聚网服务"]
    header = [c.value for c in sheet[2]]
    data = {r[0]: dict(zip(header, r, strict=False)) for r in sheet.iter_rows(min_row=3, values_only=True) if r[0]}
    gx = data["lzgx"]
    assert gx["创新券兑付（张）"] == exp["vouchers_redeemed"]
    assert D(str(gx["创新券兑付金额（万元）"])) == exp["vouchers_amount"]
    assert gx["有效工作机时（小时）"] == pytest.approx(exp["effective_hours"], abs=0.05)
    assert gx["对外服务机时（小时）"] == pytest.approx(exp["external_hours"], abs=0.05)
    assert gx["大型仪器共享率（%）"] == pytest.approx(exp["sharing_rate_pct"], abs=0.05)
    assert gx["验收项目（个）"] == exp["projects_accepted"]
    jj = data["lzjj"]  # the other zone: its own records only
    assert jj["创新券兑付（张）"] == 1 and jj["验收项目（个）"] == 1 and jj["有效工作机时（小时）"] == 0
    assert jj["大型仪器共享率（%）"] == "—"  # no hours: undefined, not 0
    sources = {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r[0] and str(r[0]).endswith("）")}
    assert "按兑付日期" in sources["创新券兑付金额（万元）"]
