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


def test_survey_demo_publishes_its_reports(survey_frame):
    """After the demo's survey step the 创新调查报告 of 2019 and 2020 are numbered, published releases (the
    same service as ``lanbai report survey --publish``): the public sees them, not a draft; the annual report's
    survey section quotes them; a second run publishes nothing more."""
    from django.test import Client

    from lanbai.access.policy import OPERATOR
    from lanbai.reports import selectors, services
    from lanbai.reports.demo import demo_publish_survey
    from lanbai.reports.services import _survey_section
    from lanbai.survey.demo import DEMO_YEARS, survey_demo_run

    survey_demo_run()
    line = demo_publish_survey(DEMO_YEARS)
    assert "兰白调查〔2019〕第1号" in line and "兰白调查〔2020〕第1号" in line
    anon = Client()
    listing = anon.get("/reports/").content.decode()
    for year in DEMO_YEARS:
        rel = selectors.current_survey_release(year)
        assert rel is not None and rel.kind == "survey" and rel.number == f"兰白调查〔{year}〕第1号"
        assert rel.content["simulated"] and rel.pdf and rel.xlsx
        assert rel.number in listing
        page = anon.get(f"/reports/{rel.pk}/")
        assert page.status_code == 200 and rel.title in page.content.decode()
        assert anon.get(f"/api/reports/survey/{year}/").json()["cells"]
        section = _survey_section(year)  # the annual report's 六、企业创新调查
        assert section["number"] == rel.number and section["headline"]
    assert demo_publish_survey(DEMO_YEARS) == line  # nothing more published
    assert selectors.published_releases(kind="survey").count() == 2

    draft = services.release_create(kind="survey", period="2019", user=OPERATOR)  # not published
    assert draft.number == "兰白调查〔2019〕第2号"
    assert anon.get(f"/reports/{draft.pk}/").status_code == 404
    assert anon.get(f"/reports/{draft.pk}/file.pdf").status_code == 404
    assert draft.number not in anon.get("/reports/").content.decode()
    assert selectors.current_survey_release(2019).number == "兰白调查〔2019〕第1号"
