"""Scheme versions (issue 16 item 4): a change needs a new version; a year keeps the scheme it was scored with."""

from __future__ import annotations

import shutil

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_copy(tmp_path, shipped_plan_dir):
    target = tmp_path / "plan"
    shutil.copytree(shipped_plan_dir, target)
    return target


def _edit(plan, old, new):
    path = plan / "assessment" / "scheme.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_changed_scheme_is_a_new_version_and_old_years_keep_theirs(measures, plan_copy, today):
    from lanbai.assessment import selectors, services
    from lanbai.common.exceptions import ConflictError

    first = services.assessment_compute(None, year=2019, plan_dir=plan_copy, today=today)
    assert first.scheme.version == 1
    _edit(plan_copy, "{grade: 优秀, min: 90}", "{grade: 优秀, min: 85}")
    with pytest.raises(ConflictError) as exc:
        services.assessment_scheme_register(None, plan_dir=plan_copy)
    assert "版本号仍为 1" in exc.value.message
    _edit(plan_copy, "version: 1", "version: 2")
    again = services.assessment_compute(None, year=2019, plan_dir=plan_copy, today=today)
    assert again.scheme.version == 1  # 2019 keeps the scheme it was scored with
    assert services.assessment_compute(None, year=2018, plan_dir=plan_copy, today=today).scheme.version == 2
    rescored = services.assessment_compute(None, year=2019, plan_dir=plan_copy, rescore=True, today=today)
    assert rescored.scheme.version == 2
    assert selectors.run_latest(2019) == rescored
    assert selectors.scheme_get(1).document["bands"][0]["min"] == 90  # the old version is kept as it was


def test_an_invalid_scheme_names_file_and_field(measures, plan_copy):
    from lanbai.assessment import services
    from lanbai.common.exceptions import ValidationFailed

    _edit(plan_copy, "weight: 40", "weight: 45")
    with pytest.raises(ValidationFailed) as exc:
        services.assessment_compute(None, year=2019, plan_dir=plan_copy)
    assert "scheme.yaml" in exc.value.message and "add up to 100" in exc.value.message
