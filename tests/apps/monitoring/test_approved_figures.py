"""The approved-figures store follows the approvals; incremental recomputes equal full ones; the
dashboard shows an approval on the next request (issue 15, item 1)."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from lanbai.collection import selectors as collection_selectors
from lanbai.collection import services
from lanbai.collection.figures import split_value
from lanbai.collection.models import ApprovedFigure, Submission
from lanbai.monitoring import selectors as monitoring

ZONES = ("lzxq", "lzgx", "lzjj", "bygx")
PERIODS = ("2017Q2", "2017Q4", "2018Q1", "2018Q2", "2018Q3", "2018Q4", "2019Q2")


def zone_values(gdp, pop=30.0):
    return {"gdp": gdp, "resident_population": pop, "fiscal_expenditure": 100000.0,
            "fiscal_st_expenditure": 3000.0, "zone_rd_expenditure": gdp * 0.02, "incubators": ""}


def reference() -> pd.DataFrame:
    """What the store must hold: every field of every approved version, parsed from its JSON."""
    rows = [
        (unit, period, form, name, *parts, number)
        for unit, period, form, values, number in Submission.objects.exclude(approved_version=None).values_list(
            "org_unit__code", "period", "form_code", "approved_version__values", "approved_version__number"
        )
        for name, raw in (values or {}).items()
        if (parts := split_value(raw)) != (None, None)
    ]
    return _sorted(pd.DataFrame(rows, columns=["org_unit", "period", "form_code", "field", "value",
                                               "value_text", "version"]))


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype({"version": "int64", "value": float})
    return frame.sort_values(["org_unit", "period", "form_code", "field"], ignore_index=True)


def stored() -> pd.DataFrame:
    return _sorted(collection_selectors.approved_figures_frame())


def assert_store_matches():
    pd.testing.assert_frame_equal(stored(), reference(), check_dtype=False)


def full_recompute() -> pd.DataFrame:
    monitoring._computed.clear()
    return _ind()


def _ind() -> pd.DataFrame:
    ind = monitoring.indicator_values()
    return ind.sort_values(["basis", "unit", "period", "indicator", "category"], ignore_index=True)


@pytest.mark.django_db
def test_store_follows_single_approvals_returns_and_reapprovals(report, make_user):
    sub = report("lzxq", "2018Q2", zone_values(900_000))
    report("bygx", "2018Q2", zone_values(250_000))
    assert len(stored()) == 10
    assert_store_matches()
    province = make_user("sheng2", "province")
    # a return keeps the approved version (monitoring keeps counting it): the rows stay, rewritten
    services.submission_final_approve(user=province, submission=sub, approve=False, reason="核对")
    assert_store_matches()
    assert len(stored()) == 10
    # a corrected version approved: the report's rows are replaced, none left over
    again = report("lzxq", "2018Q2", {"gdp": 910_000, "resident_population": 31.0})
    assert again.pk == sub.pk
    assert_store_matches()
    assert set(stored().query("org_unit == 'lzxq'")["field"]) == {"gdp", "resident_population"}


@pytest.mark.django_db
def test_the_compact_read_says_the_same_as_the_plain_one(report, monkeypatch):
    """figures_frame(compact=True), the full recompute's read (codes as categoricals, fetched in
    slices on SQLite), gives the same rows as the plain read, whatever the slice size."""
    from lanbai.collection import figures

    report("lzxq", "2018Q2", zone_values(900_000))
    report("bygx", "2018Q3", zone_values(250_000))
    report("lzjj", "2018Q3", zone_values(120_000, pop=12.5))
    # a row of a unit that does not exist (the store keeps no foreign keys): in neither read
    from lanbai.collection.models import ApprovedFigure

    ApprovedFigure.objects.create(submission_id=1, version_id=1, version_number=1, org_unit_id=987_654,
                                  period="2018Q2", form_code="兰白统Q1表", field="gdp", value=1.0)
    plain = figures.figures_frame()
    assert not any(isinstance(plain[c].dtype, pd.CategoricalDtype) for c in plain.columns)
    for rows in (3, 7, 10_000):  # several slices, a slice boundary inside a report, one slice
        monkeypatch.setattr(figures, "FETCH_ROWS", rows)
        compact = figures.figures_frame(compact=True)
        assert all(isinstance(compact[c].dtype, pd.CategoricalDtype) for c in figures.CODE_COLUMNS)
        as_text = compact.astype({c: object for c in figures.CODE_COLUMNS})
        pd.testing.assert_frame_equal(_sorted(as_text), _sorted(plain.astype({c: object for c in figures.CODE_COLUMNS})),
                                      check_dtype=False)
    assert len(plain) == 15


@pytest.mark.django_db
def test_store_follows_bulk_approvals_and_the_catch_up_refills_it(report, make_user):
    from lanbai.plans.models import OrgUnit

    province = make_user("sheng2", "province")
    ids = []
    for n, zone in enumerate(ZONES):
        filler, reviewer = make_user(f"f_{zone}", "zone_reporter", zone), make_user(f"r_{zone}", "zone_reviewer", zone)
        sub, _ = services.submission_save_version(user=filler, form_code="兰白统Q1表",
                                                  unit=OrgUnit.objects.get(code=zone), period="2018Q4",
                                                  values=zone_values(100_000 * (n + 1)))
        services.submission_submit(user=filler, submission=sub)
        services.submissions_approve_bulk(user=reviewer, ids=[sub.pk], final=False)
        ids.append(sub.pk)
    assert stored().empty  # zone-approved only: nothing is approved yet
    assert services.submissions_approve_bulk(user=province, ids=ids, final=True) == 4
    assert len(stored()) == 20
    assert_store_matches()
    # a crash / a writer that bypassed the services: the next first read catches up
    ApprovedFigure.objects.filter(submission_id__in=ids[:2]).delete()
    assert services.approved_figures_catch_up() == 2
    assert_store_matches()
    assert services.approved_figures_catch_up() == 0


@pytest.mark.django_db
def test_incremental_recompute_equals_a_full_recompute(report, make_user):
    """Property-style: a seeded random sequence of approvals (new reports and corrections, in any
    period order); after each, the incrementally updated results equal a full recompute."""
    from lanbai.plans.models import OrgUnit

    province = make_user("sheng2", "province")
    rng = random.Random(15)
    for zone in ZONES[:2]:
        report(zone, "2017Q4", zone_values(rng.uniform(1e5, 2e6)))
    full_recompute()
    for _ in range(8):
        zone, period = rng.choice(ZONES), rng.choice(PERIODS)
        done = Submission.objects.filter(org_unit=OrgUnit.objects.get(code=zone), period=period,
                                         status="approved").first()
        if done is not None:  # a correction: 省创新办 returns it, the zone re-reports
            services.submission_final_approve(user=province, submission=done, approve=False, reason="更正")
        report(zone, period, zone_values(rng.uniform(1e5, 2e6), pop=rng.uniform(10, 40)))
        (state,) = monitoring._computed.values()
        before = state.generation
        incremental = _ind()
        (state,) = monitoring._computed.values()
        assert state.generation > before and state.log[-1][1] is not None  # it was incremental
        pd.testing.assert_frame_equal(incremental, full_recompute())


@pytest.mark.django_db
def test_affected_periods_follow_the_formulas_look_back():
    known = {"2017Q4", "2018Q1", "2018Q4", "2019Q1"}
    assert monitoring.affected_periods({"2018Q1"}, {1, 4}, known) == {"2018Q1", "2019Q1"}
    assert monitoring.affected_periods({"2017Q4"}, {1, 4}, known) == {"2017Q4", "2018Q1", "2018Q4"}
    assert monitoring.table_periods_affected({"2018Q2"}) == {"2018Q2", "2019Q2"}
    assert monitoring.table_periods_affected({"2018Q4"}) == {"2018Q4", "2019Q1", "2019Q2", "2019Q3", "2019Q4"}


@pytest.mark.django_db
def test_dashboard_shows_a_new_approval_on_the_next_request(client, report, make_user):
    from lanbai.web import dashboard

    for zone, base in (("lzxq", 1_800_000), ("bygx", 500_000)):
        report(zone, "2017Q4", zone_values(base))
        report(zone, "2018Q4", zone_values(base * 1.1))
    client.force_login(make_user("staff_reader", "province"))  # staff see approved, unpublished figures
    client.get("/")
    old = dashboard.snapshot()
    done = Submission.objects.get(org_unit__code="lzxq", period="2018Q4")
    services.submission_final_approve(user=make_user("sheng2", "province"), submission=done, approve=False,
                                      reason="更正")
    report("lzxq", "2018Q4", zone_values(3_000_000))
    assert client.get("/").status_code == 200  # the next request after the approval
    grp = next(r for r in monitoring.monitoring_table(period="2018Q4", unit="lanbai") if r.indicator == "grp")
    new = dashboard.snapshot()
    assert new is not old
    shown = next(r for r in new.rows["2018Q4"] if r.org_unit == "lanbai" and r.indicator == "grp")
    assert shown.value == pytest.approx(grp.value) and shown.value != pytest.approx(
        next(r for r in old.rows["2018Q4"] if r.org_unit == "lanbai" and r.indicator == "grp").value
    )


@pytest.mark.django_db
def test_kept_figures_of_a_period_follow_new_reports_and_corrections(report, make_user):
    """The state keeps the store rows of the last changed periods and swaps in only the changed units'
    rows: a new report, then a correction that drops fields, in the same period still equal a full
    recompute, and the kept rows equal the store's."""
    from lanbai.monitoring import data

    province = make_user("sheng2", "province")
    report("lzxq", "2018Q2", zone_values(900_000))
    report("lzgx", "2018Q4", zone_values(600_000))
    full_recompute()
    report("bygx", "2018Q2", zone_values(250_000))
    _ind()  # the first change of 2018Q2: the period is read whole and kept
    (state,) = monitoring._computed.values()
    assert set(state.figures) == {"2018Q2"}
    done = Submission.objects.get(org_unit__code="lzxq", period="2018Q2")
    services.submission_final_approve(user=province, submission=done, approve=False, reason="更正")
    report("lzxq", "2018Q2", {"gdp": 910_000, "resident_population": 31.0})  # fewer fields than before
    report("lzjj", "2018Q2", zone_values(400_000))
    before = state.generation
    incremental = _ind()
    assert state.generation > before and state.log[-1][1] is not None  # it was incremental

    def rows(frame):
        return frame.sort_values(["org_unit", "form_code", "field"], ignore_index=True)

    pd.testing.assert_frame_equal(rows(state.figures["2018Q2"]), rows(data.reported_values_frame(periods=["2018Q2"])))
    assert set(state.figures["2018Q2"].query("org_unit == 'lzxq'")["field"]) == {"gdp", "resident_population"}
    pd.testing.assert_frame_equal(incremental, full_recompute())


