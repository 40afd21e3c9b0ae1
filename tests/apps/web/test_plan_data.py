"""The public plan-data page: every figure with kind / comparator / approx / source, and the alliances
of 四（一） that disagree with 附件5."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _cells(html: str, code: str) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)]
            for r in rows if code in r]


def test_plan_page_lists_baselines_with_kind_comparator_and_source(shipped_plan_in_db):
    c = Client()
    page = c.get("/plan/?kind=baseline&source=专栏1").content.decode()
    rows = _cells(page, "地区生产总值")
    assert ["兰白试验区", "地区生产总值", "2014", "基期值", "=", "552.4", "亿元", "否", "专栏1"] in rows
    assert "目标值" not in "".join(" ".join(r) for r in rows)
    everything = c.get("/plan/").content.decode()
    n = re.search(r"显示 (\d+) 项，共 (\d+) 项", everything)
    assert n and n.group(1) == n.group(2) and int(n.group(1)) > 600
    assert "左右" in everything  # an approximate figure keeps the plan's wording
    assert 'href="/plan/"' in c.get("/").content.decode()  # linked from the navigation


def test_plan_page_reports_each_alliance_disagreement(shipped_plan_in_db):
    page = Client().get("/plan/").content.decode()
    section = page.split('id="alliances"')[1].split("<h3>")[0]
    disagreements = [r for r in _cells(section, "四（一）") if len(r) == 5]
    assert len(disagreements) == 6
    assert ["生物产业 联盟数：四（一）2 与 附件5 不符", "四（一）2 生物产业（10个） vs 附件5 生物医药（13个）",
            "10", "13", "+3"] in disagreements
    assert "四（一）合计 160 个，附件5 合计 160 个" in section
