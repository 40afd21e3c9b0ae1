"""Small hand-made plans, built in tmp_path from dicts (one dict per YAML file)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

BASE: dict[str, dict[str, Any]] = {
    "plan.yaml": {
        "plan": {
            "code": "mini",
            "name": "小规划",
            "title": "小规划（2015-2020年）",
            "issued_by": "甘肃省人民政府",
            "issued_on": "2016-04-28",
            "start_year": 2015,
            "end_year": 2020,
            "baseline_year": 2014,
            "root_unit": "lanbai",
            "source": "前言",
        }
    },
    "organisation.yaml": {
        "org_units": [
            {"code": "lanbai", "name": "兰白试验区", "kind": "pilot_zone", "source": "二（一）"},
            {"code": "lanzhou", "name": "兰州市", "kind": "city", "parent": "lanbai", "source": "二（一）"},
            {
                "code": "xinqu",
                "name": "兰州新区",
                "kind": "zone",
                "parent": "lanzhou",
                "leading_industries": ["石化"],
                "source": "专栏5",
            },
            {"code": "gaoxin", "name": "兰州高新区", "kind": "zone", "parent": "lanzhou", "source": "专栏6"},
            {"code": "park1", "name": "石化产业园", "kind": "park", "parent": "xinqu", "source": "专栏5"},
            {
                "code": "four_zones",
                "name": "4区合计",
                "kind": "aggregate",
                "members": ["xinqu", "gaoxin"],
                "source": "附件2",
            },
        ]
    },
    "indicators.yaml": {
        "indicators": [
            {
                "code": "gdp",
                "name": "地区生产总值",
                "unit": "亿元",
                "direction": "increase",
                "kind": "level",
                "source": "专栏1",
            },
            {
                "code": "rd_share",
                "name": "全社会研发投入占GDP的比重",
                "unit": "%",
                "direction": "increase",
                "kind": "share",
                "source": "专栏1",
            },
            {
                "code": "output",
                "name": "优势特色产业产值",
                "unit": "亿元",
                "direction": "increase",
                "kind": "flow_total",
                "source": "附件2",
            },
            {
                "code": "jobs",
                "name": "新增就业",
                "unit": "人",
                "direction": "increase",
                "kind": "flow_total",
                "source": "附件3",
            },
            {
                "code": "alliances",
                "name": "产业技术创新战略联盟",
                "unit": "个",
                "direction": "increase",
                "kind": "count",
                "source": "二（四）",
            },
        ],
        "targets": [
            {
                "indicator": "gdp",
                "org_unit": "lanbai",
                "baseline": {"year": 2014, "value": 552.4},
                "target": {"year": 2020, "value": 1377},
                "source": "专栏1",
            },
        ],
    },
}


@pytest.fixture
def base_plan() -> dict[str, dict[str, Any]]:
    """A fresh copy of a valid small plan (file name -> sections)."""
    return copy.deepcopy(BASE)


@pytest.fixture
def write_plan(tmp_path: Path) -> Callable[[dict[str, dict[str, Any]]], Path]:
    """Write a plan dict into a new directory under tmp_path and return the directory."""
    counter = {"n": 0}

    def write(files: dict[str, Any]) -> Path:
        counter["n"] += 1
        d = tmp_path / f"plan{counter['n']}"
        d.mkdir()
        for name, content in files.items():
            text = (
                content
                if isinstance(content, str)
                else yaml.safe_dump(content, allow_unicode=True, sort_keys=False)
            )
            (d / name).write_text(text, encoding="utf-8")
        return d

    return write
