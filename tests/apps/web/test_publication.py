"""Issue 13: publication is the only way out to the public; staff see 未发布 figures; headline periods;
incomplete releases; corrections; disclosure control on the public page and download; 模拟数据."""

from __future__ import annotations

import io
import json
import re

import pytest
from openpyxl import load_workbook


def zone_values(gdp_wan, pop_wan=30.0, fiscal=100000.0, fiscal_st=3000.0):
    return {
        "gdp": gdp_wan,
        "resident_population": pop_wan,
        "fiscal_expenditure": fiscal,
        "fiscal_st_expenditure": fiscal_st,
        "zone_rd_expenditure": gdp_wan * 0.02,
    }


ZONES = ("lzxq", "lzgx", "lzjj", "bygx")
GDP = {  # 万元; 2019Q2 only 兰州新区 reports
    "2018Q2": {"lzxq": 811_111, "lzgx": 300_000, "lzjj": 200_000, "bygx": 150_000},
    "2018Q4": {"lzxq": 1_777_777, "lzgx": 640_000, "lzjj": 410_000, "bygx": 320_000},
}


@pytest.fixture
def complete_periods(report):
    """Every zone reports 2018Q2 and 2018Q4 (complete periods); 兰州新区 alone reports 2019Q2, approved."""
    for period, by_zone in GDP.items():
        for zone in ZONES:
            report(zone, period, zone_values(by_zone[zone]))
    report("lzxq", "2019Q2", zone_values(955_555))
    return report


@pytest.fixture
def staff(client, make_user):
    client.force_login(make_user("office13", "province"))
    return client


@pytest.mark.django_db
def test_anonymous_sees_only_published_figures_on_every_page_and_the_api(client, complete_periods, publish):
    publish("2018Q2")  # 2018Q4 and 2019Q2 are approved but unpublished
    home = client.get("/").content.decode()
    assert "146.11" in home  # 兰白试验区 GDP 2018Q2: 81.11 + 30 + 20 + 15 亿元
    assert "314.78" not in home and "2018Q4" not in home and "未发布" not in home
    assert "兰白监测〔2018〕第1号" in home and "初步" not in home and "终" in home
    zone = client.get("/zones/lzxq/").content.decode()
    assert "81.11" in zone and "177.78" not in zone and "95.56" not in zone
    ind = client.get("/indicators/grp/").content.decode()
    assert "81.11" in ind and "177.78" not in ind and "95.56" not in ind and "2018Q4" not in ind
    index = client.get("/index/").content.decode()
    assert "尚无已发布的全年数据" in index and "（2018）" not in index
    api = client.get("/api/reports/values/", {"unit": "lzxq", "indicator": "grp"}).json()
    assert [r["period"] for r in api["results"]] == ["2018Q2"]
    assert api["results"][0]["obs_status"] == "" and api["results"][0]["stage"] == "终"


@pytest.mark.django_db
def test_staff_see_unpublished_figures_marked_and_the_latest_complete_headline(staff, complete_periods, publish):
    publish("2018Q2")
    home = staff.get("/").content.decode()
    # the headline is 2018Q4 (every zone approved), not 2019Q2 (兰州新区 alone)
    assert "报告期：2018Q4" in home and "314.78" in home and "未发布" in home
    assert "2019Q2" not in home
    zone = staff.get("/zones/lzxq/").content.decode()
    assert "177.78" in zone and "未发布" in zone
    ind = staff.get("/indicators/grp/").content.decode()
    assert "95.56" in ind and "未发布" in ind


@pytest.mark.django_db
def test_public_headline_is_the_latest_published_period(client, complete_periods, publish):
    publish("2018Q2")
    publish("2018Q4")
    home = client.get("/").content.decode()
    assert "报告期：2018Q4" in home and "314.78" in home and "95.56" not in home


@pytest.mark.django_db
def test_staff_headline_is_never_a_period_only_one_zone_reported(staff, report):
    for zone in ZONES:
        report(zone, "2018Q2", zone_values(GDP["2018Q2"][zone]))
    report("lzxq", "2018Q4", zone_values(1_777_777))
    home = staff.get("/").content.decode()
    assert "报告期：2018Q2" in home and "2018Q4" not in home


