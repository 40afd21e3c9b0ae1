"""Architecture guards: they read the source (ast) and the import graph (grimp); no database."""

from __future__ import annotations

from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "lanbai"


@pytest.fixture(scope="session")
def src() -> Path:
    return SRC
