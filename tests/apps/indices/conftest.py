"""Index tests reuse the monitoring fixtures (approved zone reports through the real workflow)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "monitoring_fixtures", Path(__file__).resolve().parents[1] / "monitoring" / "conftest.py"
)
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)
report = _mod.report
shipped_plan_in_db = _mod.shipped_plan_in_db
