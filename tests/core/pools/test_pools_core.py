"""Pure rules of the project reserve and talent pools."""

import pytest

from lanbai.core.pools import (
    IdNumberError,
    StageError,
    check_transition,
    id_fingerprint,
    mask_id_number,
    validate_id_number,
)
from lanbai.core.pools.identity import check_digit

# The GB 11643-1999 standard's own example number.
STANDARD_EXAMPLE = "11010519491231002X"


def test_standard_example_validates():
    assert check_digit(STANDARD_EXAMPLE[:17]) == "X"
    assert validate_id_number(STANDARD_EXAMPLE.lower()) == STANDARD_EXAMPLE


def test_wrong_check_digit_names_field_and_expected_digit():
    with pytest.raises(IdNumberError, match=r"证件号码：校验码应为 X，实为 1"):
        validate_id_number("110105194912310021", field="证件号码")


@pytest.mark.parametrize("bad", ["1234", "11010519491231002Y", "1101051949123100211"])
def test_malformed_is_refused(bad):
    with pytest.raises(IdNumberError, match="身份证号：应为 18 位"):
        validate_id_number(bad)


def test_impossible_birth_date_is_refused():
    first17 = "62010219990231001"
    with pytest.raises(IdNumberError, match="出生日期 19990231"):
        validate_id_number(first17 + check_digit(first17))


def test_mask_keeps_four_and_four():
    assert mask_id_number(STANDARD_EXAMPLE) == "1101**********002X"
    assert STANDARD_EXAMPLE not in mask_id_number(STANDARD_EXAMPLE)


def test_fingerprint_is_keyed_and_stable():
    a = id_fingerprint(STANDARD_EXAMPLE, b"k1")
    assert a == id_fingerprint(STANDARD_EXAMPLE, b"k1")
    assert a != id_fingerprint(STANDARD_EXAMPLE, b"k2")
    assert STANDARD_EXAMPLE not in a and len(a) == 64


def test_stage_path_and_refusals():
    for cur, nxt in [("reserve", "approved"), ("approved", "implementing"), ("implementing", "accepted")]:
        check_transition(cur, nxt)
    check_transition("approved", "terminated")
    with pytest.raises(StageError, match="储备 不能转为 验收"):
        check_transition("reserve", "accepted")
    with pytest.raises(StageError, match="可转为：无"):
        check_transition("accepted", "terminated")
