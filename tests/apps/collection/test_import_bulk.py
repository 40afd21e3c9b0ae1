"""The bulk store of enterprise files: new, changed and unchanged reports in one file; text and JSON."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reporting_helpers import NOW, ent_file, ent_row, valid_code

from lanbai.collection import selectors
from lanbai.collection.intake import checks, import_records, storing, tuning
from lanbai.collection.models import Submission, Upload
from lanbai.common.models import AuditEvent
from lanbai.core.collection.excel import DATA_ROW
from lanbai.core.collection.stored import json_objects, store_value, text_column


def imp(user, content, name="f.xlsx", **kw):
    return import_records(user=user, filename=name, content=content, now=NOW, **kw)


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
    assert not AuditEvent.objects.filter(object_type="collection.submission", object_id=sb.pk).exists()  # version 1 is its audit record
    assert [e.action for e in selectors.audit_for(sb)] == ["version"]

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
    changes = AuditEvent.objects.filter(action="value_change", object_type="collection.submission", object_id=sa.pk)
    assert [(e.field, e.old, e.new) for e in changes] == [("revenue", "1000.5", "7")]
    assert not AuditEvent.objects.filter(object_type="collection.submission", object_id=sb2.pk).exists()
    trail = [(e.action, e.field, e.old, e.new) for e in selectors.audit_for(sa)]
    assert trail[1:] == [
        ("version", "*", "v1", f"v2（{len(sa.current_version.values)} 项）"),
        ("value_change", "revenue", "1000.5", "7"),
    ]


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
    assert text_column(xs) == [store_value(x) for x in xs]


@given(st.lists(values, max_size=20))
def test_text_column_equals_store_value_for_any_mix(xs):
    assert text_column(xs) == [store_value(x) for x in xs]


json_text = st.one_of(
    st.none(), st.text(max_size=6), st.sampled_from(['"', "\\", "\n", "\t", "%s", "%", "\x00"])
)


@given(st.lists(st.lists(json_text, min_size=3, max_size=3), min_size=1, max_size=4), st.booleans())
def test_json_objects_equal_json_dumps(columns, subset):
    """Whatever the values (None, quotes, backslashes, control characters, % signs): json.dumps per row."""
    cols = {f"f{i}%": vals for i, vals in enumerate(columns)}
    rows = [2, 0] if subset else None
    expected = [
        json.dumps({c: vals[i] for c, vals in cols.items()}, ensure_ascii=False) for i in (rows or range(3))
    ]
    assert json_objects(cols, rows) == expected


def test_rows_for_keys_with_keys_that_need_quoting(mini_plan):
    """Keys go to PostgreSQL as one array literal: quotes, backslashes, commas and braces survive."""
    from lanbai.collection.intake.copy import rows_for_keys
    from lanbai.plans.models import OrgUnit

    zone = OrgUnit.objects.get(code="lzxq")
    odd = ['a"b', "c\\d", "e,f", "{g}", "h i", "NULL", ""]
    for k, code in enumerate(odd):
        OrgUnit.objects.create(
            plan=zone.plan, code=f"odd{code}", name=f"odd {k}", kind="park", valid_from=zone.valid_from
        )
    keys = [f"odd{c}" for c in odd] + ["odd-missing"]
    got = dict(rows_for_keys(OrgUnit.objects.all(), "code", keys, ("code", "name"), sql_type="text"))
    assert got == {f"odd{c}": f"odd {k}" for k, c in enumerate(odd)}
    ids = list(OrgUnit.objects.filter(code__startswith="odd").values_list("id", flat=True))
    assert sorted(i for (i,) in rows_for_keys(OrgUnit.objects.all(), "id", ids, ("id",))) == sorted(ids)


def test_large_file_prefetches_the_zone_with_the_same_outcome(people, enterprises, monkeypatch):
    """Above PREFETCH_BYTES the zone's enterprises and its stored reports are read while calamine
    parses; refusals, new versions and unchanged reports are the same as without."""
    from lanbai.collection import services

    monkeypatch.setattr(tuning, "PREFETCH_BYTES", 0)
    seen = []
    real = checks.zone_prefetch

    def spy(parsed):
        got = real(parsed)
        seen.append((parsed.unit_code, len(got.reports)))
        return got

    monkeypatch.setattr(checks, "zone_prefetch", spy)
    a, b, c = enterprises["a"], enterprises["b"], enterprises["c"]
    bad = imp(
        people["reporter"],
        ent_file(
            [ent_row(a.credit_code, a.name), ent_row(c.credit_code, c.name), ent_row(valid_code(9), "无名")]
        ),
    )
    assert seen == [("lzxq", 0)]
    assert bad.outcome == "refused"
    assert sorted(p.rule for p in bad.problems) == ["enterprise.other_zone", "enterprise.unknown"]
    assert not Submission.objects.exists()
    good = imp(people["reporter"], ent_file([ent_row(a.credit_code, a.name), ent_row(b.credit_code, b.name)]))
    assert (good.outcome, good.submissions) == ("accepted", 2)
    assert {s.org_unit_id for s in Submission.objects.all()} == {a.org_unit_id, b.org_unit_id}
    # the prefetched reports decide: b changed gets a version 2, a unchanged stays at 1
    again = imp(
        people["reporter"],
        ent_file([ent_row(a.credit_code, a.name), ent_row(b.credit_code, b.name, revenue=9)]),
    )
    assert seen[-1] == ("lzxq", 2)
    assert (again.outcome, again.submissions, again.unchanged) == ("accepted", 1, 1)
    assert Submission.objects.get(org_unit=b.org_unit).current_version.number == 2
    # a report under review refuses the file at its row
    sa = Submission.objects.get(org_unit=a.org_unit)
    services.submissions_submit_bulk(user=people["reporter"], ids=[sa.id], now=NOW)
    busy = imp(
        people["reporter"],
        ent_file([ent_row(b.credit_code, b.name, revenue=8), ent_row(a.credit_code, a.name, revenue=7)]),
    )
    assert busy.outcome == "refused"
    assert [(p.rule, p.row) for p in busy.problems] == [("submission.under_review", DATA_ROW + 1)]
    assert Submission.objects.get(org_unit=b.org_unit).current_version.number == 2


def test_large_file_reads_last_quarter_and_last_year_while_parsing(people, enterprises, monkeypatch, settings):
    """Above PREFETCH_BYTES the year-to-date rule's previous quarter and the 同比 rule's same quarter
    last year are read while calamine parses (once each), and give the same problems as without."""
    settings.LANBAI_PERIOD_LOCK_DAYS = 100_000  # historical periods open
    a, b = enterprises["a"], enterprises["b"]
    assert imp(people["reporter"], ent_file([ent_row(a.credit_code, a.name), ent_row(b.credit_code, b.name)],
                                            period="2017Q2")).accepted
    assert imp(people["reporter"], ent_file([ent_row(a.credit_code, a.name), ent_row(b.credit_code, b.name)],
                                            period="2018Q1")).accepted

    def problems(prefetch: bool):
        monkeypatch.setattr(tuning, "PREFETCH_BYTES", 0 if prefetch else 10**9)
        calls = []
        real = checks.previous_values

        def spy(**kw):
            calls.append(kw.get("of_period") or checks.previous_period(kw["period"]))
            return real(**kw)

        monkeypatch.setattr(checks, "previous_values", spy)
        # b: revenue ×6 on 2017Q2 (同比, soft) and below 2018Q1's year to date (hard)
        rows = [ent_row(a.credit_code, a.name, revenue=1100), ent_row(b.credit_code, b.name, revenue=6000)]
        rows[1]["tax"] = 1
        res = imp(people["reporter"], ent_file(rows, period="2018Q2"), dry_run=True)
        return sorted((p.rule, p.field, p.row) for p in res.problems + res.warnings), sorted(calls)

    with_prefetch, read = problems(True)
    assert read == ["2017Q2", "2018Q1"]  # each once, in the prefetch
    without, _ = problems(False)
    assert with_prefetch == without
    assert ("yoy.change", "revenue", DATA_ROW + 1) in with_prefetch
    assert ("ytd.flow_decreased", "tax", DATA_ROW + 1) in with_prefetch


def test_loose_keys_resolve_after_imports_and_workflow(people, enterprises):
    """Reports and versions keep their keys without database constraints; after new, changed and
    unchanged reports, a submit and approvals, every key resolves — and a broken one is counted."""
    from lanbai.collection import services
    from lanbai.collection.models import SubmissionVersion

    a, b = enterprises["a"], enterprises["b"]
    imp(people["reporter"], ent_file([ent_row(a.credit_code, a.name)]))
    imp(
        people["reporter"],
        ent_file([ent_row(a.credit_code, a.name, revenue=9), ent_row(b.credit_code, b.name)]),
    )
    ids = list(Submission.objects.values_list("id", flat=True))
    services.submissions_submit_bulk(user=people["reporter"], ids=ids, now=NOW)
    services.submissions_approve_bulk(user=people["reviewer"], ids=ids, final=False, now=NOW)
    services.submissions_approve_bulk(user=people["province"], ids=ids, final=True, now=NOW)
    assert set(selectors.dangling_references().values()) == {0}
    for s in Submission.objects.select_related("current_version", "approved_version"):
        assert s.current_version.submission_id == s.id and s.approved_version_id == s.current_version_id
    assert SubmissionVersion.objects.filter(submission__org_unit=a.org_unit).count() == 2

    SubmissionVersion.objects.filter(pk=Submission.objects.first().current_version_id).update(
        submission_id=10**9
    )
    assert selectors.dangling_references()["version.submission"] == 1


@pytest.mark.django_db
def test_reserve_ids_draws_fresh_keys_of_several_sequences_at_once():
    """PostgreSQL: one round trip gives each model its n keys — a range when the sequence handed out
    consecutive values, else the values themselves (here the sequence steps by 2) — and nothing for n = 0."""
    from django.db import connection

    from lanbai.collection.intake.copy import reserve_ids
    from lanbai.collection.models import SubmissionVersion

    if connection.vendor != "postgresql":
        pytest.skip("sequences: PostgreSQL only (other databases let bulk_create assign keys)")
    versions, none, audits = reserve_ids((SubmissionVersion, 5), (Submission, 0), (AuditEvent, 3))
    assert isinstance(versions, range) and len(versions) == 5 and none == []
    assert len(set(audits)) == 3
    with connection.cursor() as cur:
        cur.execute("ALTER SEQUENCE collection_submission_id_seq INCREMENT BY 2")
    (gappy,) = reserve_ids((Submission, 4))
    assert not isinstance(gappy, range) and len(set(gappy)) == 4
    assert min(gappy) > 0 and max(gappy) - min(gappy) == 6  # four values two apart, all fresh
    again = reserve_ids((Submission, 4))[0]
    assert min(again) > max(gappy)


def test_an_import_pauses_cyclic_gc_and_restores_it(people, enterprises, monkeypatch):
    """Collection is off while a file is parsed and stored, back on afterwards (also after a
    refusal), and left off when the caller had turned it off."""
    import gc

    a = enterprises["a"]
    during = []
    real = storing.bulk_store
    monkeypatch.setattr(
        storing, "bulk_store", lambda *a, **k: during.append(gc.isenabled()) or real(*a, **k)
    )
    assert gc.isenabled()
    assert imp(people["reporter"], ent_file([ent_row(a.credit_code, a.name)])).outcome == "accepted"
    assert during == [False] and gc.isenabled()
    assert imp(people["reporter"], ent_file([ent_row("bad", a.name)])).outcome == "refused"
    assert gc.isenabled()
    gc.disable()
    try:
        imp(people["reporter"], ent_file([ent_row(a.credit_code, a.name, revenue=5)]))
        assert during == [False, False] and not gc.isenabled()
    finally:
        gc.enable()


def test_a_report_submitted_after_the_checks_refuses_the_whole_file(people, enterprises, monkeypatch):
    """A report submitted between the import's checks and its store (a race with a reviewer's click)
    is found under the store's lock: the file is refused with a message and nothing is written."""
    from lanbai.collection import services
    from lanbai.collection.models import SubmissionVersion
    from lanbai.common.exceptions import ApplicationError

    a, b = enterprises["a"], enterprises["b"]
    assert imp(people["reporter"], ent_file([ent_row(a.credit_code, a.name)])).outcome == "accepted"
    sa = Submission.objects.get(org_unit=a.org_unit)
    real = checks.ytd_problems_for_columns

    def submit_meanwhile(**kw):  # the last check before the store: the race happens here
        services.submissions_submit_bulk(user=people["reporter"], ids=[sa.id], now=NOW)
        return real(**kw)

    monkeypatch.setattr(checks, "ytd_problems_for_columns", submit_meanwhile)
    versions = SubmissionVersion.objects.count()
    with pytest.raises(ApplicationError) as exc:
        imp(
            people["reporter"],
            ent_file([ent_row(a.credit_code, a.name, revenue=9), ent_row(b.credit_code, b.name)]),
        )
    message = "报表已上报或已审核，不能修改 / a report of the file is under review or approved"
    assert exc.value.message == message
    assert SubmissionVersion.objects.count() == versions
    assert not Submission.objects.filter(org_unit=b.org_unit).exists()
    sa.refresh_from_db()
    assert (sa.status, sa.current_version.number) == ("submitted", 1)
    refused = Upload.objects.order_by("-id").first()
    assert (refused.outcome, refused.message) == ("refused", message)
