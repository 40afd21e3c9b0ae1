"""The shipped field catalogue and formulas, and formula checks at plan load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from lanbai.core.formulas import FormulaSpec, compile_formulas
from lanbai.core.formulas.plan_check import field_specs, formula_specs, plan_formulas
from lanbai.core.plan import PlanError, load_plan
from lanbai.core.plan.schema.formulas import FieldDef, FormulaDef

PLAN = Path(__file__).resolve().parents[3] / "plans" / "lanbai-2015-2020"
HEADLINE = [
    "grp",
    "rd_intensity",
    "fiscal_st_share",
    "hightech_va_share",
    "emerging_va_share_gdp",
    "hightech_labour_productivity",
    "rd_personnel_per_10k",
    "invention_patents_per_10k",
    "tech_contract_turnover",
    "energy_per_10k_gdp",
]
SERIES = ["output_value", "industrial_va", "industry_tax", "new_jobs"]


def shipped() -> tuple[list[FieldDef], list[FormulaDef]]:
    fields = [
        FieldDef.model_validate(r)
        for r in yaml.safe_load((PLAN / "fields.yaml").read_text("utf-8"))["fields"]
    ]
    formulas = [
        FormulaDef.model_validate(r)
        for r in yaml.safe_load((PLAN / "formulas.yaml").read_text("utf-8"))["formulas"]
    ]
    return fields, formulas


def test_shipped_formulas_cover_every_indicator_and_series_and_compile() -> None:
    fields, formulas = shipped()
    keys = {(f.indicator, f.category) for f in formulas}
    assert {(c, "total") for c in HEADLINE} <= keys
    assert {(s, c) for s in SERIES for c in ("traditional", "emerging", "total")} <= keys
    specs = {f.code: f for f in fields}
    from lanbai.core.formulas import FieldSpec

    catalogue = {
        f.code: FieldSpec(f.code, f.label, f.unit, f.level, f.nature, f.type, tuple(f.choices))
        for f in specs.values()
    }
    fset = compile_formulas(
        [FormulaSpec(f.indicator, f.expr, f.unit, f.category) for f in formulas], catalogue
    )
    # both levels of the form feed the formulas
    levels = {catalogue[i.field].level for i in fset.inputs.values()}
    assert levels == {"zone", "enterprise"}


def test_field_schema_rules() -> None:
    with pytest.raises(ValueError, match="unit and a nature"):
        FieldDef.model_validate(
            {"code": "x", "label": "x", "level": "zone", "type": "decimal", "description": "d"}
        )
    with pytest.raises(ValueError, match="未知单位"):
        FieldDef.model_validate(
            {
                "code": "x",
                "label": "x",
                "unit": "美元",
                "nature": "flow",
                "level": "zone",
                "type": "decimal",
                "description": "d",
            }
        )
    with pytest.raises(ValueError, match="no unit"):
        FieldDef.model_validate(
            {"code": "x", "label": "x", "unit": "元", "level": "zone", "type": "bool", "description": "d"}
        )


def _plan_dir(tmp_path: Path, formulas_text: str | None = None) -> Path:
    d = tmp_path / "plan"
    d.mkdir()
    shutil.copy(PLAN / "plan.yaml", d / "plan.yaml")
    shutil.copy(PLAN / "fields.yaml", d / "fields.yaml")
    if formulas_text is None:
        shutil.copy(PLAN / "formulas.yaml", d / "formulas.yaml")
    else:
        (d / "formulas.yaml").write_text(formulas_text, "utf-8")
    org = {"org_units": [{"code": "lanbai", "name": "兰白试验区", "kind": "pilot_zone", "source": "前言"}]}
    inds = {
        "indicators": [
            {"code": c, "name": c, "unit": "1", "direction": "increase", "kind": "level", "source": "专栏1"}
            for c in HEADLINE + SERIES
        ]
    }
    (d / "org.yaml").write_text(yaml.safe_dump(org, allow_unicode=True), "utf-8")
    (d / "ind.yaml").write_text(yaml.safe_dump(inds, allow_unicode=True), "utf-8")
    return d


def test_plan_with_shipped_formulas_loads(tmp_path: Path) -> None:
    plan = load_plan(_plan_dir(tmp_path))
    fset = plan_formulas(plan)
    assert len(fset.formulas) == len(plan.formulas) == 22
    assert len(field_specs(plan)) == len(plan.fields)
    assert formula_specs(plan)[0].code == "grp"


def test_bad_formula_refused_at_load_with_file_path_and_column(tmp_path: Path) -> None:
    text = """formulas:
  - {indicator: grp, unit: 亿元, source: 专栏1, expr: 'convert(gdp, "万元", "亿元")'}
  - {indicator: rd_intensity, unit: "%", source: 专栏1, expr: 'gdp + rd_staff'}
  - {indicator: fiscal_st_share, unit: "%", source: 专栏1, expr: 'ind:fiscal_st_share'}
  - {indicator: nope, unit: "%", source: 专栏1, expr: 'gpd'}
"""
    with pytest.raises(PlanError) as info:
        load_plan(_plan_dir(tmp_path, text))
    issues = {(i.path, i.rule): i for i in info.value.issues}
    assert all(i.file == "formulas.yaml" for i in info.value.issues)
    mix = issues[("formulas[1].expr", "unit-mismatch")]
    assert "rd_intensity" in mix.message and "第7列" in mix.message and "gdp + rd_staff" in mix.message
    assert ("formulas[2].expr", "cycle") in issues
    assert ("formulas[3].indicator", "unknown-reference") in issues
    unknown = issues[("formulas[3].expr", "unknown-field")]
    assert "'gpd'" in unknown.message and "第1列" in unknown.message
