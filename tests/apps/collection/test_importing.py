"""The import path: raw bytes kept first, all-or-nothing per file, duplicates, scopes, dry runs."""

from __future__ import annotations

import pytest
from reporting_helpers import ENT_FORM, NOW, ZONE_FORM, ent_file, ent_row, valid_code, zone_file

from lanbai.collection import selectors
from lanbai.collection.intake import import_records
from lanbai.collection.models import Submission, SubmissionVersion, Upload
from lanbai.common.exceptions import PermissionDeniedError
from lanbai.common.models import AuditEvent


def imp(user, content, name="f.xlsx", **kw):
    return import_records(user=user, filename=name, content=content, now=NOW, **kw)


def test_zone_file_is_kept_raw_and_imported(people):
    data = zone_file()
    res = imp(people["reporter"], data)
    assert res.outcome == "accepted", [p.message_zh for p in res.problems]
    up = Upload.objects.get()
    assert bytes(up.content) == data and up.size == len(data) and up.uploaded_by.username == "xq_fill"
    sub = Submission.objects.get(form_code=ZONE_FORM, period="2018Q2")
    assert sub.current_version.values["gdp"] == "120000.5" and sub.current_version.values["incubators"] == "3"
    assert sub.current_version.upload_id == up.id and sub.status == "draft"


def test_same_bytes_again_is_a_noop_that_says_so(people):
    data = zone_file()
    imp(people["reporter"], data)
    again = imp(people["reporter"], data, name="copy.xlsx")
    assert (
        again.outcome == "duplicate"
        and "未作任何更改" in again.message
        and "nothing changed" in again.message
    )
    assert SubmissionVersion.objects.count() == 1 and Upload.objects.count() == 2


def test_corrected_file_becomes_a_new_version_and_the_old_stays(people):
    imp(people["reporter"], zone_file())
    res = imp(people["reporter"], zone_file(gdp=130000))
    assert res.outcome == "accepted" and res.submissions == 1
    sub = Submission.objects.get()
    assert [v.values["gdp"] for v in sub.versions.order_by("number")] == ["120000.5", "130000"]
    change = AuditEvent.objects.get(action="value_change", field="gdp", old="120000.5")
    assert change.new == "130000" and change.user.username == "xq_fill"


def test_bad_file_is_refused_with_every_problem_and_nothing_written(people):
    res = imp(people["reporter"], zone_file(gdp=-5, urban_population=99, resident_population=10))
    assert res.outcome == "refused"
    assert {"value.below_min", "rule.cross_field"} <= {p.rule for p in res.problems}
    cross = next(p for p in res.problems if p.rule == "rule.cross_field")
    assert "城镇人口=99" in cross.value and "urban_population" not in cross.value  # labels, not codes
    up = Upload.objects.get()
    assert up.outcome == "refused" and len(up.problems) == len(res.problems) and bytes(up.content)
    assert Submission.objects.count() == 0 and not AuditEvent.objects.exclude(action="plan.load").exists()


def test_reporter_of_another_zone_is_refused_and_nothing_changes(people):
    with pytest.raises(PermissionDeniedError):
        imp(people["other_reporter"], zone_file())
    up = Upload.objects.get()
    assert up.outcome == "refused" and up.problems[0]["rule"] == "permission.denied"
    assert Submission.objects.count() == 0


def test_dry_run_stores_only_the_raw_upload(people):
    res = imp(people["reporter"], zone_file(), dry_run=True)
    assert res.outcome == "validated" and Submission.objects.count() == 0 and Upload.objects.count() == 1


