"""read_workbook: the ``while_reading`` hook, and the column-wise reading of the data area."""

from __future__ import annotations

import threading

import pytest
from collection_helpers import ENT, GOOD_ROW, ZONE, edit, template

from lanbai.core.collection import read_workbook
from lanbai.core.collection.engine import ParsedFile
from lanbai.core.collection.excel import _read_grid

OTHER = dict(GOOD_ROW, credit_code="91110108551385082Q", enterprise_name="白银示例化工")


def read(data, forms, **kw):
    kw.setdefault("filename", "f.xlsx")
    return read_workbook(data, forms=forms, **kw)


def snapshot(r):
    return (r.form_code, r.period, r.unit_code, r.sheet, list(r.records), r.row_numbers, r.problems)


# --------------------------------------------------------------------------- while_reading


def test_while_reading_gets_the_meta_on_the_calling_thread_and_its_value_arrives(ent, forms):
    data = edit(template(ent, [GOOD_ROW, OTHER]), {"H7": "abc"})
    seen = []

    def prefetch(so_far):
        seen.append(
            (
                so_far.form_code,
                so_far.period,
                so_far.unit_code,
                so_far.unit_name,
                so_far.sheet,
                so_far.records,
            )
        )
        seen.append(threading.get_ident())
        return {"units": ["lzgx"]}

    r = read(data, forms, expected_form=ENT, expected_period="2018Q2", while_reading=prefetch)
    assert seen == [(ENT, "2018Q2", "lzgx", "兰州高新区", ENT, []), threading.get_ident()]
    assert r.prefetched == {"units": ["lzgx"]}
    plain = read(data, forms, expected_form=ENT, expected_period="2018Q2")
    assert plain.prefetched is None
    assert snapshot(r) == snapshot(plain)
    assert r.rules == ["number.invalid"] and len(r.records) == 2


def test_while_reading_sees_the_unit_and_period_problems_found_so_far(ent, forms):
    seen = []
    r = read(
        template(ent, [GOOD_ROW]),
        forms,
        expected_unit="byg",
        while_reading=lambda so_far: seen.append(so_far.rules) or "ok",
    )
    assert seen == [["unit.wrong"]]
    assert r.rules == ["unit.wrong"] and r.prefetched == "ok"


def _rename(wb):
    wb[ENT].title = "Sheet1"


@pytest.mark.parametrize(
    ("make", "kw", "rule"),
    [
        (lambda ent, zone: template(zone), {"expected_form": ENT}, "form.wrong"),
        (lambda ent, zone: edit(template(ent, [GOOD_ROW]), fn=_rename), {}, "sheet.renamed"),
        (lambda ent, zone: b"not an xlsx", {}, "file.not_xlsx"),
        (lambda ent, zone: b"", {}, "file.empty"),
    ],
    ids=["wrong form", "renamed sheet", "not xlsx", "empty"],
)
def test_while_reading_is_not_called_for_a_refused_file(ent, zone, forms, make, kw, rule):
    calls = []
    r = read(make(ent, zone), forms, while_reading=calls.append, **kw)
    assert calls == [] and rule in r.rules and r.prefetched is None and r.records == []


def test_an_exception_of_while_reading_propagates_and_no_reader_thread_is_left(ent, forms):
    def boom(so_far):
        raise LookupError("database down")

    with pytest.raises(LookupError, match="database down"):
        read(template(ent, [GOOD_ROW]), forms, while_reading=boom)
    assert not [t for t in threading.enumerate() if t.name == "lanbai-read"]


def test_while_reading_with_a_layout_refusal_after_the_callback(ent, forms):
    def insert(wb):
        wb[ENT].insert_cols(3)

    r = read(edit(template(ent, [GOOD_ROW]), fn=insert), forms, while_reading=lambda so_far: 42)
    assert r.rules == ["layout.columns_changed"] and r.prefetched == 42


# --------------------------------------------------------------------------- the data area by column


def test_blank_rows_between_data_are_skipped_and_rows_keep_their_numbers(ent, forms):
    data = template(ent, [GOOD_ROW, OTHER], blank_rows=3)
    data = edit(data, {"B8": "   ", "H8": None}, fn=lambda wb: wb[ENT].insert_rows(7, 2))
    r = read(data, forms)
    assert r.ok, r.problems
    assert r.row_numbers == [6, 9]
    assert [rec["credit_code"] for rec in r.records] == [GOOD_ROW["credit_code"], OTHER["credit_code"]]


def test_a_blank_row_with_text_right_of_the_data_is_a_data_row(ent, forms):
    r = read(edit(template(ent, [GOOD_ROW], blank_rows=3), {"X8": "备注"}), forms)
    assert r.row_numbers == [6, 8]
    assert ("layout.unknown_column", 8, "X", "备注") in [
        (p.rule, p.row, p.column, p.value) for p in r.problems
    ]
    assert {p.rule for p in r.problems if p.row == 8} == {"layout.unknown_column", "value.required"}


def test_texts_are_typed_as_the_rule_says(ent, forms):
    cells = {
        "A6": "９１４４０３００１９２２０３８２１６",  # full-width digits: NFKC
        "B6": "'=危险名称",  # a neutralised text read back
        "H6": "1,234.5",
        "I6": "１２３４",
        "M6": " 120 ",
        "G6": "2020年1月2日",
        "E6": "是",
        "F6": " GR1 ",
    }
    r = read(edit(template(ent, [GOOD_ROW]), cells), forms)
    assert r.ok, r.problems
    rec = r.records[0]
    assert rec["credit_code"] == GOOD_ROW["credit_code"] and rec["enterprise_name"] == "=危险名称"
    assert rec["revenue"] == 1234.5 and rec["output_value"] == 1234.0
    assert rec["employees"] == 120 and type(rec["employees"]) is int
    assert (
        str(rec["hightech_certificate_valid_until"]) == "2020-01-02"
        and rec["hightech_certificate_no"] == "GR1"
    )


def test_a_ragged_grid_is_read_row_by_row_like_a_rectangular_one(zone):
    """calamine gives rectangular grids; rows of other lengths take the row-by-row path, same rules."""
    nf = len(zone.fields)
    head = [[""] * nf for _ in range(4)] + [list(zone.field_codes)]
    body = [[1000.0, 30.5] + [""] * (nf - 2), ["", "", ""], [5.0] * nf + ["", "note"]]
    rect = [list(r) + [""] * (nf + 2 - len(r)) for r in head + body]
    results = []
    for grid in (head + body, rect):
        res = ParsedFile(filename="f", form_code=ZONE, form_version=1, period=None, unit_code="x")
        problems = _read_grid(b"", [], [list(r) for r in grid], zone, "f", res, formulas=list)
        results.append((res.row_numbers, list(res.records), [(p.rule, p.row, p.column) for p in problems]))
    assert results[0] == results[1]
    row_numbers, _, problems = results[0]
    assert row_numbers == [6, 8]
    assert ("layout.unknown_column", 8, column_of(nf + 1)) in problems and (
        "rows.too_many",
        8,
        None,
    ) in problems


def column_of(index0: int) -> str:
    from lanbai.core.collection.excel import column_letter

    return column_letter(index0)
