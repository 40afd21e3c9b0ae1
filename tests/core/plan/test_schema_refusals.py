"""The loader refuses an invalid plan: every issue names file, path and rule; nothing is loaded."""

from __future__ import annotations

import pytest

from lanbai.core.plan import PlanError, PlanIssue, load_plan


def refused(write_plan, files) -> list[PlanIssue]:
    with pytest.raises(PlanError) as info:
        load_plan(write_plan(files))
    return info.value.issues


def test_the_base_plan_loads(base_plan, write_plan):
    plan = load_plan(write_plan(base_plan))
    assert plan.targets[0].target.value == 1377
    assert plan.origin("targets", 0) == "indicators.yaml:targets[0]"


def test_a_string_where_a_number_is(base_plan, write_plan):
    base_plan["indicators.yaml"]["targets"][0]["target"]["value"] = "1377"
    assert refused(write_plan, base_plan) == [
        PlanIssue(
            "indicators.yaml",
            "targets[0].target.value",
            "float_type",
            "Input should be a valid number (value: '1377')",
        )
    ]


def test_a_number_with_a_stray_space_as_in_the_seed_is_a_string(base_plan, write_plan):
    # 附件1 writes "46. 8": transcribed verbatim it is text, and text is not a number
    base_plan["indicators.yaml"]["targets"][0]["stated_annual_growth_pct"] = "46. 8"
    (issue,) = refused(write_plan, base_plan)
    assert (issue.path, issue.rule) == ("targets[0].stated_annual_growth_pct", "float_type")


def test_an_unknown_zone(base_plan, write_plan):
    base_plan["indicators.yaml"]["targets"][0]["org_unit"] = "nowhere"
    assert refused(write_plan, base_plan) == [
        PlanIssue(
            "indicators.yaml",
            "targets[0].org_unit",
            "unknown-reference",
            "unknown organisation unit 'nowhere'",
        )
    ]


def test_an_unknown_member_of_an_aggregate(base_plan, write_plan):
    base_plan["organisation.yaml"]["org_units"][5]["members"].append("baiyin")
    assert refused(write_plan, base_plan) == [
        PlanIssue(
            "organisation.yaml",
            "org_units[5].members[2]",
            "unknown-reference",
            "unknown organisation unit 'baiyin'",
        )
    ]


def test_an_unknown_indicator(base_plan, write_plan):
    base_plan["indicators.yaml"]["targets"][0]["indicator"] = "nothing"
    assert refused(write_plan, base_plan) == [
        PlanIssue(
            "indicators.yaml", "targets[0].indicator", "unknown-reference", "unknown indicator 'nothing'"
        )
    ]


def test_a_figure_without_source(base_plan, write_plan):
    del base_plan["indicators.yaml"]["targets"][0]["source"]
    assert refused(write_plan, base_plan) == [
        PlanIssue("indicators.yaml", "targets[0].source", "missing", "Field required")
    ]


def test_a_figure_with_an_empty_source(base_plan, write_plan):
    base_plan["indicators.yaml"]["targets"][0]["source"] = ""
    assert refused(write_plan, base_plan) == [
        PlanIssue(
            "indicators.yaml",
            "targets[0].source",
            "value_error",
            "Value error, a source is required: the 专栏/附件/section of the plan where the figure is written "
            "(value: '')",
        )
    ]


def test_a_source_that_is_no_section_of_the_plan(base_plan, write_plan):
    base_plan["indicators.yaml"]["targets"][0]["source"] = "somewhere"
    (issue,) = refused(write_plan, base_plan)
    assert issue.path == "targets[0].source"
    assert "is not a section reference of the plan" in issue.message


def test_a_duplicate_code(base_plan, write_plan):
    inds = base_plan["indicators.yaml"]["indicators"]
    inds.append(dict(inds[0]))
    assert refused(write_plan, base_plan) == [
        PlanIssue(
            "indicators.yaml",
            "indicators[5].code",
            "duplicate-code",
            "code 'gdp' is already used at indicators.yaml:indicators[0]",
        )
    ]


def test_a_duplicate_code_across_files(base_plan, write_plan):
    base_plan["more.yaml"] = {"indicators": [dict(base_plan["indicators.yaml"]["indicators"][1])]}
    (issue,) = refused(write_plan, base_plan)
    assert (issue.file, issue.path, issue.rule) == ("more.yaml", "indicators[0].code", "duplicate-code")
    assert issue.message == "code 'rd_share' is already used at indicators.yaml:indicators[1]"


def test_an_unknown_key(base_plan, write_plan):
    base_plan["indicators.yaml"]["targets"][0]["colour"] = "red"
    assert refused(write_plan, base_plan) == [
        PlanIssue(
            "indicators.yaml",
            "targets[0].colour",
            "extra_forbidden",
            "Extra inputs are not permitted (value: 'red')",
        )
    ]


def test_an_unknown_section(base_plan, write_plan):
    base_plan["indicators.yaml"]["target"] = []
    (issue,) = refused(write_plan, base_plan)
    assert (issue.file, issue.path, issue.rule) == ("indicators.yaml", "target", "unknown-section")


def test_a_yaml_syntax_error(base_plan, write_plan):
    base_plan["bad.yaml"] = "targets:\n  - indicator: gdp\n   org_unit: xinqu\n"
    (issue,) = refused(write_plan, base_plan)
    assert (issue.file, issue.path, issue.rule) == ("bad.yaml", "line 3, column 4", "yaml-syntax")
    assert "expected <block end>" in issue.message
    assert "\n" not in issue.message and "  " not in issue.message
    assert str(issue).startswith("bad.yaml: line 3, column 4: [yaml-syntax] ")


def test_every_issue_of_every_file_is_reported_together(base_plan, write_plan):
    base_plan["indicators.yaml"]["targets"][0]["target"]["value"] = "x"
    base_plan["indicators.yaml"]["indicators"][0]["colour"] = "red"
    base_plan["bad.yaml"] = "a: [\n"
    issues = refused(write_plan, base_plan)
    assert sorted((i.file, i.rule) for i in issues) == [
        ("bad.yaml", "yaml-syntax"),
        ("indicators.yaml", "extra_forbidden"),
        ("indicators.yaml", "float_type"),
    ]


def test_plan_error_message_lists_every_issue(base_plan, write_plan):
    base_plan["indicators.yaml"]["targets"][0]["org_unit"] = "nowhere"
    base_plan["indicators.yaml"]["targets"][0]["indicator"] = "nothing"
    with pytest.raises(PlanError) as info:
        load_plan(write_plan(base_plan))
    assert str(info.value).splitlines() == [
        "indicators.yaml: targets[0].indicator: [unknown-reference] unknown indicator 'nothing'",
        "indicators.yaml: targets[0].org_unit: [unknown-reference] unknown organisation unit 'nowhere'",
    ]
