"""The evaluation scheme as versioned data: validation names the key; a changed file needs a new version."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from lanbai.core.evaluation import EvaluationSchemeFileError, load_scheme, parse_scheme, weighted_score

SHIPPED = Path(__file__).resolve().parents[3] / "plans" / "lanbai-2015-2020"


def _data() -> dict:
    return yaml.safe_load((SHIPPED / "evaluation" / "scheme.yaml").read_text(encoding="utf-8"))


def test_shipped_scheme_is_valid_and_weights_add_to_100():
    scheme = load_scheme(SHIPPED / "evaluation" / "scheme.yaml")
    assert sum(c.weight for c in scheme.criteria) == 100
    full = {c.code: c.scale for c in scheme.criteria}
    assert weighted_score(scheme.core_criteria(), full) == 100
    assert sum(c.weight for c in scheme.measure_criteria) == 100  # v2: the part for plan measures
    assert weighted_score(scheme.core_criteria("measures"), {c.code: c.scale for c in scheme.measure_criteria}) == 100


def test_a_measure_part_is_checked_like_the_unit_part_and_v1_has_none():
    from lanbai.core.evaluation import EvaluationSchemeError

    data = _data()
    data["measure_criteria"][1]["weight"] = 0
    with pytest.raises(EvaluationSchemeFileError) as exc:
        parse_scheme(data)
    assert exc.value.field == "measure_criteria[1](evidence).weight"
    data = _data()
    data["measure_criteria"][0]["weight"] = 41
    with pytest.raises(EvaluationSchemeFileError, match="measure_criteria: weights must add up to 100"):
        parse_scheme(data)
    data = _data()
    del data["measure_criteria"]
    data["version"] = 1
    with pytest.raises(EvaluationSchemeError, match="举措"):
        parse_scheme(data).core_criteria("measures")


def test_bad_weight_names_the_criterion_key():
    data = _data()
    data["criteria"][2]["weight"] = -1
    with pytest.raises(EvaluationSchemeFileError) as exc:
        parse_scheme(data, file="scheme.yaml")
    assert exc.value.field == "criteria[2](innovation).weight"


def test_weights_not_adding_to_100_and_missing_guidance_are_refused():
    data = _data()
    data["criteria"][0]["weight"] = 31
    with pytest.raises(EvaluationSchemeFileError, match="add up to 100"):
        parse_scheme(data)
    data = _data()
    del data["criteria"][1]["guidance"]
    with pytest.raises(EvaluationSchemeFileError) as exc:
        parse_scheme(data)
    assert exc.value.field == "criteria[1](tasks).guidance"


@pytest.mark.django_db
def test_register_is_idempotent_and_a_changed_file_needs_a_new_version(tmp_path):
    from lanbai.common.exceptions import ConflictError, PermissionDeniedError
    from lanbai.evaluation import services
    from lanbai.evaluation.models import EvaluationScheme

    first = services.evaluation_scheme_register(None, plan_dir=SHIPPED)
    assert services.evaluation_scheme_register(None, plan_dir=SHIPPED).pk == first.pk
    plan = tmp_path / "plan"
    (plan / "evaluation").mkdir(parents=True)
    shutil.copy(SHIPPED / "evaluation" / "scheme.yaml", plan / "evaluation" / "scheme.yaml")
    data = _data()
    data["name"] = "改过的名称"
    (plan / "evaluation" / "scheme.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    with pytest.raises(ConflictError, match="新版本号"):
        services.evaluation_scheme_register(None, plan_dir=plan)
    data["version"] += 1  # the shipped file's next version
    (plan / "evaluation" / "scheme.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    assert services.evaluation_scheme_register(None, plan_dir=plan).version == first.version + 1
    with pytest.raises(PermissionDeniedError):
        services.evaluation_scheme_register(object(), plan_dir=SHIPPED)
    assert EvaluationScheme.objects.count() == 2


@pytest.mark.django_db
def test_cli_registers_the_scheme_and_names_a_bad_key(tmp_path):
    from typer.testing import CliRunner

    from lanbai.cli.main import app

    res = CliRunner().invoke(app, ["evaluation", "scheme", "--plan-dir", str(SHIPPED)])
    assert res.exit_code == 0 and "评估指标体系 v2" in res.output and "创新能力与成果" in res.output
    data = _data()
    data["criteria"][0]["scale"] = 0
    (tmp_path / "evaluation").mkdir()
    (tmp_path / "evaluation" / "scheme.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    res = CliRunner().invoke(app, ["evaluation", "scheme", "--plan-dir", str(tmp_path)])
    assert res.exit_code == 2 and "criteria[0](targets).scale" in res.output
