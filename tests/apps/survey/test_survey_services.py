"""The survey's services and selectors: draw a round, collect answers (with non-response), estimate."""

from __future__ import annotations

import math

import pytest

from lanbai.common.exceptions import ConflictError, NotFoundError, PermissionDeniedError, ValidationFailed

BASE = {
    "prod_goods": False,
    "prod_services": False,
    "proc_production": False,
    "proc_logistics": False,
    "proc_ict": False,
    "proc_admin": False,
    "proc_organisation": False,
    "proc_marketing": False,
    "rd_inhouse": 0,
    "rd_external": 0,
    "other_innovation": 0,
    "coop_any": False,
    "info_sources": ["internal"],
    "obs_cost": 2,
    "obs_finance": 2,
    "obs_staff": 2,
    "obs_market": 2,
    "ip_patent": False,
    "ip_trademark": False,
}


def answers(innovative: bool, rd: float) -> dict:
    a = dict(BASE, rd_inhouse=rd)
    if innovative:
        a.update(prod_goods=True, prod_novelty="market")
    return a


def test_draw_collect_and_estimate(survey_frame, make_user):
    from lanbai.survey import selectors, services

    province = make_user("sheng_survey", "province")
    zone_staff = make_user("fill_bygx_survey", "zone_reporter", "bygx")
    with pytest.raises(PermissionDeniedError):
        services.survey_round_draw(zone_staff, 2019)
    r = services.survey_round_draw(province, 2019)
    assert r.frame_size == 11 and r.seed == 2018 + 2019
    units = {u.stratum: [] for u in r.units.all()}
    for u in r.units.select_related("enterprise").order_by("enterprise__code"):
        units[u.stratum].append(u)
    assert {s: (len(us), us[0].population) for s, us in units.items()} == {
        "lzxq|0-19": (3, 5),
        "lzxq|census": (2, 2),
        "bygx|20-99": (3, 4),
    }
    assert all(u.take_all and u.inclusion_probability == 1 for u in units["lzxq|census"])
    assert units["bygx|20-99"][0].inclusion_probability == pytest.approx(0.75)

    # the same seed and frame draw the same sample
    again = services.survey_round_draw(province, 2019)
    assert sorted(u.enterprise_id for u in again.units.all()) == sorted(
        u.enterprise_id for us in units.values() for u in us
    )
    units = {s: [selectors.unit_get(2019, u.enterprise.code) for u in us] for s, us in units.items()}

    # answers: small lzxq all three respond, census both, bygx two of three (one draft = non-response)
    data = {
        "lzxq|0-19": [(True, 10.0), (False, 0.0), (True, 20.0)],
        "lzxq|census": [(True, 300.0), (True, 500.0)],
        "bygx|20-99": [(True, 40.0), (False, 10.0)],
    }
    for s, values in data.items():
        for u, (inn, rd) in zip(units[s], values, strict=False):
            services.response_save(province, u, answers(inn, rd), submit=True)
    draft_unit = units["bygx|20-99"][2]
    services.response_save(zone_staff, draft_unit, {"prod_goods": True})  # a partial draft is allowed

    # bad answers name the question; an incomplete submission names the missing question
    with pytest.raises(ValidationFailed) as exc:
        services.response_save(zone_staff, draft_unit, {"prod_goods": True, "rd_inhouse": -1})
    assert "rd_inhouse" in str(exc.value)
    with pytest.raises(ValidationFailed) as exc:
        services.response_save(zone_staff, draft_unit, {"prod_goods": True}, submit=True)
    assert "prod_services" in str(exc.value)
    # staff of another zone neither write nor read the answers
    with pytest.raises(PermissionDeniedError):
        services.response_save(zone_staff, units["lzxq|0-19"][0], answers(True, 1))
    with pytest.raises(NotFoundError):
        selectors.response_for(zone_staff, units["lzxq|0-19"][0])
    assert selectors.response_for(zone_staff, draft_unit)["state"] == "draft"

    # a round with responses is not redrawn
    with pytest.raises(ConflictError):
        services.survey_round_draw(province, 2019)

    status = selectors.round_status(province, 2019)
    rates = {s["stratum"]: (s["submitted"], s["drafts"], s["response_rate"]) for s in status["strata"]}
    assert rates == {
        "bygx|20-99": (2, 1, pytest.approx(2 / 3)),
        "lzxq|0-19": (3, 0, 1.0),
        "lzxq|census": (2, 0, 1.0),
    }
    assert [s["stratum"] for s in selectors.round_status(zone_staff, 2019)["strata"]] == ["bygx|20-99"]

    # estimates against the stratified formulas by hand: N_h, r_h respondents, ȳ_h, s²_h (ddof 1)
    est = {row["code"]: row for row in selectors.round_estimates(province, 2019)["indicators"]}

    def by_hand(ys_by_stratum: dict[str, list[float]], pops: dict[str, int]) -> tuple[float, float]:
        total = var = 0.0
        for s, ys in ys_by_stratum.items():
            n_pop, r = pops[s], len(ys)
            mean = sum(ys) / r
            s2 = sum((y - mean) ** 2 for y in ys) / (r - 1)
            total += n_pop * mean
            var += n_pop**2 * (1 - r / n_pop) * s2 / r
        return total, math.sqrt(var)

    pops = {"lzxq|0-19": 5, "lzxq|census": 2, "bygx|20-99": 4}
    total, se = by_hand({s: [rd for _, rd in v] for s, v in data.items()}, pops)
    # 5·10 + 2·400 + 4·25 = 950 万元; SE² = 25·(2/5)·100/3 + 0 + 16·(1/2)·450/2
    assert total == pytest.approx(950.0)
    assert est["expenditure"]["value"] == pytest.approx(total)
    assert est["expenditure"]["se"] == pytest.approx(se)
    assert se == pytest.approx(math.sqrt(25 * 0.4 * 100 / 3 + 16 * 0.5 * 450 / 2))
    ptotal, pse = by_hand({s: [float(i) for i, _ in v] for s, v in data.items()}, pops)
    assert est["innovative"]["value"] == pytest.approx(ptotal / 11)
    assert est["innovative"]["se"] == pytest.approx(pse / 11)
    assert est["innovative"]["ci_low"] == pytest.approx(ptotal / 11 - 1.959963984540054 * pse / 11)
    assert est["innovative"]["respondents"] == 7 and est["innovative"]["uncovered"] == 0


