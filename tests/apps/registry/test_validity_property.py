"""Property: the database count on a date equals the documented validity rule applied in Python."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lanbai.plans.models import OrgUnit
from lanbai.registry import selectors
from lanbai.registry.models import RdPlatform

DAY0 = dt.date(2015, 1, 1)
days = st.integers(min_value=0, max_value=6 * 366)
spans = st.lists(st.tuples(st.none() | days, st.none() | days), max_size=8)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spans=spans, on=days, in_zone=st.lists(st.booleans(), min_size=8, max_size=8))
def test_count_on_matches_the_rule(reg_plan, spans, on, in_zone):
    RdPlatform.objects.all().delete()
    zone = OrgUnit.objects.get(plan=reg_plan, code="lzxq")
    for i, (start, length) in enumerate(spans):
        valid_from = None if start is None else DAY0 + dt.timedelta(days=start)
        valid_to = None if valid_from is None or length is None else valid_from + dt.timedelta(days=length)
        RdPlatform.objects.create(
            name=f"p{i}",
            kind="other",
            zone=zone if in_zone[i] else None,
            valid_from=valid_from,
            valid_to=valid_to,
        )
    day = DAY0 + dt.timedelta(days=on)

    def valid(p: RdPlatform) -> bool:
        return p.valid_from is not None and p.valid_from <= day and (p.valid_to is None or day <= p.valid_to)

    objects = list(RdPlatform.objects.all())
    assert selectors.count_on("rd_platforms", on=day) == sum(map(valid, objects))
    assert selectors.count_on("rd_platforms", on=day, zone=zone) == sum(
        valid(p) for p in objects if p.zone_id == zone.id
    )
