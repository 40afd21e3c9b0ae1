"""Pure core: projecting year-to-date figures to the year, and choosing the applicable target."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from lanbai.core.formulas import FieldSpec
from lanbai.core.formulas.parser import parse
from lanbai.core.formulas.scaling import time_scaled_indicators
from lanbai.core.progress import annual_target_of, annualise, applicable_targets
from lanbai.core.progress.annualise import NO_LAST_YEAR_RULE, YTD_RULE
from lanbai.core.progress.targets import TARGET_COLUMNS

NAN = np.nan


def frame(rows):
    return pd.DataFrame(rows, columns=["indicator", "value", "last_same", "last_full"])


def test_flows_are_projected_with_last_years_share_of_the_same_period():
    out = annualise(frame([("grp", 50.0, 40.0, 100.0)]), quarter=2, scaled={"grp"})
    assert out.loc[0, "assessed"] == pytest.approx(50 * 100 / 40)
    assert "50 × 100 / 40 = 125" in out.loc[0, "how"]
    assert out.loc[0, "yoy_pct"] == pytest.approx(25.0)


def test_ratios_q4_and_missing_last_year():
    out = annualise(
        frame([
            ("share", 2.0, 1.0, 1.5),  # does not scale: compared as it is
            ("grp", 80.0, NAN, NAN),  # scales, no last year: not assessable
            ("grp", 80.0, 0.0, 100.0),  # last year's same period 0: not assessable, no yoy
            ("grp", NAN, 40.0, 100.0),  # no value: nothing to project
        ]),
        quarter=3,
        scaled={"grp"},
    )
    assert out.loc[0, "assessed"] == 2.0 and out.loc[0, "how"] == YTD_RULE
    assert math.isnan(out.loc[1, "assessed"]) and out.loc[1, "how"] == NO_LAST_YEAR_RULE
    assert math.isnan(out.loc[2, "assessed"]) and math.isnan(out.loc[2, "yoy_pct"])
    assert math.isnan(out.loc[3, "assessed"]) and out.loc[3, "how"] == YTD_RULE
    q4 = annualise(frame([("grp", 80.0, 40.0, 100.0)]), quarter=4, scaled={"grp"})
    assert q4.loc[0, "assessed"] == 80.0 and q4.loc[0, "how"] == YTD_RULE


def targets(rows):
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)


def test_a_stated_target_with_a_baseline_wins_then_the_first():
    t = targets([
        ("u", "grp", "target", "", 2020, 500.0, "=", NAN, NAN, "专栏1"),
        ("u", "grp", "target", "", 2020, 600.0, ">=", 2014, 96.4, "附件1"),
        ("u", "grp", "target", "", 2020, 700.0, "=", 2014, 90.0, "附件9"),
        ("u", "grp", "annual", "total", 2015, 100.0, "=", NAN, NAN, "附件2"),
        ("v", "grp", "target", "", 2020, 10.0, "=", NAN, NAN, "专栏1"),
    ])
    out = applicable_targets(t).set_index(["unit", "indicator"])
    assert out.loc[("u", "grp"), "target_value"] == 600.0 and out.loc[("u", "grp"), "source"] == "附件1"
    assert out.loc[("u", "grp"), "base_year"] == 2014 and out.loc[("u", "grp"), "comparator"] == ">="
    assert out.loc[("v", "grp"), "target_value"] == 10.0 and math.isnan(out.loc[("v", "grp"), "base_year"])


def test_annual_targets_give_the_path_when_no_target_is_stated():
    t = targets([
        ("u", "grp", "annual", "industry", 2014, 1.0, "=", NAN, NAN, "附件3"),
        ("u", "grp", "annual", "total", 2016, 20.0, "=", NAN, NAN, "附件2"),
        ("u", "grp", "annual", "total", 2015, 10.0, "=", NAN, NAN, "附件2"),
        ("u", "grp", "annual", "", 2020, 50.0, "=", NAN, NAN, "附件2"),
    ])
    row = applicable_targets(t).iloc[0]
    assert (row["base_year"], row["base_value"], row["target_year"], row["target_value"]) == (2015, 10.0, 2020, 50.0)
    assert row["comparator"] == "=" and row["source"] == "附件3"  # the first annual target's source
    assert annual_target_of(t, 2016).to_dict() == {("u", "grp"): 20.0}
    assert applicable_targets(targets([])).empty


def test_flows_scale_with_time_ratios_of_flows_do_not():
    def field(code, nature):
        return FieldSpec(code=code, label=code, unit=None, level="zone", nature=nature, type="decimal")

    fields = {f.code: f for f in (field("gdp", "flow"), field("pop", "stock"), field("rd", "flow"))}
    exprs = {"grp": "gdp", "per_head": "gdp / pop", "rd_intensity": "rd / gdp * 100", "twice": "ind:grp * 2"}
    fset = SimpleNamespace(
        fields=fields, formulas={k: SimpleNamespace(ast=parse(e)) for k, e in exprs.items()}
    )
    assert time_scaled_indicators(fset) == {"grp", "per_head", "twice"}