def test_draw_needs_a_frame(shipped_plan_in_db, make_user):
    from lanbai.survey import services

    with pytest.raises(ValidationFailed):
        services.survey_round_draw(make_user("sheng_s2", "province"), 2019)
    with pytest.raises(ValidationFailed):
        services.survey_round_draw(make_user("sheng_s3", "province"), 1999)


def test_responses_created_in_bulk_are_checked_as_one_by_one(survey_frame, make_user):
    """The demo's bulk path: every entry is checked and validated as response_save does, one bad
    entry or an already answered unit writes nothing, and each response gets its audit event."""
    from lanbai.common.models import AuditEvent
    from lanbai.survey import selectors, services
    from lanbai.survey.models import Response

    province = make_user("sheng_bulk", "province")
    services.survey_round_draw(province, 2019)
    units = selectors.round_units(2019)
    lzxq_staff = make_user("fill_lzxq_bulk", "zone_reporter", "lzxq")
    other_zone = next(u for u in units if u.zone.code == "bygx")
    with pytest.raises(PermissionDeniedError):
        services.responses_create_bulk(lzxq_staff, [(other_zone, answers(True, 5), True)])
    bad = [(units[0], answers(True, 5), True), (units[1], {"prod_goods": "maybe"}, True)]
    with pytest.raises(ValidationFailed, match="prod_goods"):
        services.responses_create_bulk(province, bad)
    assert not Response.objects.exists()
    entries = [(units[0], answers(True, 5), True), (units[1], {"prod_goods": False}, False)]
    assert services.responses_create_bulk(province, entries) == 2
    got = {r.unit_id: r for r in Response.objects.all()}
    assert got[units[0].pk].state == "submitted" and got[units[0].pk].submitted_at is not None
    assert got[units[1].pk].state == "draft" and got[units[1].pk].answers == {"prod_goods": False}
    events = AuditEvent.objects.filter(object_type="survey.response").values_list("action", "object_id")
    assert sorted(events) == sorted([("survey_response_submit", got[units[0].pk].pk),
                                     ("survey_response_save", got[units[1].pk].pk)])
    with pytest.raises(ConflictError):
        services.responses_create_bulk(province, [(units[0], answers(False, 0), True)])
    assert services.response_save(province, units[1], answers(False, 1), submit=True).state == "submitted"
