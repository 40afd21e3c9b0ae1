"""The sample design as data: the plan's design.yaml, unknown keys refused, a seed per year."""

from pathlib import Path

import pandas as pd
import pytest
import yaml

from lanbai.core.survey import design_from_data, select_sample

PLAN = Path(__file__).resolve().parents[3] / "plans" / "lanbai-2015-2020" / "survey" / "design.yaml"


def test_plan_design_loads_with_a_seed_per_year():
    data = yaml.safe_load(PLAN.read_text(encoding="utf-8"))
    d19 = design_from_data(data, year=2019)
    assert d19.census_min_employees == 300 and d19.size_bands == (0, 20, 100)
    assert d19.seed == 2018 + 2019
    frame = pd.DataFrame({"unit": [f"e{i}" for i in range(40)], "zone": "lz", "employees": [50] * 40})
    s19 = select_sample(frame, design=d19)
    s20 = select_sample(frame, design=design_from_data(data, year=2020))
    assert s19["selected"].sum() == s20["selected"].sum() == 12
    assert list(select_sample(frame, design=d19)["selected"]) == list(s19["selected"])
    assert list(s19["selected"]) != list(s20["selected"])


def test_unknown_key_and_bad_value_are_named():
    with pytest.raises(ValueError, match="design.yaml: unknown key\\(s\\) 'fraction'"):
        design_from_data({"fraction": 0.2}, source="design.yaml")
    with pytest.raises(ValueError, match="design.yaml: sampling_fraction must be in"):
        design_from_data({"sampling_fraction": 1.5}, source="design.yaml")
