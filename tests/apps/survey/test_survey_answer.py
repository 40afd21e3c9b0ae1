"""The enterprise answers the questionnaire on the web and in Excel; 催报 of non-respondents; the survey API."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook
from test_survey_services import BASE

from lanbai.survey.models import Response


def _form(answers: dict) -> dict:
    """The answers as the web form posts them (是/否 as 1/0, multiple choices as lists)."""
    out: dict = {}
    for k, v in answers.items():
        out[k] = ("1" if v else "0") if isinstance(v, bool) else v if isinstance(v, list) else str(v)
    return out


@pytest.fixture
def drawn(survey_frame, make_user):
    from lanbai.access.models import UserScope
    from lanbai.survey import selectors, services

    province = make_user("sheng_answer", "province")
    services.survey_round_draw(province, 2019)
    unit = next(u for u in selectors.round_units(2019) if u.zone.code == "lzxq" and not u.take_all)
    ent_user = make_user("ent_answer", "zone_reporter", "lzxq")
    ent = next(e for e in survey_frame if e.org_unit_id == unit.enterprise_id)
    UserScope.objects.filter(user=ent_user).update(role="enterprise_reporter", org_unit=ent.org_unit)
    return {"province": province, "unit": unit, "ent_user": ent_user, "ent": ent}


def test_web_form_skip_logic_errors_draft_and_submit(drawn, make_user):
    unit, code = drawn["unit"], drawn["ent"].credit_code
    c = Client()
    c.force_login(drawn["ent_user"])
    # the workbench links to the questionnaire
    bench = c.get("/workbench/").content.decode()
    assert f"/survey/2019/{code}/" in bench and "填写问卷" in bench
    page = c.get(f"/survey/2019/{code}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "内部研发经费支出" in text and "仅当" in text  # the skip condition is shown
    # a bad amount is refused next to its question; nothing is stored
    bad = _form(BASE) | {"rd_inhouse": "abc", "coop_any": "0", "coop_partners": ["universities"]}
    res = c.post(f"/survey/2019/{code}/", bad | {"action": "submit"})
    assert res.status_code == 400
    body = res.content.decode()
    assert "内部研发经费支出（rd_inhouse）：应为数字" in body
    assert not Response.objects.filter(unit=unit).exists()
    # a draft may be partial; the partner answer of a skipped question is dropped server-side (coop_any = 否)
    res = c.post(f"/survey/2019/{code}/", {"prod_goods": "1", "coop_any": "0", "coop_partners": ["universities"],
                                           "action": "save"})
    assert res.status_code == 302
    r = Response.objects.get(unit=unit)
    assert r.state == "draft" and r.answers == {"prod_goods": True, "coop_any": False}
    # submitting without an asked required question names it (prod_novelty is asked: prod_goods = 是)
    res = c.post(f"/survey/2019/{code}/", _form(BASE) | {"prod_goods": "1", "action": "submit"})
    assert res.status_code == 400 and "产品创新的新颖程度（prod_novelty）：此题必答" in res.content.decode()
    res = c.post(f"/survey/2019/{code}/", _form(BASE) | {"prod_goods": "1", "prod_novelty": "market",
                                                          "rd_inhouse": "1,250.5", "action": "submit"})
    assert res.status_code == 302
    r.refresh_from_db()
    assert r.state == "submitted" and r.answers["rd_inhouse"] == 1250.5 and r.answers["prod_novelty"] == "market"
    # another zone's staff and another enterprise get 404, nothing changes
    other = Client()
    other.force_login(make_user("fill_bygx_answer", "zone_reporter", "bygx"))
    assert other.get(f"/survey/2019/{code}/").status_code == 404
    assert other.post(f"/survey/2019/{code}/", {"action": "save"}).status_code == 404


def test_excel_round_trip_and_errors_name_sheet_row_question(drawn):
    unit, code = drawn["unit"], drawn["ent"].credit_code
    c = Client()
    c.force_login(drawn["ent_user"])
    c.post(f"/survey/2019/{code}/", {"prod_goods": "1", "action": "save"})
    res = c.get(f"/survey/2019/{code}/questionnaire.xlsx")
    assert res.status_code == 200
    wb = load_workbook(io.BytesIO(res.content))
    ws = wb["问卷"]
    assert ws["B2"].value == code and ws["B3"].value == 2019
    rows = {ws.cell(r, 1).value: r for r in range(5, ws.max_row + 1)}
    assert ws.cell(rows["prod_goods"], 5).value == "是"  # prefilled with the saved draft

    def fill(**changes):
        values = {k: ("是" if v else "否") if isinstance(v, bool) else v for k, v in BASE.items()}
        values["info_sources"] = "企业内部、客户"
        values.update(changes)
        for k, v in values.items():
            ws.cell(rows[k], 5).value = v
        buf = io.BytesIO()
        wb.save(buf)
        buf.seek(0)
        buf.name = "q.xlsx"
        return buf

    bad = fill(rd_inhouse=-3, prod_goods="否", prod_novelty=None)
    res = c.post(f"/survey/2019/{code}/upload/", {"file": bad, "submit": "1"})
    assert res.status_code == 400
    text = res.content.decode()
    assert f"工作表“问卷”第 {rows['rd_inhouse']} 行（题号 rd_inhouse，内部研发经费支出）" in text
    assert "不能为负数" in text
    r = Response.objects.get(unit=unit)
    assert r.answers == {"prod_goods": True}  # nothing half-written
    good = fill(prod_goods="是", prod_novelty="对市场是新的", rd_inhouse=80)
    res = c.post(f"/survey/2019/{code}/upload/", {"file": good, "submit": "1"})
    assert res.status_code == 302
    r.refresh_from_db()
    assert r.state == "submitted" and r.answers["prod_novelty"] == "market"
    assert r.answers["info_sources"] == ["internal", "clients"] and r.answers["rd_inhouse"] == 80
    # a file of another enterprise is refused by row
    from lanbai.survey import selectors

    other = next(u for u in selectors.round_units(2019) if u.zone.code == "lzxq" and u.pk != unit.pk)
    p = Client()
    p.force_login(drawn["province"])
    res = p.post(f"/survey/2019/{other.enterprise.code}/upload/", {"file": fill(), "submit": "1"})
    assert res.status_code == 400 and "第 2 行 B 列：企业代码应为" in res.content.decode()


def test_remind_non_respondents(drawn, make_user):
    from lanbai.collection.models import Notification

    unit, code = drawn["unit"], drawn["ent"].credit_code
    reviewer = make_user("rev_lzxq_answer", "zone_reviewer", "lzxq")
    c = Client()
    c.force_login(reviewer)
    page = c.get("/survey/2019/").content.decode()
    assert "未提交问卷的样本企业" in page and drawn["ent"].name in page
    res = c.post(f"/survey/2019/{code}/remind/")
    assert res.status_code == 302
    n = Notification.objects.get(recipient=drawn["ent_user"])
    assert n.form_code == "创新调查" and n.period == "2019" and "2019 年企业创新调查问卷" in n.message
    ent = Client()
    ent.force_login(drawn["ent_user"])
    assert "2019 年企业创新调查问卷" in ent.get("/workbench/").content.decode()  # on the workbench
    # another zone's reviewer may not remind (403), a filler neither
    other = Client()
    other.force_login(make_user("rev_bygx_answer", "zone_reviewer", "bygx"))
    assert other.post(f"/survey/2019/{code}/remind/").status_code == 403
    assert ent.post(f"/survey/2019/{code}/remind/").status_code == 403
    assert Notification.objects.count() == 1
    assert f"<td>{unit.enterprise.name}</td>" not in other.get("/survey/2019/").content.decode()


def test_survey_api(drawn, make_user):
    code = drawn["ent"].credit_code
    c = Client()
    c.force_login(drawn["ent_user"])
    rounds = c.get("/api/survey/rounds/").json()
    assert rounds["rounds"][0]["year"] == 2019 and "frame_size" not in rounds["rounds"][0]
    assert rounds["to_answer"] == [{"year": 2019, "credit_code": code, "name": drawn["ent"].name,
                                    "state": "not_started"}]
    res = c.post(f"/api/survey/2019/responses/{code}/", {"answers": {"rd_inhouse": -1}}, content_type="application/json")
    assert res.status_code == 400 and "rd_inhouse" in res.json()["message"]
    res = c.post(f"/api/survey/2019/responses/{code}/", {"answers": {"prod_goods": True}},
                 content_type="application/json")
    assert res.status_code == 200 and res.json()["state"] == "draft"
    assert c.get(f"/api/survey/2019/responses/{code}/").json()["response"]["answers"] == {"prod_goods": True}
    assert c.get("/api/survey/2019/status/").status_code == 403
    assert c.get("/api/survey/2019/estimates/").status_code == 403
    other = Client()
    other.force_login(make_user("rev_bygx_api", "zone_reviewer", "bygx"))
    assert other.get(f"/api/survey/2019/responses/{code}/").status_code == 404
    assert other.get("/api/survey/2019/status/").status_code == 200
    assert other.get("/api/survey/2019/estimates/").status_code == 403  # live estimates: province only
    p = Client()
    p.force_login(drawn["province"])
    assert p.get("/api/survey/2019/estimates/").status_code == 200
    assert Client().get("/api/survey/rounds/").status_code in (401, 403)
