"""GB 32100-2015 unified social credit codes: the check character."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lanbai.core.collection.creditcode import (
    ALPHABET,
    WEIGHTS,
    check_character,
    classify,
    classify_many,
    is_valid,
)

# Published codes of real enterprises (e.g. on their business licences), all with correct check characters.
KNOWN_VALID = [
    "91350100M000100Y43",
    "914403001922038216",
    "91110108551385082Q",
    "91440300708461136T",
    "91310000775785552L",
]

body = st.text(alphabet=ALPHABET, min_size=17, max_size=17)


def test_alphabet_and_weights_follow_the_standard():
    assert len(ALPHABET) == 31 and not set("IOSVZ") & set(ALPHABET)
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_known_codes_are_valid(code):
    assert is_valid(code)
    assert check_character(code[:17]) == code[17]


@pytest.mark.parametrize(
    ("code", "rule"),
    [
        ("91350100M000100Y44", "credit_code.check"),
        ("91350100M000100Y4", "credit_code.format"),  # 17 characters
        ("91350100M000100Y433", "credit_code.format"),  # 19
        ("91350100I000100Y43", "credit_code.format"),  # I is not in the set
        ("91350100m000100Y43", "credit_code.format"),  # lower case
        ("９1350100M000100Y43", "credit_code.format"),  # full-width digit (normalised earlier, not here)
    ],
)
def test_bad_codes_are_classified(code, rule):
    assert classify(code) == rule


def test_check_character_rejects_bad_input():
    with pytest.raises(ValueError, match="17 characters"):
        check_character("123")
    with pytest.raises(ValueError, match="position 3"):
        check_character("91O" + "0" * 14)


@given(body)
def test_a_code_with_its_check_character_is_valid(first17):
    assert is_valid(first17 + check_character(first17))


@given(body, st.integers(0, 17), st.integers(1, 30))
def test_any_single_character_change_is_caught(first17, pos, shift):
    code = first17 + check_character(first17)
    changed = code[:pos] + ALPHABET[(ALPHABET.index(code[pos]) + shift) % 31] + code[pos + 1 :]
    assert changed != code
    assert not is_valid(changed)


@given(st.lists(st.one_of(body.map(lambda b: b + check_character(b)), st.text(max_size=20)), max_size=30))
def test_vectorised_classification_matches_scalar(codes):
    expected = [{None: 0, "credit_code.format": 1, "credit_code.check": 2}[classify(c)] for c in codes]
    assert classify_many(codes).tolist() == expected
