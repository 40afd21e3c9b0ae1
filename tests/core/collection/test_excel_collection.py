"""Excel templates and reading filled workbooks: layout, round trip, every refusal one by one."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from collection_helpers import DATA, ENT, GOOD_ROW, ZONE, edit, template

from lanbai.core.collection import neutralise, read_workbook, write_template
from lanbai.core.collection.excel import META_SHEET, formula_cells


def read(data, forms, **kw):
    kw.setdefault("filename", "f.xlsx")
    return read_workbook(data, forms=forms, **kw)


def only(result, rule):
    """The problems of ``rule``; asserts there is at least one."""
    found = [p for p in result.problems if p.rule == rule]
    assert found, f"no {rule} in {result.rules}"
    return found


def assert_located(p, *, sheet, row, column, value):
    assert (p.sheet, p.row, p.column, p.value) == (sheet, row, column, value)
    for part in (f"工作表 {sheet}", f"第 {row} 行", f"{column} 列", f"“{value}”"):
        assert part in p.message_zh, (part, p.message_zh)
    assert f"row {row}" in p.message_en and f"column {column}" in p.message_en
    assert f"[{p.rule}]" in p.message_zh


# --------------------------------------------------------------------------- the template


def test_template_layout(ent):
    data = template(ent, [GOOD_ROW], blank_rows=3)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == [ENT, META_SHEET]
    ws = wb[ENT]
    assert ws["A1"].value == "企业季报"
    assert [ws[c].value for c in ("A2", "B2", "C2", "D2", "E2", "G2", "H2")] == [
        "表号：",
        ENT,
        "制定机关：",
        "甘肃省创新办",
        "批准文号：",
        "有效期至：",
        "2021年12月31日",
    ]
    assert [ws[c].value for c in ("A3", "B3", "C3", "D3", "E3", "F3", "G3", "H3")] == [
        "填报单位：",
        "兰州高新区",
        "单位代码：",
        "lzgx",
        "报告期：",
        "2018年1-6月",
        "模板版本：",
        "1",
    ]
    assert ws["H4"].value == "营业收入（万元）*"
    assert ws["A5"].value == "credit_code" and ws.row_dimensions[5].hidden
    assert (
        ws["A6"].value == GOOD_ROW["credit_code"]
        and ws["C6"].value == "信息技术产业"
        and ws["E6"].value == "否"
    )
    # foot below the 1 + 3 data rows and one blank row
    assert [ws[c].value for c in ("A11", "C11", "E11", "G11")] == [
        "单位负责人：",
        "统计负责人：",
        "填表人：",
        "报出日期：",
    ]
    # protection: header locked, data unlocked, rows may be inserted
    assert ws.protection.sheet and not ws.protection.insertRows
    assert ws["A4"].protection.locked and not ws["H6"].protection.locked and not ws["U9"].protection.locked
    # drop-downs on category and bool columns
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert (
        lists["C6:C9"].startswith('"化工产业,冶金有色产业') and lists["D6:D9"] == '"传统产业,战略性新兴产业"'
    )
    assert lists["E6:E9"] == '"是,否"'
    meta = wb[META_SHEET]
    assert meta.sheet_state == "veryHidden"
    assert {r[0]: r[1] for r in meta.iter_rows(values_only=True)} == {
        "form_code": ENT,
        "form_version": "1",
        "period": "2018Q2",
        "unit_code": "lzgx",
        "unit_name": "兰州高新区",
        "generator": "lanbai",
    }


def test_zone_template_has_one_data_row(zone):
    ws = openpyxl.load_workbook(io.BytesIO(template(zone)))[ZONE]
    assert ws["A5"].value == "gdp" and ws["A8"].value == "单位负责人："
    with pytest.raises(ValueError, match="one data row"):
        template(zone, [{"gdp": 1}, {"gdp": 2}])


def test_write_template_validates_its_arguments(ent):
    with pytest.raises(ValueError, match="2018Q2"):
        write_template(ent, period="2018-06", unit_code="x", unit_name="x")
    with pytest.raises(ValueError, match="unknown field codes"):
        write_template(ent, period="2018Q2", unit_code="x", unit_name="x", rows=[{"nope": 1}])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-x", "'-x"),
        ("@a", "'@a"),
        ("\tx", "'\tx"),
        ("abc", "abc"),
        (-5, -5),
        (None, None),
        ("", ""),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_dangerous_text_is_neutralised_in_the_template_and_read_back(ent, forms):
    row = dict(GOOD_ROW, enterprise_name='=HYPERLINK("http://x")')
    data = template(ent, [row], blank_rows=0)
    ws = openpyxl.load_workbook(io.BytesIO(data))[ENT]
    assert ws["B6"].value == '\'=HYPERLINK("http://x")' and ws["B6"].data_type == "s"
    assert formula_cells(data, ENT) == []
    r = read(data, forms)
    assert r.ok and r.records[0]["enterprise_name"] == row["enterprise_name"]


# --------------------------------------------------------------------------- round trips


def test_round_trip_write_fill_read(ent, forms):
    data = template(ent, [GOOD_ROW], blank_rows=5)
    filled = edit(
        data,
        {
            "A7": "91110108551385082Q",
            "B7": "白银示例化工",
            "C7": "化工产业",
            "D7": "传统产业",
            "E7": "是",
            "F7": "GR2018001",
            "G7": "2020-12-31",
            "H7": "5,000.5",
            "M7": 450,
            "N7": "２０",
            "L7": -15,
        },
    )
    r = read(filled, forms, expected_form=ENT, expected_period="2018Q2", expected_unit="lzgx")
    assert r.ok, r.problems
    assert (r.form_code, r.form_version, r.period, r.unit_code, r.unit_name, r.sheet) == (
        ENT,
        1,
        "2018Q2",
        "lzgx",
        "兰州高新区",
        ENT,
    )
    assert r.row_numbers == [6, 7]
    first, second = r.records
    assert first["credit_code"] == GOOD_ROW["credit_code"] and first["industry"] == "information_technology"
    assert first["revenue"] == 1234.5 and first["employees"] == 120 and first["high_tech"] is False
    assert second["revenue"] == 5000.5 and second["rd_staff"] == 20 and second["profit"] == -15.0
    assert second["high_tech"] is True and str(second["hightech_certificate_valid_until"]) == "2020-12-31"
    assert second["tax"] is None  # empty is missing, never 0
    assert isinstance(first["employees"], int)


def test_zone_round_trip(zone, forms):
    data = template(
        zone,
        [
            {
                "gdp": 1000.0,
                "resident_population": 30.5,
                "fiscal_expenditure": 200,
                "fiscal_st_expenditure": 10,
                "zone_rd_expenditure": 20,
            }
        ],
        unit_code="byg",
        unit_name="白银高新区",
    )
    r = read(data, forms, expected_unit="byg")
    assert r.ok and r.records[0]["gdp"] == 1000.0 and r.records[0]["urban_population"] is None


def test_libreoffice_written_file_is_read(forms):
    r = read(
        (DATA / "lo_enterprise_2018Q2.xlsx").read_bytes(),
        forms,
        filename="lo.xlsx",
        expected_form=ENT,
        expected_period="2018Q2",
        expected_unit="lzgx",
    )
    assert r.ok, r.problems
    assert [rec["credit_code"] for rec in r.records] == [
        "914403001922038216",
        "91110108551385082Q",
        "91350100M000100Y43",
    ]
    assert r.records[0]["hightech_certificate_valid_until"].isoformat() == "2020-10-31"
    assert r.records[1]["profit"] == -15.0 and r.records[2]["enterprise_name"] == "=危险名称"


def test_libreoffice_file_with_a_formula_is_refused(forms):
    r = read((DATA / "lo_enterprise_2018Q2_formula.xlsx").read_bytes(), forms, filename="lo.xlsx")
    (p,) = only(r, "cell.formula")
    assert (p.sheet, p.row, p.column, p.field) == (ENT, 7, "H", "revenue")
    assert "第 7 行 H 列（营业收入）" in p.message_zh


# --------------------------------------------------------------------------- file-level refusals


def test_empty_file(forms):
    assert read(b"", forms).rules == ["file.empty"]


def test_file_over_the_size_limit(ent, forms):
    r = read(template(ent), forms, max_bytes=1000)
    (p,) = only(r, "file.too_large")
    assert "1000" in p.message_zh and r.records == []


@pytest.mark.parametrize(
    "data",
    [
        b"credit_code,revenue\n914403001922038216,1\n",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
        b"PK\x03\x04 broken zip",
    ],
)
def test_not_an_xlsx_named_xlsx(forms, data):
    r = read(data, forms, filename="fake.xlsx")
    assert r.rules == ["file.not_xlsx"] and "fake.xlsx" in r.problems[0].message_zh


def test_zip_without_a_workbook(forms):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<x/>")
    assert read(buf.getvalue(), forms).rules == ["file.not_xlsx"]


def test_not_our_template(forms):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "随便"
    buf = io.BytesIO()
    wb.save(buf)
    assert read(buf.getvalue(), forms).rules == ["template.unrecognised"]


def test_wrong_form(zone, forms):
    r = read(template(zone), forms, expected_form=ENT)
    (p,) = only(r, "form.wrong")
    assert p.value == ZONE and ENT in p.message_zh


def test_unknown_form(ent, forms):
    data = edit(template(ent), {"B1": "兰白统Q9表"}, sheet=META_SHEET)
    assert only(read(data, forms), "form.unknown")[0].value == "兰白统Q9表"


def test_template_of_an_older_version(ent, forms):
    newer = dict(forms, **{ENT: ent.model_copy(update={"version": 2})})
    r = read(template(ent, [GOOD_ROW]), newer)
    (p,) = only(r, "template.old_version")
    assert p.value == "1" and "2" in p.message_zh and r.records == []


def test_template_of_an_unknown_newer_version(ent, forms):
    data = edit(template(ent, [GOOD_ROW]), {"B2": "7"}, sheet=META_SHEET)
    assert only(read(data, forms), "template.unknown_version")


def test_wrong_unit_and_wrong_period_reported_together_with_data_problems(ent, forms):
    data = edit(template(ent, [GOOD_ROW]), {"H6": "abc"})
    r = read(data, forms, expected_unit="byg", expected_period="2018Q3")
    assert r.rules == ["period.wrong", "unit.wrong", "number.invalid"]
    assert only(r, "unit.wrong")[0].value == "lzgx" and "byg" in only(r, "unit.wrong")[0].message_zh
    assert only(r, "period.wrong")[0].value == "2018Q2"


def test_sheet_renamed(ent, forms):
    def rename(wb):
        wb[ENT].title = "Sheet1"

    r = read(edit(template(ent, [GOOD_ROW]), fn=rename), forms)
    (p,) = only(r, "sheet.renamed")
    assert p.value == "Sheet1" and ENT in p.message_zh


def test_columns_changed(ent, forms):
    def insert(wb):
        wb[ENT].insert_cols(3)

    r = read(edit(template(ent, [GOOD_ROW]), fn=insert), forms)
    assert r.rules == ["layout.columns_changed"]


def test_formulas_instead_of_values(ent, forms):
    data = edit(template(ent, [GOOD_ROW]), {"H6": "=1000+234.5", "M6": "=SUM(N6:N6)"})
    r = read(data, forms)
    problems = only(r, "cell.formula")
    assert [(p.row, p.column, p.field) for p in problems] == [(6, "H", "revenue"), (6, "M", "employees")]


def test_merged_cells_in_the_data_area(ent, forms):
    def merge(wb):
        wb[ENT].merge_cells("H6:I6")

    r = read(edit(template(ent, [GOOD_ROW]), fn=merge), forms)
    (p,) = only(r, "layout.merged_cells")
    assert (p.row, p.column, p.value) == (6, "H", "H6:I6")


def test_no_data_rows(ent, forms):
    r = read(template(ent), forms)
    assert r.rules == ["file.no_data"] and r.records == []


def test_zone_form_with_two_rows(zone, forms):
    data = template(
        zone,
        [
            {
                "gdp": 1,
                "resident_population": 1,
                "fiscal_expenditure": 1,
                "fiscal_st_expenditure": 1,
                "zone_rd_expenditure": 1,
            }
        ],
    )

    def add_row(wb):
        ws = wb[ZONE]
        ws.insert_rows(7)
        for col in "ABCDEF":
            ws[f"{col}7"] = 1

    r = read(edit(data, fn=add_row), forms)
    assert r.rules == ["rows.too_many"]


def test_text_right_of_the_data(ent, forms):
    r = read(edit(template(ent, [GOOD_ROW]), {"W6": "备注"}), forms)
    (p,) = only(r, "layout.unknown_column")
    assert (p.row, p.column, p.value) == (6, "W", "备注")


# --------------------------------------------------------------------------- value-level refusals


VALUE_CASES = [
    # (cells to set on row 6, rule, column, shown value)
    ({"A6": "914403001922038217"}, "credit_code.check", "A", "914403001922038217"),
    ({"A6": "91440300192203821"}, "credit_code.format", "A", "91440300192203821"),
    ({"A6": 914403001922038216}, "credit_code.numeric_cell", "A", str(int(float(914403001922038216)))),
    ({"H6": "abc"}, "number.invalid", "H", "abc"),
    ({"H6": "12万元"}, "number.unit_suffix", "H", "12万元"),
    ({"H6": "12%"}, "number.percent", "H", "12%"),
    ({"H6": "约12"}, "number.approximate", "H", "约12"),
    ({"H6": "-"}, "number.placeholder", "H", "-"),
    ({"H6": "12,34"}, "number.thousands", "H", "12,34"),
    ({"M6": 12.5}, "number.not_integer", "M", "12.5"),
    ({"H6": -1}, "value.below_min", "H", "-1"),
    ({"M6": 2_000_000}, "value.above_max", "M", "2000000"),
    ({"C6": "房地产"}, "choice.invalid", "C", "房地产"),
    ({"E6": "Y"}, "bool.invalid", "E", "Y"),
    ({"D6": "传统产业"}, "choice.inconsistent", "D", "传统产业"),  # 信息技术产业 is an emerging industry
    ({"E6": "是", "F6": "GR1", "G6": "2020-13-45"}, "date.invalid", "G", "2020-13-45"),
    ({"B6": "名" * 101}, "value.too_long", "B", "名" * 101),
]


@pytest.mark.parametrize(("cells", "rule", "column", "value"), VALUE_CASES, ids=[c[1] for c in VALUE_CASES])
def test_value_refusals(ent, forms, cells, rule, column, value):
    r = read(edit(template(ent, [GOOD_ROW]), cells), forms)
    assert r.rules == [rule], r.problems
    assert_located(r.problems[0], sheet=ENT, row=6, column=column, value=value)


def test_missing_required_value(ent, forms):
    r = read(edit(template(ent, [GOOD_ROW]), {"H6": None}), forms)
    (p,) = only(r, "value.required")
    assert (p.sheet, p.row, p.column, p.field) == (ENT, 6, "H", "revenue")
    assert "第 6 行 H 列（营业收入）" in p.message_zh


def test_conditionally_required_certificate(ent, forms):
    r = read(edit(template(ent, [GOOD_ROW]), {"E6": "是"}), forms)
    assert [(p.rule, p.column) for p in r.problems] == [("value.required", "F"), ("value.required", "G")]
    assert "是否高新技术企业" in r.problems[0].message_zh


def test_cross_field_rule(ent, forms):
    r = read(edit(template(ent, [GOOD_ROW]), {"N6": 200}), forms)
    (p,) = only(r, "rule.cross_field")
    assert (p.row, p.column, p.field) == (6, "N", "rd_staff")
    assert p.value == "R&D人员期末人数=200, 从业人员期末人数=120"  # the form's labels, not the codes
    assert "R&D人员不应多于期末从业人员" in p.message_zh


def test_duplicate_enterprise_rows(ent, forms):
    r = read(template(ent, [GOOD_ROW, dict(GOOD_ROW, enterprise_name="另一家")]), forms)
    (p,) = only(r, "rows.duplicate")
    assert (p.row, p.column, p.value) == (7, "A", GOOD_ROW["credit_code"]) and "第 6 行" in p.message_zh


def test_enterprise_reporting_for_itself_fills_only_its_own_row(ent, forms):
    other = dict(GOOD_ROW, credit_code="91110108551385082Q")
    data = template(
        ent, [GOOD_ROW, other], unit_code=GOOD_ROW["credit_code"], unit_name="兰州示例科技有限公司"
    )
    r = read(data, forms)
    (p,) = only(r, "unit.row_mismatch")
    assert (p.row, p.value) == (7, "91110108551385082Q")


def test_every_problem_of_a_file_is_reported_at_once(ent, forms):
    data = edit(
        template(ent, [GOOD_ROW, GOOD_ROW]),
        {"H6": "12万元", "M7": "约5", "C7": "房地产", "N6": 999, "X7": "x"},
    )
    r = read(data, forms)
    assert sorted(r.rules) == sorted(
        [
            "number.unit_suffix",
            "number.approximate",
            "choice.invalid",
            "rule.cross_field",
            "rows.duplicate",
            "layout.unknown_column",
        ]
    )
    assert not r.ok


def test_visible_header_is_used_when_the_hidden_sheet_is_lost(ent, forms):
    def drop_meta(wb):
        wb.remove(wb[META_SHEET])

    r = read(
        edit(template(ent, [GOOD_ROW]), fn=drop_meta), forms, expected_period="2018Q2", expected_unit="lzgx"
    )
    assert r.ok, r.problems
    assert (r.form_code, r.form_version, r.period, r.unit_code) == (ENT, 1, "2018Q2", "lzgx")


def test_formula_cells_found_in_the_xml(ent):
    data = edit(
        template(ent, [GOOD_ROW, dict(GOOD_ROW, credit_code="91110108551385082Q")]),
        {"H7": "=H6*2", "AA30": "=1"},
    )
    assert formula_cells(data, ENT) == [("H", 7), ("AA", 30)]
    assert formula_cells(data, "no such sheet") == []
