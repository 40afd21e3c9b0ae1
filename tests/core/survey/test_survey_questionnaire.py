"""Questionnaire as data: parsing the plan's file, skip logic and per-question validation."""

from pathlib import Path

import pytest

from lanbai.core.survey.questionnaire import (
    QuestionnaireError,
    is_innovative,
    load_questionnaire,
    parse_questionnaire,
    validate_answers,
)

PLAN = Path(__file__).resolve().parents[3] / "plans" / "lanbai-2015-2020" / "survey" / "questionnaire.yaml"


@pytest.fixture(scope="module")
def qn():
    return load_questionnaire(PLAN)


def full_answers():
    return {
        "prod_goods": "是",
        "prod_services": False,
        "prod_novelty": "market",
        "proc_production": True,
        "proc_logistics": False,
        "proc_ict": False,
        "proc_admin": False,
        "proc_organisation": False,
        "proc_marketing": False,
        "rd_inhouse": "120.5",
        "rd_external": 0,
        "other_innovation": 30,
        "coop_any": False,
        "info_sources": ["clients", "internal", "clients"],
        "obs_cost": 4,
        "obs_finance": "2",
        "obs_staff": 1,
        "obs_market": 3,
        "ip_patent": True,
        "ip_patent_count": 3,
        "ip_trademark": False,
    }


def test_plan_questionnaire_has_the_oslo_sections(qn):
    assert [s for s, _ in qn.sections] == [
        "product", "process", "activities", "cooperation", "sources", "obstacles", "ip"
    ]  # fmt: skip
    assert len([q for q in qn.questions if q.section == "process"]) == 6


def test_valid_answers_are_cleaned(qn):
    out = validate_answers(qn, full_answers())
    assert out["prod_goods"] is True
    assert out["rd_inhouse"] == 120.5
    assert out["obs_finance"] == 2
    assert out["info_sources"] == ["internal", "clients"]
    assert "coop_partners" not in out
    assert is_innovative(out)


def test_skipped_question_answer_is_refused(qn):
    a = full_answers() | {"coop_partners": ["suppliers"]}
    with pytest.raises(QuestionnaireError, match="'coop_partners': not asked"):
        validate_answers(qn, a)


def test_asked_dependent_question_is_required(qn):
    a = full_answers() | {"coop_any": True}
    with pytest.raises(QuestionnaireError, match="'coop_partners': an answer is required"):
        validate_answers(qn, a)
    a["coop_partners"] = ["universities", "nowhere"]
    with pytest.raises(QuestionnaireError, match="nowhere not among the options"):
        validate_answers(qn, a)


def test_every_problem_is_named(qn):
    a = full_answers() | {"rd_inhouse": -1, "obs_cost": 5, "ip_patent_count": 2.5, "bogus": 1}
    with pytest.raises(QuestionnaireError) as exc:
        validate_answers(qn, a)
    text = str(exc.value)
    assert "'bogus': unknown question" in text
    assert "'rd_inhouse': the amount (万元) must be zero or more" in text
    assert "'obs_cost': a scale answer is 1, 2, 3 or 4" in text
    assert "'ip_patent_count': a whole number is expected" in text
    assert len(exc.value.problems) == 4


def test_draft_may_be_partial_but_submission_not(qn):
    assert validate_answers(qn, {"prod_goods": False}, complete=False) == {"prod_goods": False}
    with pytest.raises(QuestionnaireError, match="'prod_services': an answer is required"):
        validate_answers(qn, {"prod_goods": False})


def test_not_innovative_without_product_or_process():
    assert not is_innovative({"prod_goods": False, "proc_ict": False, "rd_inhouse": 10.0})


def test_definition_errors_name_the_question():
    data = {
        "id": "x",
        "sections": [
            {
                "id": "s",
                "questions": [
                    {"id": "a", "type": "yes_no", "text": "A", "colour": "red"},
                    {"id": "b", "type": "choice", "text": "B"},
                    {"id": "c", "type": "amount", "text": "C", "when": {"z": True}},
                    {"id": "d", "type": "slider", "text": "D"},
                ],
            }
        ],
    }
    with pytest.raises(QuestionnaireError) as exc:
        parse_questionnaire(data, source="q.yaml")
    text = str(exc.value)
    assert "q.yaml: question 'a': unknown key 'colour'" in text
    assert "question 'b': a choice question lists its options" in text
    assert "question 'c': when refers to 'z', not an earlier question" in text
    assert "question 'd': type 'slider'" in text
