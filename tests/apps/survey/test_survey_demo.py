"""The survey demo (模拟数据): two rounds with non-response, estimable, a second run changes nothing."""

from __future__ import annotations


def test_survey_demo_rounds(survey_frame):
    from lanbai.survey import selectors
    from lanbai.survey.demo import survey_demo_run

    line = survey_demo_run()
    assert "模拟数据" in line and "2019" in line and "2020" in line
    for year in (2019, 2020):
        status = selectors.round_status(None, year)
        assert status["is_simulated"] and status["sample_size"] == 8
        assert 0 < status["submitted"] < status["sample_size"]  # some non-response
        est = selectors.round_estimates(None, year)
        assert {r["code"] for r in est["indicators"]} >= {"innovative", "expenditure"}
    assert survey_demo_run() == line
