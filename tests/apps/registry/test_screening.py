"""Screening through the Django path: registry profile + approved figures only; rule boundaries; CLI."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from lanbai.cli.main import app
from lanbai.registry import selectors
from lanbai.registry.models import EnterpriseProfile

runner = CliRunner()

PROFILE = dict(
    independent_legal_person=True,
    main_business_kind="装备制造",
    rd_staff_senior_or_master=2,
    has_rd_institution=True,
    valid_patents=3,
    invention_patents=0,
    new_drug_certificates=0,
    software_copyrights=1,
    quality_certified=True,
)
FIGURES = dict(revenue=1000, profit=10, tax=10, rd_expenditure=15, rd_staff=10, invention_patents_valid=0)


@pytest.fixture
def firm(make_enterprise, report):
    def _firm(name="甲公司", n=11, profile=None, figures=None, period="2018Q4"):
        ent = make_enterprise(name, n=n)
        EnterpriseProfile.objects.create(enterprise=ent, **{**PROFILE, **(profile or {})})
        if figures is not False:
            report(ent, period, {**FIGURES, **(figures or {})})
        return ent

    return _firm


def screened(reg_plan, ent) -> dict:
    return selectors.screen(reg_plan, [ent])[0]


def crit(result: dict, n: int) -> str:
    return next(c["verdict"] for c in result["criteria"] if c["number"] == n)


def test_exactly_1000_wan_passes_and_just_below_fails(reg_plan, firm):
    r = screened(reg_plan, firm())
    assert r["status"] == "eligible" and crit(r, 3) == "pass" and crit(r, 5) == "pass"
    assert r["figures_period"] == "2018Q4" and "全年" in r["figures_basis"]
    assert set(r["pending_review"]) and all(p.startswith(("1.", "2.")) for p in r["pending_review"])
    assert crit(r, 1) == "needs_review" and crit(r, 2) == "needs_review"
    below = screened(reg_plan, firm("乙", 12, figures={"revenue": 999.99, "rd_expenditure": 20}))
    assert crit(below, 3) == "fail" and below["status"] == "not_eligible"


def test_rd_share_threshold_switches_at_exactly_3000_wan(reg_plan, firm):
    at = screened(reg_plan, firm("甲", 21, figures={"revenue": 3000, "rd_expenditure": 30}))  # 1.0 % at 3000
    assert crit(at, 5) == "pass"
    below = screened(
        reg_plan, firm("乙", 22, figures={"revenue": 2999, "rd_expenditure": 30})
    )  # 1.0003 % < 1.5
    assert crit(below, 5) == "fail"
    exact = screened(
        reg_plan, firm("丙", 23, figures={"revenue": 2000, "rd_expenditure": 30})
    )  # exactly 1.5 %
    assert crit(exact, 5) == "pass"


def test_two_versus_three_patents(reg_plan, firm):
    assert crit(screened(reg_plan, firm("甲", 31, profile={"valid_patents": 3})), 6) == "pass"
    two = screened(reg_plan, firm("乙", 32, profile={"valid_patents": 2}))
    assert crit(two, 6) == "fail" and two["status"] == "not_eligible"
    # one invention patent from the approved report suffices
    inv = screened(
        reg_plan, firm("丙", 33, profile={"valid_patents": 2}, figures={"invention_patents_valid": 1})
    )
    assert crit(inv, 6) == "pass"


def test_missing_figures_are_not_decidable_and_named(reg_plan, firm):
    r = screened(reg_plan, firm(figures=False))
    assert r["status"] == "undecided" and r["figures_period"] is None
    assert {"revenue_wan", "rd_expenditure_wan"} <= set(r["missing"])
    check = next(k for c in r["criteria"] if c["number"] == 5 for k in c["checks"])
    assert check["verdict"] == "not_decidable" and "缺少" in check["message"]


def test_only_approved_figures_are_read_never_drafts(reg_plan, firm, report):
    ent = firm()  # approved 2018Q4: revenue 1000
    report(ent, "2019Q4", {**FIGURES, "revenue": 10}, status="draft")
    report(ent, "2019Q2", {**FIGURES, "revenue": 20}, status="zone_approved")
    r = screened(reg_plan, ent)
    assert r["figures_period"] == "2018Q4" and crit(r, 3) == "pass"
    # a correction under review keeps the approved version
    sub = report(ent, "2018Q4", {**FIGURES, "revenue": 5}, status="approved")
    from lanbai.collection.models import SubmissionVersion

    first = SubmissionVersion.objects.get(submission=sub, number=1)
    sub.approved_version = first
    sub.status = "submitted"
    sub.save()
    assert crit(screened(reg_plan, ent), 3) == "pass"


def test_latest_approved_quarter_when_no_q4_is_stated(reg_plan, firm):
    r = screened(reg_plan, firm(period="2019Q2"))
    assert r["figures_period"] == "2019Q2" and "非全年" in r["figures_basis"]


def test_reviewer_refusal_makes_not_eligible(reg_plan, firm):
    r = screened(reg_plan, firm(profile={"credit_good": False}))
    assert r["status"] == "not_eligible" and r["notes"]


def test_cli_screen_enterprise_json_and_all_to_xlsx(reg_plan, firm, tmp_path):
    ent = firm(name='=HYPERLINK("x")')
    firm("乙", 12, figures={"revenue": 500, "rd_expenditure": 1})
    res = runner.invoke(app, ["registry", "screen", "--enterprise", ent.credit_code, "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["credit_code"] == ent.credit_code and data["status"] == "eligible"
    path = tmp_path / "s.xlsx"
    res = runner.invoke(app, ["registry", "screen", "--xlsx", str(path)])
    assert res.exit_code == 0, res.output
    ws = load_workbook(path)["筛查结果"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 2
    assert '\'=HYPERLINK("x")' in [r[1] for r in rows]
    assert {r[4] for r in rows} == {"eligible", "not_eligible"}
    res = runner.invoke(app, ["registry", "screen", "--enterprise", "91620100MA00000000"])
    assert res.exit_code == 1 and "未找到" in res.output


def test_cli_screen_profile_file_needs_no_registry(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"revenue_wan": 3000, "rd_expenditure_wan": 30, "registered_in_zone": True}))
    res = runner.invoke(app, ["registry", "screen", "--profile", str(path), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["status"] == "undecided"
    assert next(c for c in data["criteria"] if c["number"] == 5)["verdict"] == "pass"
    path.write_text(json.dumps({"revenue_wan": -1}))
    res = runner.invoke(app, ["registry", "screen", "--profile", str(path)])
    assert res.exit_code == 1 and "revenue_wan" in res.output
    path.write_text(json.dumps({"credit_code": "123"}))
    assert "credit_code" in runner.invoke(app, ["registry", "screen", "--profile", str(path)]).output


def test_cli_policy_match_contract_years_and_text_only(tmp_path):
    path = tmp_path / "person.json"
    base = {"kind": "person", "is_introduced_talent": True, "is_urgent_high_level_talent": True}
    path.write_text(json.dumps({**base, "contract_years": 5}))
    res = runner.invoke(app, ["policy", "match", "--profile", str(path), "--json"])
    assert res.exit_code == 0, res.output
    arts = {a["number"]: a for a in json.loads(res.output)["articles"]}
    assert len(arts) == 23
    assert arts[7]["status"] == "qualifies" and arts[7]["benefits"][0]["amount_max"] == 20
    assert arts[1]["status"] == "policy_text_only"
    path.write_text(json.dumps({**base, "contract_years": 4}))
    arts = {
        a["number"]: a
        for a in json.loads(runner.invoke(app, ["policy", "match", "--profile", str(path), "--json"]).output)[
            "articles"
        ]
    }
    assert arts[7]["status"] == "does_not_qualify" and arts[7]["failing"]
    res = runner.invoke(app, ["policy", "match", "--profile", str(path)])
    assert res.exit_code == 0 and "符合" in res.output


def test_cli_seed_counts_export_import(reg_plan, tmp_path, codes):
    res = runner.invoke(app, ["registry", "seed"])
    assert res.exit_code == 0 and "candidates: +3" in res.output, res.output
    res = runner.invoke(app, ["registry", "screen"])
    assert res.exit_code == 0 and "3 户尚无填报企业记录" in res.output
    res = runner.invoke(app, ["registry", "counts", "--on", "2020-12-31", "--json"])
    rows = json.loads(res.output)
    assert (
        next(r for r in rows if r["indicator"] == "innovative_enterprises" and r["unit_code"] == "lanbai")[
            "target"
        ]
        == 200.0
    )
    assert runner.invoke(app, ["registry", "counts", "--on", "2020-13-01"]).exit_code == 1
    path = tmp_path / "p.xlsx"
    assert runner.invoke(app, ["registry", "export", "platforms", str(path)]).exit_code == 0
    res = runner.invoke(app, ["registry", "import", "platforms", str(path)])
    assert res.exit_code == 1 and "file.no_data" in res.output


def test_screening_many_enterprises_reads_in_a_fixed_number_of_queries(
    reg_plan, firm, django_assert_max_num_queries
):
    for n in range(6):
        firm(f"企业{n}", 40 + n)
    from lanbai.collection.models import Enterprise

    ents = list(Enterprise.objects.select_related("zone"))
    with django_assert_max_num_queries(4):
        results = selectors.screen(reg_plan, ents)
    assert len(results) == 6 and {r["status"] for r in results} == {"eligible"}
