"""The demo's files made in a second process (``lanbai demo --synthetic N`` at scale) are the files
made inline: same order, same times, same cells; a failure there is raised in the importing process."""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import zipfile

import numpy as np
import pytest

from lanbai.collection.demo import simulator
from lanbai.collection.models import Enterprise
from lanbai.common.exceptions import ApplicationError


def _members(data: bytes) -> dict[str, bytes]:
    """The workbook's parts but the one holding the time it was written (openpyxl's core.xml)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist() if name != "docProps/core.xml"}


def _population(n: int) -> list[Enterprise]:
    """Unsaved enterprises (the files read only their code, name, key and registration date)."""
    codes = [simulator.credit_code(np.random.default_rng(k)) for k in range(n)]
    return [
        Enterprise(pk=k + 1, credit_code=c, name=f"模拟企业{k}", registered_on=dt.date(2015 + k % 3, 5, 1))
        for k, c in enumerate(codes)
    ]


def _made(zones, *, seed: int, per_zone: int, parallel: bool) -> list[simulator._File]:
    from lanbai.plans.selectors import orgunit_find

    rng = np.random.default_rng(seed)
    root = orgunit_find("lanbai", plan=zones[0].plan)
    ents = _population(per_zone * len(zones))
    firms = {
        z.code: simulator._firms(ents[k * per_zone : (k + 1) * per_zone], rng, simulator.LAGGING.get(z.code, 1.0))
        for k, z in enumerate(zones)
    }
    files = simulator._files(
        zones,
        simulator.quarters()[:6],
        firms,
        rng,
        root=root,
        targets=simulator._trajectories([*zones, root]),
        counts=simulator.count_targets(root),
    )
    return list(simulator._produced(files) if parallel else files)


@pytest.mark.django_db
def test_files_made_in_a_second_process_are_the_files_made_inline(monkeypatch):
    from lanbai.plans.selectors import plan_current
    from lanbai.plans.selectors import zone_list as plan_zone_list
    from lanbai.plans.services import plan_load_into_db

    plan_load_into_db()
    zones = list(plan_zone_list(plan=plan_current()).order_by("order", "code"))
    # a spoiled file and its late correction among them, and both kinds of workbook (template, fast)
    monkeypatch.setattr(simulator, "SPOILED", [(zones[1].code, "2015Q2", simulator.ENT_FORM, "rd_staff", True)])
    monkeypatch.setattr(simulator, "TEMPLATE_ROWS", 4)
    inline = _made(zones, seed=7, per_zone=6, parallel=False)
    forked = _made(zones, seed=7, per_zone=6, parallel=True)
    # a 园区季报 per zone and quarter; a 企业季报 from 2015Q2 (the first firms register in May 2015)
    assert len(inline) == 6 * len(zones) + 5 * len(zones) + 1
    assert [(f.step, f.zone, f.period, f.form_code, f.when, f.wrong_period) for f in forked] == [
        (f.step, f.zone, f.period, f.form_code, f.when, f.wrong_period) for f in inline
    ]
    assert [_members(f.data) for f in forked] == [_members(f.data) for f in inline]
    late = [f for f in inline if (f.zone, f.period, f.form_code) == (1, "2015Q2", simulator.ENT_FORM)]
    assert len(late) == 2 and late[1].when - late[0].when == dt.timedelta(days=20)
    assert not multiprocessing.active_children()  # the child has ended


def _failing():
    yield simulator._File(1, 0, "2015Q1", simulator.ENT_FORM, b"x", dt.datetime(2015, 4, 5, tzinfo=dt.UTC))
    raise ValueError("no such firm")


def test_a_failure_while_making_the_files_is_raised_where_they_are_imported():
    got = []
    with pytest.raises(ApplicationError) as err:
        for f in simulator._produced(_failing()):
            got.append(f.period)
    assert got == ["2015Q1"]
    assert "ValueError: no such firm" in err.value.message
    assert not multiprocessing.active_children()


def test_leaving_early_stops_the_second_process():
    def endless():
        k = 0
        while True:
            k += 1
            yield simulator._File(k, 0, "2015Q1", simulator.ENT_FORM, b"x", dt.datetime(2015, 4, 5, tzinfo=dt.UTC))

    files = simulator._produced(endless())
    assert next(files).step == 1
    files.close()
    assert not multiprocessing.active_children()
