"""The recognition criteria and policy articles as shipped in plans/lanbai-2015-2020 (validated by the schema)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lanbai.core.plan.schema import PolicyArticle, RecognitionCriterion

PLAN_DIR = Path(__file__).resolve().parents[3] / "plans" / "lanbai-2015-2020"


def _section(file: str, section: str) -> list[dict]:
    return yaml.safe_load((PLAN_DIR / file).read_text(encoding="utf-8"))[section]


@pytest.fixture(scope="session")
def criteria() -> list[RecognitionCriterion]:
    return [
        RecognitionCriterion.model_validate(c) for c in _section("enterprises.yaml", "recognition_criteria")
    ]


@pytest.fixture(scope="session")
def articles() -> list[PolicyArticle]:
    return [PolicyArticle.model_validate(a) for a in _section("policies.yaml", "policy_articles")]
