"""The home page lists the zones and the 专栏1 indicators from the database."""

from __future__ import annotations

import pytest

from lanbai.plans.services import plan_load_into_db


@pytest.mark.django_db
def test_home_lists_zones_and_headline_indicators(client, shipped_plan_dir):
    plan_load_into_db(plan_dir=shipped_plan_dir)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for zone in ("兰州新区", "兰州高新区", "兰州经济区", "白银高新区"):
        assert zone in html
    for name in ("地区生产总值", "全社会研发投入占GDP的比重", "万元GDP能耗"):
        assert name in html
    assert "1377" in html and "552.4" in html


@pytest.mark.django_db
def test_plan_api_is_public_and_lists_indicators(client, shipped_plan_dir):
    plan_load_into_db(plan_dir=shipped_plan_dir)
    response = client.get("/api/plans/indicators/grp/")
    assert response.status_code == 200
    assert response.json()["unit"] == "亿元"
