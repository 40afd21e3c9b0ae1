"""The shipped voucher schemes load, and a bad file is refused with its name and key."""

from decimal import Decimal as D
from pathlib import Path

import pytest

from lanbai.core.vouchers import SchemeError, coverage, load_scheme_file, load_schemes

SHIPPED = Path(__file__).resolve().parents[3] / "plans" / "lanbai-2015-2020" / "vouchers"


def test_shipped_schemes_load():
    schemes = load_schemes(SHIPPED)
    assert [s.year for s in schemes] == [2019, 2020]
    assert [s.redemption_model for s in schemes] == ["provider", "enterprise"]
    # 2020: 1×1.0 + 9×0.7 + 10×0.4 = 11.3 for a 20 万元 service
    assert coverage(D(20), schemes[1].bands) == D("11.3000")


def test_year_must_match_file_name(tmp_path):
    text = (SHIPPED / "2019.yaml").read_text(encoding="utf-8")
    (tmp_path / "2021.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SchemeError, match="2021.yaml: year: 2019 does not match"):
        load_scheme_file(tmp_path / "2021.yaml")


def test_duplicate_code_refused(tmp_path):
    text = (SHIPPED / "2019.yaml").read_text(encoding="utf-8")
    (tmp_path / "2019.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "2020.yaml").write_text(text.replace("year: 2019", "year: 2020"), encoding="utf-8")
    with pytest.raises(SchemeError, match="2020.yaml: code: 'LB-CXQ-2019' already used by 2019.yaml"):
        load_schemes(tmp_path)


def test_bad_yaml_named(tmp_path):
    (tmp_path / "x.yaml").write_text("year: [", encoding="utf-8")
    with pytest.raises(SchemeError, match="x.yaml: not valid YAML"):
        load_scheme_file(tmp_path / "x.yaml")
