"""The approved-figures store's Parquet mirror (collection.figures): the whole compact read comes
through it, replays the reports changed since its mark, and is read whole again when the change
log no longer begins as it did (a rollback, a restore, a change committed below the mark)."""

from __future__ import annotations

import pandas as pd
import pytest
from django.db import connection

from lanbai.collection import figures, services
from lanbai.collection.models import ApprovedFigureChange, Submission


def zone_values(gdp, pop=30.0):
    return {"gdp": gdp, "resident_population": pop, "fiscal_expenditure": 100000.0,
            "fiscal_st_expenditure": 3000.0, "zone_rd_expenditure": gdp * 0.02}


@pytest.fixture
def mirror(tmp_path, monkeypatch):
    """The mirror in a file of this test (the test database may be in memory), and a record of the
    store reads: True for a whole read, False for a filtered one."""
    path = tmp_path / "figures" / "store.parquet"
    monkeypatch.setattr(figures, "mirror_path", lambda: path)
    reads: list[bool] = []
    whole_read = figures._compact_ids

    def recorded(qs):
        reads.append(not qs.query.where)
        return whole_read(qs)

    monkeypatch.setattr(figures, "_compact_ids", recorded)
    return path, reads


def _rows(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype({c: object for c in figures.CODE_COLUMNS})
    return frame.sort_values(["org_unit", "period", "form_code", "field"], ignore_index=True)


def assert_mirrored_read_is_the_store():
    compact = figures.figures_frame(compact=True)
    assert all(isinstance(compact[c].dtype, pd.CategoricalDtype) for c in figures.CODE_COLUMNS)
    assert compact["value_text"].dtype == object
    pd.testing.assert_frame_equal(_rows(compact), _rows(figures.figures_frame()))


def _correct(report, province, zone, period, values):
    done = Submission.objects.get(org_unit__code=zone, period=period, status="approved")
    services.submission_final_approve(user=province, submission=done, approve=False, reason="更正")
    report(zone, period, values)


@pytest.mark.django_db
def test_the_mirror_is_written_once_then_follows_approvals_by_replay(report, make_user, mirror):
    path, reads = mirror
    province = make_user("sheng2", "province")
    report("lzxq", "2018Q2", zone_values(900_000))
    report("bygx", "2018Q3", {**zone_values(250_000), "incubators": "3"})
    assert not path.exists()
    assert_mirrored_read_is_the_store()
    assert path.exists() and reads == [True]  # the first read: the store whole, the mirror written
    written = path.stat().st_mtime_ns

    reads.clear()
    assert_mirrored_read_is_the_store()
    assert reads == [] and path.stat().st_mtime_ns == written  # nothing changed: the mirror alone

    report("lzjj", "2018Q2", zone_values(120_000, pop=12.5))  # a new report
    _correct(report, province, "lzxq", "2018Q2", {"gdp": 910_000, "resident_population": 31.0})  # fewer fields
    reads.clear()
    assert_mirrored_read_is_the_store()
    assert reads == [False]  # only the changed reports were read again
    assert set(figures.figures_frame(compact=True).query("org_unit == 'lzxq'")["field"].astype(str)) == {
        "gdp", "resident_population"}


@pytest.mark.django_db
def test_a_change_committed_below_the_mark_or_a_rolled_back_one_means_a_whole_read(report, make_user, mirror):
    path, reads = mirror
    report("lzxq", "2018Q2", zone_values(900_000))
    report("bygx", "2018Q2", zone_values(250_000))
    last = ApprovedFigureChange.objects.order_by("-pk").first()
    # an approval whose change id was drawn later committed first (ids leave a gap below it) ...
    ApprovedFigureChange.objects.create(id=last.pk + 10, org_unit_id=last.org_unit_id, period=last.period,
                                        form_code=last.form_code)
    assert_mirrored_read_is_the_store()
    # ... then the earlier one commits, below the mirror's mark: its report must not be missed
    report("lzgx", "2018Q2", zone_values(600_000))
    late = ApprovedFigureChange.objects.order_by("-pk").first()
    ApprovedFigureChange.objects.filter(pk=late.pk).update(id=last.pk + 5)
    reads.clear()
    assert_mirrored_read_is_the_store()
    assert reads == [True]
    assert "lzgx" in set(figures.figures_frame(compact=True)["org_unit"].astype(str))

    # the mirror's last change rolled back (or the database restored from before it): read whole
    ApprovedFigureChange.objects.order_by("-pk").first().delete()
    reads.clear()
    assert_mirrored_read_is_the_store()
    assert reads == [True]


@pytest.mark.django_db
def test_an_unreadable_mirror_costs_one_whole_read_and_is_written_again(report, mirror):
    path, reads = mirror
    report("lzxq", "2018Q2", zone_values(900_000))
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not parquet")
    assert_mirrored_read_is_the_store()
    assert reads == [True]
    reads.clear()
    assert_mirrored_read_is_the_store()
    assert reads == []


@pytest.mark.django_db
def test_no_mirror_before_the_first_approval(shipped_plan_in_db, mirror):
    path, reads = mirror
    assert figures.figures_frame(compact=True).empty
    assert reads == [True] and not path.exists()


@pytest.mark.django_db
def test_the_mirror_lives_under_the_data_dir_one_per_database_none_in_memory(settings, monkeypatch):
    name = str(connection.settings_dict["NAME"])
    sqlite = connection.vendor == "sqlite"
    where = figures.mirror_path()
    if sqlite and (name in ("", ":memory:") or "mode=memory" in name):
        assert where is None
    else:
        assert where is not None and where.is_relative_to(settings.DATA_DIR)
    monkeypatch.setitem(connection.settings_dict, "NAME", "/srv/lanbai/other.sqlite3" if sqlite else "other")
    other = figures.mirror_path()
    assert other is not None and other != where and other.is_relative_to(settings.DATA_DIR)
    monkeypatch.setitem(connection.settings_dict, "NAME", "/srv/lanbai/third.sqlite3" if sqlite else "third")
    assert figures.mirror_path() not in (other, where)


@pytest.mark.django_db
def test_the_full_recompute_over_the_mirror_equals_the_one_over_a_frame(report, make_user, mirror, monkeypatch):
    """Monitoring's full recompute reads the mirror in DuckDB (no frame in the process) where there
    is one; every indicator value equals the recompute over the frame read from the store."""
    from lanbai.monitoring import data
    from lanbai.monitoring import selectors as monitoring

    path, _ = mirror
    for zone, gdp in (("lzxq", 900_000), ("bygx", 250_000), ("lzjj", 120_000)):
        report(zone, "2017Q4", zone_values(gdp))
        report(zone, "2018Q4", zone_values(gdp * 1.1))
    # a row of a unit that does not exist: in neither recompute
    from lanbai.collection.models import ApprovedFigure

    ApprovedFigure.objects.create(submission_id=1, version_id=1, version_number=1, org_unit_id=987_654,
                                  period="2018Q4", form_code="兰白统Q1表", field="gdp", value=1.0)
    viewed = []
    real_view = data.reported_values_view
    monkeypatch.setattr(data, "reported_values_view", lambda con, name: viewed.append(real_view(con, name)) or viewed[-1])

    def indicators():
        monitoring._computed.clear()
        ind = monitoring.indicator_values()
        return ind.sort_values(["basis", "unit", "period", "indicator", "category"], ignore_index=True)

    over_mirror = indicators()
    assert viewed == [True] and path.exists()
    monkeypatch.setattr(figures, "mirror_path", lambda: None)
    over_frame = indicators()
    assert viewed == [True, False]
    assert over_mirror["value"].notna().sum() > 0
    pd.testing.assert_frame_equal(over_mirror, over_frame)
