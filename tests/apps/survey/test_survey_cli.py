"""``lanbai survey design|status|estimate``."""

from __future__ import annotations

import json

from typer.testing import CliRunner


def test_cli_survey_design_status_estimate(survey_frame, make_user):
    from lanbai.cli.main import app
    from lanbai.survey import selectors, services

    runner = CliRunner()
    res = runner.invoke(app, ["survey", "design", "--year", "2019", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["frame_size"] == 11 and data["sample_size"] == 8
    table = runner.invoke(app, ["survey", "design", "--year", "2019"])
    assert table.exit_code == 0 and "全面调查" in table.output and "样本 8 家" in table.output

    empty = runner.invoke(app, ["survey", "estimate", "--year", "2019"])
    assert empty.exit_code == 0 and "尚无已提交答卷" in empty.output
    province = make_user("sheng_cli_survey", "province")
    unit = next(u for u in selectors.round_units(2019) if u.take_all)
    services.response_save(province, unit, {"prod_goods": True, "prod_novelty": "firm"})
    status = json.loads(runner.invoke(app, ["survey", "status", "--year", "2019", "--json"]).output)
    assert status["submitted"] == 0 and sum(s["drafts"] for s in status["strata"]) == 1
    assert runner.invoke(app, ["survey", "status", "--year", "2018"]).exit_code == 1
    # a round with answers is not redrawn
    assert runner.invoke(app, ["survey", "design", "--year", "2019", "--redraw"]).exit_code == 1
