"""CSV and JSON/web records go through the same engine as workbooks."""

from __future__ import annotations

import pytest
from collection_helpers import ENT, GOOD_ROW, edit, template

from lanbai.core.collection import parse_records, read_csv, read_workbook, validate_records

HEADER = "credit_code,enterprise_name,industry,category,high_tech,revenue,employees,rd_staff"
ROW = '914403001922038216,兰州示例科技有限公司,信息技术产业,战略性新兴产业,否,"1,234.5",120,30'


def csv_read(ent, text: str | bytes, **kw):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_csv(data, filename="f.csv", form=ent, period="2018Q2", unit_code="lzgx", **kw)


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf"])
def test_csv_utf8_with_or_without_bom(ent, prefix):
    r = csv_read(ent, prefix + f"{HEADER}\n{ROW}\n".encode())
    assert r.ok, r.problems
    assert r.encoding in ("utf-8", "utf-8-sig") and r.notices == []
    rec = r.records[0]
    assert (
        rec["revenue"] == 1234.5 and rec["employees"] == 120 and rec["industry"] == "information_technology"
    )
    assert rec["tax"] is None and r.row_numbers == [2]
    assert (r.form_code, r.period, r.unit_code) == (ENT, "2018Q2", "lzgx")


def test_csv_gb18030_is_detected_and_said(ent):
    r = csv_read(ent, f"{HEADER}\n{ROW}\n".encode("gb18030"))
    assert r.ok and r.encoding == "gb18030"
    assert any("GB18030" in n for n in r.notices)
    assert r.records[0]["enterprise_name"] == "兰州示例科技有限公司"


def test_csv_headers_may_be_template_headings(ent):
    head = "统一社会信用代码*,企业名称,所属产业,产业分类,是否高新技术企业,营业收入（万元）,从业人员期末人数（人）"
    r = csv_read(ent, f"{head}\n914403001922038216,甲,化工产业,传统产业,否,10,5\n")
    assert r.ok, r.problems


def test_csv_problems_name_row_column_and_value(ent):
    r = csv_read(ent, f"{HEADER}\n{ROW}\n{ROW.replace(',120,', ',12万人,')}\n")
    assert r.rules == ["rows.duplicate", "number.unit_suffix"]  # sorted by row, then field order
    p = r.problems[1]
    assert (p.row, p.column, p.field, p.value) == (3, "G", "employees", "12万人")
    assert "第 3 行 G 列（从业人员期末人数）" in p.message_zh


def test_csv_refusals(ent):
    assert csv_read(ent, b"").rules == ["file.empty"]
    assert csv_read(ent, f"{HEADER}\n").rules == ["file.no_data"]
    assert csv_read(ent, b"\xff\xfe\x00a").rules == ["file.encoding"]
    assert csv_read(ent, b"PK\x03\x04rest").rules == ["file.encoding"]
    assert csv_read(ent, f"{HEADER}\n{ROW}\n", max_bytes=10).rules == ["file.too_large"]
    r = csv_read(ent, "credit_code,revenue,colour\n914403001922038216,1,red\n")
    assert sorted(r.rules) == sorted(
        [
            "layout.unknown_column",
            "layout.missing_column",
            "layout.missing_column",
            "layout.missing_column",
            "layout.missing_column",
            "layout.missing_column",
        ]
    )


def test_records_same_engine_as_workbook(ent, forms):
    bad = dict(GOOD_ROW, revenue="12万元", rd_staff=500, industry="房地产")
    from_json = validate_records(ent, [bad], source="api")
    xlsx = read_workbook(
        edit(template(ent, [GOOD_ROW]), {"H6": "12万元", "N6": 500, "C6": "房地产"}),
        filename="f.xlsx",
        forms=forms,
    )
    assert (
        [p.rule for p in from_json]
        == xlsx.rules
        == ["choice.invalid", "number.unit_suffix", "rule.cross_field"]
    )
    p = from_json[0]
    assert (p.file, p.sheet, p.row, p.column, p.field) == ("api", None, 1, None, "industry")
    assert "第 1 条记录" in p.message_zh and "“房地产”" in p.message_zh


def test_records_typed_and_inputs_not_mutated(ent):
    rec = dict(
        GOOD_ROW,
        high_tech=True,
        hightech_certificate_no="GR1",
        hightech_certificate_valid_until="2020-01-31",
        revenue="１，２３４．５",
    )
    before = dict(rec)
    r = parse_records(ent, [rec], source="web")
    assert r.ok, r.problems
    assert rec == before
    out = r.records[0]
    assert (
        out["revenue"] == 1234.5
        and out["high_tech"] is True
        and out["hightech_certificate_valid_until"].day == 31
    )


def test_records_refuse_unknown_keys_and_bad_types(ent):
    problems = validate_records(ent, [dict(GOOD_ROW, colour="red", employees=True)], source="api")
    assert [p.rule for p in problems] == ["layout.unknown_column", "number.invalid"]
    with pytest.raises(TypeError, match="records"):
        validate_records(ent, {"a": 1}, source="api")


def test_records_empty_list_is_no_data(ent):
    assert [p.rule for p in validate_records(ent, [], source="api")] == ["file.no_data"]


def test_zone_records_one_row(zone):
    row = {
        "gdp": 1,
        "resident_population": 1,
        "fiscal_expenditure": 1,
        "fiscal_st_expenditure": 1,
        "zone_rd_expenditure": 1,
    }
    assert validate_records(zone, [row], source="web") == []
    assert [p.rule for p in validate_records(zone, [row, row], source="web")] == ["rows.too_many"]


def test_problem_list_is_capped_and_says_how_many_more(ent):
    problems = validate_records(ent, [{} for _ in range(1500)], source="api")  # 7 required fields each
    assert len(problems) == 10_001
    assert problems[-1].rule == "problems.truncated" and "500" in problems[-1].message_zh


def test_records_sequence_behaves_like_a_list_of_dicts(ent):
    rows = [GOOD_ROW, dict(GOOD_ROW, credit_code="91110108551385082Q")]
    r = parse_records(ent, rows, source="api")
    recs = r.records
    assert len(recs) == 2 and recs[-1]["credit_code"] == "91110108551385082Q"
    assert recs[0:1] == [recs[0]] and list(recs) == [recs[0], recs[1]]
    assert recs.columns["credit_code"] == ["914403001922038216", "91110108551385082Q"]
    assert recs == list(recs) and recs != [recs[0]]
    with pytest.raises(IndexError):
        recs[2]
