"""The bulk store of enterprise files: new, changed and unchanged reports in one file; text and JSON."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given
from hypothesis import strategies as st
from reporting_helpers import NOW, ent_file, ent_row

from lanbai.collection import importing
from lanbai.collection.models import AuditEvent, Submission


def imp(user, content, name="f.xlsx", **kw):
    return importing.import_bytes(user=user, filename=name, content=content, now=NOW, **kw)


def test_one_file_with_a_new_a_changed_and_an_unchanged_report(people, enterprises):
    a, b = enterprises["a"], enterprises["b"]
    assert imp(people["reporter"], ent_file([ent_row(a.credit_code, a.name)])).outcome == "accepted"
    first = imp(
        people["reporter"], ent_file([ent_row(a.credit_code, a.name), ent_row(b.credit_code, b.name)])
    )
    assert (first.outcome, first.submissions, first.unchanged) == ("accepted", 1, 1)
    sb = Submission.objects.get(org_unit=b.org_unit)
    assert sb.lock_version == 1 and sb.current_version.number == 1
    assert sb.current_version.upload_id == first.upload.pk
    assert AuditEvent.objects.filter(action="import", submission=sb).count() == 1

    res = imp(
        people["reporter"],
        ent_file([ent_row(a.credit_code, a.name, revenue=7), ent_row(b.credit_code, b.name)]),
    )
    assert (res.outcome, res.submissions, res.unchanged) == ("accepted", 1, 1)
    sa, sb2 = Submission.objects.get(org_unit=a.org_unit), Submission.objects.get(org_unit=b.org_unit)
    assert (
        sa.lock_version == 2
        and sa.current_version.number == 2
        and sa.current_version.upload_id == res.upload.pk
    )
    assert sa.current_version.values["revenue"] == "7"
    assert (sb2.lock_version, sb2.current_version_id) == (1, sb.current_version_id)  # unchanged: untouched
    changes = AuditEvent.objects.filter(action="value_change", submission=sa)
    assert [(e.field, e.old, e.new) for e in changes] == [("revenue", "1000.5", "7")]
    assert not AuditEvent.objects.filter(submission=sb2).exclude(action="import").exists()


values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=False),
    st.text(max_size=8),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 1, 1)),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
)


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=20))
def test_text_column_of_floats_equals_store_value(xs):
    assert importing._text_column(xs) == [importing.store_value(x) for x in xs]


@given(st.lists(values, max_size=20))
def test_text_column_equals_store_value_for_any_mix(xs):
    assert importing._text_column(xs) == [importing.store_value(x) for x in xs]


@given(
    st.lists(
        st.tuples(st.text(max_size=6), st.one_of(st.none(), st.text(max_size=6))), min_size=1, max_size=4
    )
)
def test_json_rows_equal_json_dumps(row):
    codes = [f"f{i}" for i in range(len(row))]
    cols = {c: [v, v] for c, (_, v) in zip(codes, row, strict=True)}
    expected = json.dumps({c: v for c, (_, v) in zip(codes, row, strict=True)}, ensure_ascii=False)
    assert importing._json_rows(cols) == [expected, expected]
