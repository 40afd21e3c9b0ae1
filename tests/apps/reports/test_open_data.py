"""Open data: published values only (filters, ordering, errors never reveal unpublished data), files, DCAT."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from lanbai.reports import services
from lanbai.reports.selectors import COLUMN_NAMES


@pytest.fixture
def published(two_years):
    """2018Q4 published; 2018Q2 only a draft; 2019Q2 only submitted."""
    pub = services.release_create(kind="bulletin", period="2018Q4", publish=True, confirm_incomplete=True)
    draft = services.release_create(kind="bulletin", period="2018Q2")
    return pub, draft


@pytest.mark.django_db
def test_api_is_public_and_lists_published_values_only(client, published):
    pub, draft = published
    body = client.get("/api/reports/values/").json()
    assert body["count"] > 0 and {r["period"] for r in body["results"]} == {"2018Q4"}
    assert {r["release"] for r in body["results"]} == {pub.number}
    grp = client.get("/api/reports/values/", {"unit": "lanbai", "indicator": "grp"}).json()["results"]
    assert len(grp) == 1 and grp[0]["value"] == pytest.approx(253.0) and grp[0]["status"]


@pytest.mark.django_db
def test_unpublished_data_never_leaks_through_filters_ordering_or_errors(client, published):
    pub, draft = published
    assert client.get("/api/reports/values/", {"period": "2018Q2"}).json() == {"count": 0, "results": []}
    assert client.get("/api/reports/values/", {"period": "2019Q2", "unit": "lzxq"}).json()["count"] == 0
    ordered = client.get("/api/reports/values/", {"ordering": "-value"}).json()["results"]
    assert all(r["period"] == "2018Q4" for r in ordered)
    values = [r["value"] for r in ordered if r["value"] is not None]
    assert values == sorted(values, reverse=True)
    bad = client.get("/api/reports/values/", {"ordering": "secret_field"})
    assert bad.status_code == 400 and "2018Q2" not in bad.content.decode()
    # a draft and a release that does not exist look exactly alike
    hidden, missing = (
        client.get(f"/api/reports/releases/{draft.pk}/"),
        client.get("/api/reports/releases/99999/"),
    )
    assert hidden.status_code == missing.status_code == 404 and hidden.content == missing.content
    assert [r["number"] for r in client.get("/api/reports/releases/").json()] == [pub.number]
    for url in (f"/reports/{draft.pk}/", f"/reports/{draft.pk}/file.pdf", f"/reports/{draft.pk}/file.html"):
        assert client.get(url).status_code == 404
    everything = b"".join(client.get(f"/reports/open-data/values.{f}").content for f in ("csv", "json"))
    assert b"2018Q2" not in everything and b"99.9999" not in everything


@pytest.mark.django_db
def test_downloads_in_three_formats_agree(client, published):
    api = client.get("/api/reports/values/").json()["results"]
    text = client.get("/reports/open-data/values.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0].keys()) == COLUMN_NAMES and len(rows) == len(api)
    js = json.loads(client.get("/reports/open-data/values.json").content)
    assert js["columns"] == COLUMN_NAMES and js["rows"] == api
    wb = load_workbook(io.BytesIO(client.get("/reports/open-data/values.xlsx").content))
    assert wb["data"].max_row == len(api) + 1 and wb["dictionary"].max_row == len(COLUMN_NAMES) + 1


@pytest.mark.django_db
def test_dictionary_page_and_api_type_every_column(client, published):
    html = client.get("/reports/open-data/dictionary/").content.decode()
    for name in COLUMN_NAMES:
        assert f"<code>{name}</code>" in html
    assert "万元GDP能耗" in html and "吨标准煤" in html and "亿元" in html
    api = client.get("/api/reports/dictionary/").json()
    assert [c["name"] for c in api] == COLUMN_NAMES and all(c["type"] for c in api)


@pytest.mark.django_db
def test_dcat_catalogue_lists_datasets_and_distributions(client, published):
    pub, draft = published
    resp = client.get("/reports/catalog.jsonld")
    assert resp["Content-Type"].startswith("application/ld+json")
    cat = resp.json()
    assert cat["@type"] == "dcat:Catalog" and "dcat" in cat["@context"]
    ids = [d["dct:identifier"] for d in cat["dcat:dataset"]]
    assert ids == ["lanbai-indicator-values", pub.number]  # the draft is not catalogued
    for ds in cat["dcat:dataset"]:
        assert ds["@type"] == "dcat:Dataset" and ds["dct:license"] and ds["dct:publisher"]["foaf:name"]
        assert ds["dct:issued"] and ds["dct:modified"]
        for dist in ds["dcat:distribution"]:
            assert (
                dist["@type"] == "dcat:Distribution" and dist["dcat:mediaType"] and dist["dcat:downloadURL"]
            )
    media = {d["dcat:mediaType"] for d in cat["dcat:dataset"][0]["dcat:distribution"]}
    assert media == {
        "text/csv",
        "application/json",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }


@pytest.mark.django_db
def test_after_a_correction_open_data_comes_from_the_new_release(client, published):
    pub, _ = published
    new = services.release_correct(pub, note="复核", confirm_incomplete=True)
    rows = client.get("/api/reports/values/").json()["results"]
    assert {r["release"] for r in rows} == {new.number}
    releases = {r["number"]: r for r in client.get("/api/reports/releases/").json()}
    assert releases[pub.number]["current"] is False and releases[new.number]["supersedes"] == pub.number


@pytest.mark.django_db
def test_only_the_province_office_builds_and_publishes(client, published, make_user):
    _, draft = published
    client.force_login(make_user("zone_filler", "zone_reporter", "lzxq"))
    assert client.post("/reports/new/", {"kind": "bulletin", "period": "2018Q4"}).status_code == 404
    assert client.post(f"/reports/{draft.pk}/publish/").status_code == 404
    client.force_login(make_user("office", "province"))
    assert client.get(f"/reports/{draft.pk}/").status_code == 200
    resp = client.post(f"/reports/{draft.pk}/publish/", {"confirm_incomplete": "1"})
    assert resp.status_code == 302
    assert client.get("/api/reports/values/", {"period": "2018Q2"}).json()["count"] > 0