def test_enterprise_file_one_submission_per_row_all_or_nothing(people, enterprises):
    a, b, c = enterprises["a"], enterprises["b"], enterprises["c"]
    good = ent_file(
        [
            ent_row(a.credit_code, a.name),
            ent_row(
                b.credit_code,
                b.name,
                high_tech=True,
                hightech_certificate_no="GR2017",
                hightech_certificate_valid_until="2020-12-31",
            ),
        ]
    )
    res = imp(people["reporter"], good)
    assert res.outcome == "accepted", [p.message_zh for p in res.problems]
    assert res.submissions == 2
    subs = Submission.objects.filter(form_code=ENT_FORM).order_by("org_unit__code")
    assert {s.org_unit_id for s in subs} == {a.org_unit_id, b.org_unit_id}
    vb = Submission.objects.get(org_unit=b.org_unit).current_version
    assert vb.values["high_tech"] == "1" and vb.values["hightech_certificate_valid_until"] == "2020-12-31"
    assert vb.number == 1 and Submission.objects.get(org_unit=b.org_unit).lock_version == 1
    # a new report's audit trail is its version 1: who, when, why (no per-report audit row is written)
    assert not AuditEvent.objects.filter(object_id__in=Submission.objects.filter(org_unit=b.org_unit).values("pk")).exists()
    trail = selectors.audit_for(Submission.objects.get(org_unit=b.org_unit))
    assert [(e.action, e.new, e.user) for e in trail] == [
        ("version", f"v1（{len(vb.values)} 项）", people["reporter"])
    ]
    assert trail[0].reason == f"导入 {res.upload.filename}"

    # a row of another zone's enterprise and an unknown one: the whole file is refused
    bad = ent_file(
        [
            ent_row(a.credit_code, a.name, revenue=5),
            ent_row(c.credit_code, c.name),
            ent_row(valid_code(99), "无名"),
            ent_row("91620100MA7123456", "坏码"),
        ]
    )
    res = imp(people["reporter"], bad)
    assert res.outcome == "refused"
    rules = [p.rule for p in res.problems]
    assert {"enterprise.other_zone", "enterprise.unknown", "credit_code.format"} <= set(rules)
    other = next(p for p in res.problems if p.rule == "enterprise.other_zone")
    assert other.row == 7 and other.column == "A" and "白银高新区" in other.message_zh
    assert Submission.objects.get(org_unit=a.org_unit).current_version.values["revenue"] == "1000.5"


def test_enterprise_reimport_versions_only_changed_rows(people, enterprises):
    a, b = enterprises["a"], enterprises["b"]
    imp(people["reporter"], ent_file([ent_row(a.credit_code, a.name), ent_row(b.credit_code, b.name)]))
    res = imp(
        people["reporter"],
        ent_file([ent_row(a.credit_code, a.name, revenue=2000), ent_row(b.credit_code, b.name)]),
    )
    assert (res.outcome, res.submissions, res.unchanged) == ("accepted", 1, 1)
    sa = Submission.objects.get(org_unit=a.org_unit)
    assert sa.current_version.number == 2 and sa.current_version.values["revenue"] == "2000"
    assert SubmissionVersion.objects.get(submission=sa, number=1).values["revenue"] == "1000.5"
    assert AuditEvent.objects.get(action="value_change", object_type="collection.submission", object_id=sa.pk).field == "revenue"


def test_submitted_report_cannot_be_overwritten_by_an_import(people, enterprises):
    a = enterprises["a"]
    imp(people["reporter"], ent_file([ent_row(a.credit_code, a.name)]), submit=True)
    assert Submission.objects.get().status == "submitted"
    res = imp(people["reporter"], ent_file([ent_row(a.credit_code, a.name, revenue=1)]))
    assert res.outcome == "refused" and res.problems[0].rule == "submission.under_review"
    assert SubmissionVersion.objects.count() == 1


def test_bulk_approval_then_final(people, enterprises):
    from lanbai.collection import services

    a, b = enterprises["a"], enterprises["b"]
    imp(
        people["reporter"],
        ent_file([ent_row(a.credit_code, a.name), ent_row(b.credit_code, b.name)]),
        submit=True,
    )
    ids = list(Submission.objects.values_list("id", flat=True))
    with pytest.raises(PermissionDeniedError):
        services.submissions_approve_bulk(user=people["other_reviewer"], ids=ids, final=False)
    assert services.submissions_approve_bulk(user=people["reviewer"], ids=ids, final=False) == 2
    with pytest.raises(PermissionDeniedError):
        services.submissions_approve_bulk(user=people["reviewer"], ids=ids, final=True)
    services.submissions_approve_bulk(user=people["province"], ids=ids, final=True, now=NOW)
    for s in Submission.objects.all():
        assert s.status == "approved" and s.approved_version_id == s.current_version_id


def test_csv_needs_form_period_and_unit_and_uses_the_same_engine(people):
    res = imp(people["reporter"], b"gdp\n1\n", name="z.csv")
    assert res.outcome == "refused" and res.problems[0].rule == "input.missing"


def test_json_records_through_the_same_engine(people):
    res = import_records(
        user=people["reporter"],
        filename="api.json",
        content=b"[]",
        channel="api",
        records=[
            {
                "gdp": "1,234.5",
                "resident_population": 1,
                "fiscal_expenditure": 10,
                "fiscal_st_expenditure": 20,
                "zone_rd_expenditure": 1,
            }
        ],
        expected_form=ZONE_FORM,
        expected_period="2018Q2",
        expected_unit="lzxq",
        now=NOW,
    )
    assert res.outcome == "refused" and [p.rule for p in res.problems] == ["rule.cross_field"]
