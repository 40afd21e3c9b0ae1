"""Where the shipped plan data lives."""

from __future__ import annotations

import os
from pathlib import Path

PLAN_ENV = "LANBAI_PLAN_DIR"


def default_plan_dir() -> Path:
    """The plan directory: ``$LANBAI_PLAN_DIR`` or the repository's ``plans/lanbai-2015-2020``."""
    env = os.environ.get(PLAN_ENV)
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[4] / "plans" / "lanbai-2015-2020"