@pytest.mark.django_db
def test_an_incomplete_release_is_labelled_and_needs_confirmation(client, staff, report, publish):
    from lanbai.reports import services
    from lanbai.reports.models import Release

    report("lzxq", "2018Q2", zone_values(811_111))
    report("bygx", "2018Q2", zone_values(150_000))
    with pytest.raises(services.IncompleteReleaseError) as exc:
        publish("2018Q2", confirm=False)
    assert "兰州高新区" in exc.value.message and "兰州经济区" in exc.value.message
    assert not Release.objects.exists()  # refused before anything was stored
    draft = services.release_create(kind="bulletin", period="2018Q2")
    assert "兰州高新区 兰白统Q1表 1 份" in draft.html and "数据不完整" in draft.html
    cover = {r[0].value: r[1].value for r in load_workbook(io.BytesIO(bytes(draft.xlsx)))["说明"].iter_rows()}
    assert "兰州高新区" in cover["报表完整性"] and cover["版本"] == "初步"
    page = staff.get(f"/reports/{draft.pk}/").content.decode()
    assert 'name="confirm_incomplete"' in page and "兰州经济区 兰白统Q1表 1 份" in page
    staff.post(f"/reports/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.status == "draft"  # no confirmation: not published
    staff.post(f"/reports/{draft.pk}/publish/", {"confirm_incomplete": "1"})
    draft.refresh_from_db()
    assert draft.status == "published"
    staff.logout()
    home = client.get("/").content.decode()
    assert "数据不完整" in home and "兰州高新区" in home and "初步" in home


@pytest.mark.django_db
def test_cli_publish_refuses_an_incomplete_period_without_confirmation(report, fast_pdf):
    from typer.testing import CliRunner

    from lanbai.cli.main import app
    from lanbai.reports.models import Release

    report("lzxq", "2018Q2", zone_values(811_111))
    runner = CliRunner()
    refused = runner.invoke(app, ["report", "bulletin", "--period", "2018Q2", "--publish"])
    assert refused.exit_code == 1 and "兰州高新区" in refused.output and not Release.objects.exists()
    ok = runner.invoke(app, ["report", "bulletin", "--period", "2018Q2", "--publish", "--confirm-incomplete"])
    assert ok.exit_code == 0, ok.output
    assert Release.objects.get().status == "published"


@pytest.mark.django_db
def test_a_correction_is_a_new_release_and_the_pages_show_the_history(client, complete_periods, publish):
    first = publish("2018Q2")
    second = publish(None, correct=first, note="复核后更正")
    home = client.get("/").content.decode()
    assert second.number in home and first.number in home and "更正历史" in home and "复核后更正" in home
    api = client.get("/api/reports/values/", {"unit": "lzxq", "indicator": "grp"}).json()
    assert api["results"][0]["release"] == second.number


def _enterprises(make_user, report, counts: dict[str, list[float]], period: str = "2018Q4"):
    """Enterprises per zone with the given output values (万元), approved 企业季报 of ``period``."""
    from lanbai.collection import services
    from lanbai.core.collection.creditcode import check_character
    from lanbai.plans.models import OrgUnit

    province = make_user("sdc_office", "province")
    n = 0
    for zone, outputs in counts.items():
        z = OrgUnit.objects.get(code=zone)
        for value in outputs:
            n += 1
            first = f"91620100MA{n:07d}"
            code = first + check_character(first)
            ent = services.enterprise_register(
                user=province, zone=z, credit_code=code, name=f"企业{n}", category="emerging"
            )
            values = {
                "credit_code": code, "enterprise_name": f"企业{n}", "industry": "bio", "category": "emerging",
                "high_tech": False, "revenue": value, "employees": 10, "output_value": value,
            }
            sub, _ = services.submission_save_version(
                user=province, form_code="兰白统Q2表", unit=ent.org_unit, period=period, values=values
            )
            services.submission_submit(user=province, submission=sub)
            services.submission_review(user=province, submission=sub, approve=True)
            services.submission_final_approve(user=province, submission=sub)


@pytest.mark.django_db
def test_a_cell_with_two_enterprises_is_suppressed_with_a_complement_on_page_and_download(
    client, report, make_user, publish
):
    for zone in ZONES:
        report(zone, "2018Q4", zone_values(GDP["2018Q4"][zone]))
    # 兰州新区: 2 enterprises (threshold rule); the others 3 enterprises of similar size
    _enterprises(make_user, report, {
        "lzxq": [5000, 4000], "lzgx": [3000, 3000, 3000], "lzjj": [2000, 2500, 2600], "bygx": [4000, 4100, 4200],
    })
    rel = publish("2018Q4")
    rows = {(r["org_unit"], r["indicator"]): r for r in rel.content["rows"]}
    assert rows[("lzxq", "output_value")]["suppressed"]  # primary
    siblings = [rows[(z, "output_value")]["suppressed"] for z in ("lzgx", "lzjj")]
    assert any(siblings)  # secondary: 兰州市 − the other two zones would give 兰州新区 away
    assert not rows[("lzxq", "grp")]["suppressed"]  # zone-form figures are not subject to the enterprise rules
    assert rel.content["disclosure"]["primary"] >= 1 and rel.content["disclosure"]["suppressed"] >= 2
    zone = client.get("/zones/lzxq/").content.decode()
    row = re.search(r'/indicators/output_value/".*?</tr>', zone, flags=re.S)
    assert row and "×" in row.group(0) and "0.9<" not in row.group(0)  # 9000 万元 = 0.9 亿元
    assert "因涉及单个企业数据予以保密" in zone
    values = client.get("/reports/open-data/values.json").content
    data = json.loads(values)
    cell = next(r for r in data["rows"] if r["org_unit"] == "lzxq" and r["indicator"] == "output_value")
    assert cell["value"] is None and cell["obs_status"] == "C" and cell["yoy_pct"] is None
    csv = client.get("/reports/open-data/values.csv").content.decode("utf-8-sig")
    line = next(x for x in csv.splitlines() if ",lzxq," in x and ",output_value," in x)
    assert ",C," in line
    assert "×" in rel.html and "因涉及单个企业数据予以保密" in rel.html
    detail = client.get(f"/api/reports/releases/{rel.pk}/").json()
    api_cell = next(r for r in detail["rows"] if r["org_unit"] == "lzxq" and r["indicator"] == "output_value")
    assert api_cell["value"] is None and api_cell["obs_status"] == "C" and api_cell["rule"] is None


@pytest.mark.django_db
def test_simulated_data_is_marked_on_pages_charts_and_downloads(client, report, publish):
    from lanbai.collection.models import Submission

    for zone in ZONES:
        report(zone, "2018Q2", zone_values(GDP["2018Q2"][zone]))
    Submission.objects.update(is_simulated=True)
    rel = publish("2018Q2")
    assert "模拟数据" in rel.html
    for url in ("/", "/zones/lzxq/", "/indicators/grp/"):
        assert "模拟数据" in client.get(url).content.decode(), url
    assert 'class="chart-note">模拟数据' in client.get("/indicators/grp/").content.decode()
    data = json.loads(client.get("/reports/open-data/values.json").content)
    assert {r["data_note"] for r in data["rows"]} == {"模拟数据"}


@pytest.mark.django_db
def test_demo_publishes_the_complete_periods_and_corrects_the_last(client, complete_periods, fast_pdf):
    from lanbai.core.periods import Quarter
    from lanbai.reports.demo import demo_publish
    from lanbai.reports.models import Release

    made = demo_publish([Quarter.parse(p) for p in ("2018Q2", "2018Q4", "2019Q2")])
    assert len(made) == 3  # 2018Q2, 2018Q4 and the correction of 2018Q4; 2019Q2 is incomplete
    assert not Release.objects.filter(period="2019Q2").exists()
    home = client.get("/").content.decode()
    assert "报告期：2018Q4" in home and "更正历史" in home and made[-1] in home


@pytest.mark.django_db
def test_staff_snapshot_keeps_the_releases_until_one_is_published(staff, complete_periods, publish):
    """The staff snapshot reuses the releases it read while no release was published or withdrawn; a
    publication shows on the next request (the row is no longer 未发布, the release is named)."""
    from lanbai.web import dashboard

    staff.get("/")
    first = dashboard.snapshot()
    assert "2018Q4" not in first.releases
    complete_periods("lzgx", "2019Q2", zone_values(366_666))  # an approval: the releases are kept
    staff.get("/")
    again = dashboard.snapshot()
    assert again is not first and again.current_releases is first.current_releases
    publish("2018Q4")
    html = staff.get("/zones/lzxq/").content.decode()
    snap = dashboard.snapshot()
    assert "2018Q4" in snap.releases and snap.releases["2018Q4"].number in html
    row = next(r for r in snap.rows["2018Q4"] if r.org_unit == "lzxq" and r.indicator == "grp")
    assert not row.unpublished and row.release == snap.releases["2018Q4"].number


@pytest.mark.django_db
def test_a_request_reads_one_snapshot_and_the_next_one_sees_an_approval(staff, complete_periods, monkeypatch):
    """Inside a request the helpers read the snapshot :func:`current` returned (one freshness check per
    request); once the request is over an approval shows in the next snapshot."""
    from lanbai.monitoring import selectors as monitoring
    from lanbai.web import dashboard

    checks = []
    real = monitoring.plan_and_freshness
    monkeypatch.setattr(monitoring, "plan_and_freshness", lambda *a: checks.append(1) or real(*a))
    staff.get("/")
    assert len(checks) == 1  # the home page's helpers asked no more
    monkeypatch.setattr(monitoring, "plan_and_freshness", real)
    before = dashboard.snapshot()  # outside a request: the current snapshot, not a kept one
    assert before is not None and dashboard._local.snap is None
    complete_periods("lzgx", "2019Q2", zone_values(377_777))
    after = dashboard.snapshot()
    assert after is not before
    row = next(r for r in after.rows["2019Q2"] if r.org_unit == "lzgx" and r.indicator == "grp")
    assert row.value == pytest.approx(37.7777)
