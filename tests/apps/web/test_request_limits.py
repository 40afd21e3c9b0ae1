"""Hostile JSON bodies get a 400 that names where and which limit, never a 500 (issue 13 item 5)."""

from __future__ import annotations

import io
import json

import pytest
from rest_framework.exceptions import ParseError

from lanbai.common.parsers import MAX_DEPTH, BoundedJSONParser


def parse(text: str):
    return BoundedJSONParser().parse(io.BytesIO(text.encode()), "application/json", {})


def test_plain_bodies_parse_as_before():
    body = {"form_code": "兰白统Q1表", "records": [{"gdp": 123.5, "n": 12, "ok": True, "none": None}]}
    assert parse(json.dumps(body, ensure_ascii=False)) == body


def test_deep_nesting_is_refused_with_the_limit():
    with pytest.raises(ParseError, match=f"至多 {MAX_DEPTH} 层"):
        parse("[" * 1000 + "]" * 1000)
    with pytest.raises(ParseError, match="嵌套过深"):
        parse("[" * 100_000 + "]" * 100_000)  # deeper than the interpreter's recursion limit


def test_a_400_digit_number_is_refused_naming_its_place():
    body = '{"records": [{"gdp": 1}, {"gdp": ' + "9" * 400 + "}]}"
    with pytest.raises(ParseError, match=r"records\[1\]\.gdp：数字位数过多或过大"):
        parse(body)
    with pytest.raises(ParseError, match=r"records\[0\]\.x"):
        parse('{"records": [{"x": 1e999}]}')


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_constants_are_refused(constant):
    with pytest.raises(ParseError, match="不是有效的 JSON 数值"):
        parse('{"records": [{"gdp": ' + constant + "}]}")


@pytest.mark.django_db
def test_the_api_answers_400_not_500(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("poster", password="x" * 12))
    resp = client.post("/api/collection/reports/", "[" * 1000 + "]" * 1000, content_type="application/json")
    assert resp.status_code == 400 and "嵌套过深" in resp.json()["message"]
    big = '{"form_code": "兰白统Q1表", "period": "2018Q2", "unit": "lzxq", "records": [{"gdp": ' + "9" * 400 + "}]}"
    resp = client.post("/api/collection/reports/", big, content_type="application/json")
    assert resp.status_code == 400 and "records[0].gdp" in resp.json()["message"]


@pytest.mark.django_db
def test_a_busy_database_is_a_503_asking_to_retry(client, django_user_model, monkeypatch):
    from django.db import OperationalError

    from lanbai.collection.api import views as api_views

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    client.force_login(django_user_model.objects.create_user("busy", password="x" * 12))
    monkeypatch.setattr(api_views.ReportSubmitJsonApi, "post", locked)
    resp = client.post("/api/collection/reports/", {}, content_type="application/json")
    assert resp.status_code == 503 and resp["Retry-After"] == "5" and "稍后重试" in resp.json()["message"]
    from django.test import RequestFactory

    from lanbai.common.middleware import ApplicationErrorMiddleware

    request = RequestFactory().post("/collection/upload/")
    request.user = django_user_model.objects.get(username="busy")
    page = ApplicationErrorMiddleware(lambda r: None).process_exception(request, OperationalError("database is locked"))
    assert page.status_code == 503 and page["Retry-After"] == "5"
    assert "系统繁忙，请稍后重试" in page.content.decode()


def test_the_busy_refusal_recognises_sqlite_messages():
    from django.db import OperationalError

    from lanbai.common.exceptions import database_busy

    assert database_busy(OperationalError("database is locked"))
    assert not database_busy(OperationalError("no such table: x")) and not database_busy(ValueError("locked"))
