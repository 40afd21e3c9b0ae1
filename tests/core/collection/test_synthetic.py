"""The synthetic workbook writer used by the import benchmark."""

from __future__ import annotations

from lanbai.core.collection import is_valid_credit_code, read_workbook
from lanbai.core.collection.synthetic import enterprise_workbook, random_credit_codes


def test_synthetic_workbook_is_read_without_problems(ent, forms):
    data = enterprise_workbook(ent, 300, seed=1)
    r = read_workbook(
        data, filename="bench.xlsx", forms=forms, expected_form=ent.code, expected_period="2018Q2"
    )
    assert r.ok, r.problems[:5]
    assert len(r.records) == 300 and r.row_numbers[0] == 6 and r.row_numbers[-1] == 305


def test_random_credit_codes_are_valid():
    import numpy as np

    codes = random_credit_codes(500, rng=np.random.default_rng(3))
    assert all(is_valid_credit_code(c) and c.startswith("9162") for c in codes)
