"""创新调查报告: a numbered release (HTML, PDF, XLSX), published only through the release mechanism, with
disclosure control on every cell (suppressed cells never leave in HTML, XLSX or the API)."""

from __future__ import annotations

import io
import subprocess

import pytest
from django.test import Client
from openpyxl import load_workbook
from test_survey_services import answers

# per stratum: (innovative, in-house R&D 万元) of the respondents; bygx: two of three respond (one draft)
DATA = {
    "lzxq|0-19": [(True, 10.0), (False, 0.0), (True, 20.0)],
    "lzxq|census": [(True, 300.0), (True, 500.0)],
    "bygx|20-99": [(True, 41.3), (False, 17.9)],
}


@pytest.fixture
def answered(survey_frame, make_user):
    from lanbai.survey import selectors, services

    province = make_user("sheng_report", "province")
    services.survey_round_draw(province, 2019)
    units: dict[str, list] = {}
    for u in sorted(selectors.round_units(2019), key=lambda u: u.enterprise.code):
        units.setdefault(u.stratum, []).append(u)
    for s, values in DATA.items():
        for u, (inn, rd) in zip(units[s], values, strict=False):
            services.response_save(province, u, answers(inn, rd), submit=True)
    services.response_save(province, units["bygx|20-99"][2], {"prod_goods": True})
    return province


def _cell(content, indicator, domain):
    return next(c for c in content["cells"] if c["indicator"] == indicator and c["domain"] == domain)


def test_survey_report_cells_and_disclosure(answered):
    from lanbai.reports import services

    rel = services.release_create(kind="survey", period="2019", user=answered)
    assert rel.number == "兰白调查〔2019〕第1号" and rel.title == "兰白试验区2019年企业创新调查报告"
    c = rel.content
    assert c["design"]["respondents"] == 7 and c["design"]["sample_size"] == 8
    # the pilot zone's expenditure by hand: 5·10 + 2·400 + 4·29.6 = 968.4 万元
    total = _cell(c, "expenditure", "lanbai")
    assert total["value"] == pytest.approx(968.4) and not total["suppressed"]
    assert total["ci_low"] == pytest.approx(968.4 - 1.959963984540054 * total["se"])
    # bygx has two respondents (< 3): suppressed; lzxq is then its complement (lanbai = lzxq + bygx)
    bygx, lzxq = _cell(c, "expenditure", "bygx"), _cell(c, "expenditure", "lzxq")
    assert bygx["value"] == pytest.approx(118.4) and bygx["suppressed"]
    assert lzxq["value"] == pytest.approx(850.0) and lzxq["suppressed"]
    assert _cell(c, "innovative", "bygx")["suppressed"] and _cell(c, "innovative", "census")["suppressed"]
    assert not _cell(c, "innovative", "0-19")["suppressed"]
    assert _cell(c, "innovative", "0-19")["value"] == pytest.approx(2 / 3)
    # no suppressed value reaches the public files
    html = rel.html
    assert "企业创新调查报告" in html and "创新型企业占比" in html and "×" in html and "<svg" in html
    assert "95%置信区间" in html and "标准误" in html
    for secret in ("118.4", "850.0", "850"):
        assert secret not in html
    wb = load_workbook(io.BytesIO(bytes(rel.xlsx)))
    values = [str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    assert not any(v.startswith(("118.4", "850")) for v in values)
    data = wb["数据"]
    head = [x.value for x in data[1]]
    rows = [dict(zip(head, r, strict=True)) for r in data.iter_rows(min_row=2, values_only=True)]
    hidden = [r for r in rows if r["obs_status"] == "C"]
    assert hidden and all(r["估计值"] is None and r["标准误"] is None and r["95%置信区间下限"] is None for r in hidden)
    # the PDF renders (WeasyPrint) with the tables
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=bytes(rel.pdf), capture_output=True,
                          check=True).stdout.decode()
    assert "企业创新调查报告" in text and "创新型企业占比" in text and "兰白调查〔2019〕第1号" in text


def test_public_sees_the_survey_report_only_once_published(answered):
    from lanbai.reports import services

    rel = services.release_create(kind="survey", period="2019", user=answered)
    anon = Client()
    for path in (f"/reports/{rel.pk}/", f"/reports/{rel.pk}/file.pdf", f"/api/reports/releases/{rel.pk}/",
                 "/api/reports/survey/2019/"):
        assert anon.get(path).status_code == 404, path
    assert rel.number not in anon.get("/reports/").content.decode()
    services.release_publish(rel, user=answered)
    assert anon.get(f"/reports/{rel.pk}/").status_code == 200
    assert rel.number in anon.get("/reports/").content.decode()
    api = anon.get("/api/reports/survey/2019/")
    assert api.status_code == 200
    body = api.content.decode()
    assert "118.4" not in body and "850.0" not in body
    cells = {(x["indicator"], x["domain"]): x for x in api.json()["cells"]}
    assert cells[("expenditure", "bygx")]["value"] is None and cells[("expenditure", "bygx")]["obs_status"] == "C"
    assert cells[("expenditure", "bygx")]["respondents"] is None
    assert cells[("expenditure", "lanbai")]["value"] == pytest.approx(968.4)
    detail = anon.get(f"/api/reports/releases/{rel.pk}/").json()
    assert detail["cells"] and "118.4" not in str(detail)


def test_annual_report_section_and_refusals(answered, make_user):
    from django.template.loader import render_to_string

    from lanbai.reports import services
    from lanbai.reports.services import ReleaseError

    with pytest.raises(ReleaseError, match="2018 年创新调查尚未抽样"):
        services.release_create(kind="survey", period="2018", user=answered)
    with pytest.raises(ReleaseError, match="年份"):
        services.release_create(kind="survey", period="2019Q4", user=answered)
    section = services._survey_section(2019)
    assert section["number"] == "" and section["respondents"] == 7
    rel = services.release_create(kind="survey", period="2019", user=answered, publish=True)
    section = services._survey_section(2019)
    assert section["number"] == rel.number
    head = {h["indicator"]: h for h in section["headline"]}
    assert head["expenditure"]["value_s"] == "968.4" and head["innovative"]["value_s"].endswith("%")
    html = render_to_string("reports/document.html", {"r": {"number": "X", "title": "T", "kind_label": "年度评估报告"},
                                                       "c": {"kind": "annual", "rows": [], "survey": section},
                                                       "units": {}})
    assert "六、企业创新调查" in html and rel.number in html and "968.4" in html
    assert "尚未抽样" in services._survey_section(2017)["error"]