@pytest.mark.django_db
def test_the_kept_tree_follows_a_closed_and_a_new_link(shipped_plan_in_db):
    """Monitoring keeps the tree frames until the tree's fingerprint changes: closing a link and
    adding one (a park moving to another zone) both show in the next read."""
    import datetime as dt

    from lanbai.plans import services as plan_services
    from lanbai.plans.models import OrgUnit, OrgUnitLink

    version, _, _ = monitoring.plan_core()
    tree, _ = monitoring._inputs(version)
    assert monitoring._inputs(version)[0] is tree  # kept
    link = OrgUnitLink.objects.filter(unit__plan=version, unit__kind="park", valid_to=None).select_related(
        "unit", "parent").first()
    other = OrgUnit.objects.filter(plan=version, kind="zone").exclude(pk=link.parent_id).first()
    link.valid_to = dt.date(2018, 6, 30)
    link.save()
    closed, _ = monitoring._inputs(version)
    mine = closed[(closed["unit"] == link.unit.code) & (closed["parent"] == link.parent.code)]
    assert list(mine["valid_to"]) == [pd.Timestamp("2018-06-30")]
    plan_services.orgunit_link(unit=link.unit, parent=other, valid_from=dt.date(2018, 7, 1))
    moved, _ = monitoring._inputs(version)
    assert len(moved) == len(tree) + 1
    assert ((moved["unit"] == link.unit.code) & (moved["parent"] == other.code)).any()


@pytest.mark.django_db
def test_warm_up_leaves_no_full_recompute_for_the_first_visitor(client, report, make_user, monkeypatch):
    """``lanbai serve`` warms the monitoring results and both audiences' snapshots before it listens:
    the first staff and public requests after it recompute nothing in full."""
    from lanbai.web import dashboard

    report("lzxq", "2018Q4", zone_values(1_800_000))
    monitoring._computed.clear()
    assert dashboard.warm() is True

    def no_full_recompute(*args, **kwargs):
        raise AssertionError("a request waited for a full recompute")

    monkeypatch.setattr(monitoring, "_full", no_full_recompute)
    assert client.get("/").status_code == 200
    client.force_login(make_user("staff_warm", "province"))
    assert client.get("/").status_code == 200
