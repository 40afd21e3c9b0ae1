"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PLAN_DIR = REPO / "plans" / "lanbai-2015-2020"


@pytest.fixture(scope="session")
def shipped_plan_dir() -> Path:
    return PLAN_DIR


@pytest.fixture(scope="session")
def shipped_plan():
    from lanbai.core.plan import load_plan

    return load_plan(PLAN_DIR)
