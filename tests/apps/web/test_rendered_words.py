"""Rendered pages speak to people: no rule codes, no Python expressions, no exponents, no stray language.

A representative set of public and signed-in pages (dashboard, zone, indicator, index, the report page
with soft-rule warnings and its audit trail, an upload refused with problems, an upload accepted with
warnings, every role's 工作台, the review queue, the completeness matrix, late reporting) is rendered in
Chinese and in English.  Only the text a person reads is checked (text nodes outside ``<script>`` /
``<style>``); attributes such as ``title`` may keep a code for the curious.

On English pages, a text node that is exactly a Chinese msgid of the catalogue with an English
translation is an untranslated UI string, and so is Chinese in the page's chrome (headings, column
headers, buttons, labels, captions, navigation) once the data is taken out.  Names of zones, plans,
indicators, forms and fields, units of measure and publication titles are data and may stay Chinese:
a data string that happens to be a msgid (``兰州新区``) is not UI and is skipped.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lanbai.collection.intake.results import APP_RULES
from lanbai.core.collection import RULES

ZONE_FORM = "兰白统Q1表"
PO_PATH = Path(__file__).resolve().parents[3] / "src" / "lanbai" / "locale" / "en" / "LC_MESSAGES" / "django.po"
CJK = re.compile(r"[\u3400-\u9fff]")
EXPONENT = re.compile(r"\d[eE][+-]?\d")
EXPRESSION = re.compile(r"\s(==|!=|<=|>=)\s|\b(category|status|kind)\s*==")
RAW_CATEGORY = re.compile(r"\((traditional|emerging|total)\)")


# the page's own words: column headers, buttons, form labels, captions, navigation
UI_TAGS = {"button", "label", "caption", "nav", "summary", "legend", "h1", "h2", "h3"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Text(HTMLParser):
    """The text nodes a reader sees (not inside script/style), each stripped, and those inside UI chrome."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self.ui: list[str] = []
        self._stack: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        ui = tag in UI_TAGS or (tag == "th" and dict(attrs).get("scope") == "col")
        self._stack.append((tag, ui))

    def handle_endtag(self, tag):
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                return

    def handle_data(self, data):
        if any(t in ("script", "style") for t, _ in self._stack) or not data.strip():
            return
        text = html.unescape(data).strip()
        self.nodes.append(text)
        if any(ui for _, ui in self._stack):
            self.ui.append(text)


def parsed(page: str) -> _Text:
    parser = _Text()
    parser.feed(page)
    return parser


def text_nodes(page: str) -> list[str]:
    return parsed(page).nodes


def without(text: str, data: set[str]) -> str:
    """``text`` with every data string taken out (longest first): what is left is the page's own words."""
    for d in sorted(data, key=len, reverse=True):
        text = text.replace(d, " ")
    return text


def translated_msgids() -> set[str]:
    """Chinese msgids of the catalogue that have an English translation (one-line entries suffice)."""
    text = PO_PATH.read_text(encoding="utf-8")
    out = set()
    for m in re.finditer(r'^msgid "(.+)"\nmsgstr "(.+)"$', text, flags=re.M):
        msgid, msgstr = m.group(1), m.group(2)
        if CJK.search(msgid) and not CJK.search(msgstr) and "%" not in msgid:
            out.add(msgid)
    return out


def zone_xlsx(period: str, **over) -> bytes:
    from lanbai.collection.intake.parsing import form_by_code
    from lanbai.core.collection import write_template

    row = {
        "gdp": 1_980_000.0,
        "resident_population": 30.0,
        "urban_population": 20.0,
        "fiscal_expenditure": 100_000.0,
        "fiscal_st_expenditure": 3_000.0,
        "zone_rd_expenditure": 39_600.0,
    }
    row.update(over)
    return write_template(form_by_code(ZONE_FORM), period=period, unit_code="lzxq", unit_name="兰州新区", rows=[row])


@pytest.fixture
def scene(published_two_years, settings):
    """Approved and published figures, a draft breaking a soft rule (2019Q4 on 2018Q4: gdp ×2), the
    upload pages of that draft and of a file refused with hard problems, for 兰州新区's people."""
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.all()}
    filler = Client()
    filler.force_login(users["fill_lzxq"])
    pages = {}
    for lang in ("zh-hans", "en"):
        filler.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        period = "2019Q4" if lang == "zh-hans" else "2019Q3"  # a new draft each time (not a duplicate)
        soft = filler.post(
            "/collection/upload/",
            {"files": SimpleUploadedFile("soft.xlsx", zone_xlsx(period, gdp=1_980_000 * 2.1))},
        )
        hard = filler.post(
            "/collection/upload/",
            {"files": SimpleUploadedFile("hard.xlsx", zone_xlsx("2020Q1", urban_population=99.0, gdp=-5))},
        )
        pages[lang] = {"upload accepted with warnings": soft, "upload refused": hard}
    from lanbai.collection.models import Submission

    draft = Submission.objects.get(period="2019Q4", org_unit__code="lzxq")
    submitted = Submission.objects.get(period="2019Q2", org_unit__code="lzxq")
    approved = Submission.objects.get(period="2018Q4", org_unit__code="lzxq")
    users["pg_words"] = _evaluation_scene(users)
    return users, pages, draft, submitted, approved


def _evaluation_scene(users):
    """The plan's measures, 兰州新区管委会's approved report on c05_01 with evidence, and an evaluator
    organisation assigned 兰州新区 and c05_01 for 2019 (its member is returned)."""
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lanbai.evaluation import services as evaluation
    from lanbai.execution import selectors as measures
    from lanbai.execution import services as execution

    execution.execution_load()
    evaluation.evaluation_scheme_register(None)
    filler = users["fill_lzxq"]
    r = execution.report_form_save(
        filler, measure=measures.measure_get(filler, "c05_01"), unit_code="lzxq_committee", period="2019Q2",
        status="in_progress", pct="60", narrative="（模拟数据）道路一期完成", late_reason="", submit=True,
        evidence=SimpleUploadedFile("验收报告.pdf", b"%PDF-1.4 words"),
    )
    execution.report_review(users["sheng"], pk=r.pk, approve=True)
    org = evaluation.organisation_create(None, name="词语评估中心（模拟数据）", credit_code="91620100MA73XY123R")
    member = get_user_model().objects.create_user(username="pg_words", password="pw")
    evaluation.member_add(None, org, member)
    evaluation.conflict_declare(member, org, responsible_code="wg_talent", nature="（模拟数据）曾承担课题")
    evaluation.assign(None, org, year=2019, unit_codes=["lzxq"], measure_codes=["c05_01"])
    return member


def rendered(scene, settings) -> dict[str, dict[str, str]]:
    """{language: {page name: html}} of every page of the set."""
    users, uploads, draft, submitted, approved = scene
    signed_in = {
        "fill_lzxq": {
            "filler workbench": "/workbench/",
            "report with warnings": f"/collection/submissions/{draft.pk}/",
            "late reporting": "/collection/late/",
        },
        "review_lzxq": {
            "reviewer workbench": "/workbench/",
            "review page": f"/collection/submissions/{submitted.pk}/",
            "review queue": "/collection/queue/",
        },
        "sheng": {
            "province workbench": "/workbench/",
            "approved report and audit trail": f"/collection/submissions/{approved.pk}/",
            "completeness matrix": "/collection/completeness/matrix/",
            "evaluation management": "/evaluation/",
            "new evaluator organisation": "/evaluation/organisations/new/",
            "evaluator organisation": f"/evaluation/organisations/{users['pg_words'].evaluator_organisations.get().pk}/",
            "measures": "/measures/",
            "a measure": "/measures/c05_01/",
            "measure review queue": "/measures/review/",
            "measure releases": "/measures/releases/",
        },
        "pg_words": {
            "evaluator workspace": "/evaluation/?year=2019",
            "evaluated measure": "/evaluation/2019/measures/c05_01/",
            "evaluated unit": "/evaluation/2019/lzxq/",
        },
    }
    signed_in["fill_lzxq"] |= {"measure report form": "/measures/c05_01/report/", "public feedback": "/measures/feedback/"}
    from lanbai.reports.models import Release

    release = Release.objects.order_by("-pk").first()
    assert release is not None
    public = {
        "dashboard": "/",
        "zone": "/zones/lzxq/",
        "indicator": "/indicators/grp/",
        "development index": "/index/",
        "publications": "/reports/",
        "a publication": f"/reports/{release.pk}/",
        "plan data": "/plan/",
        "plan data: baseline": "/plan/?kind=baseline",
        "released measure progress": "/measures/public/",
        "a measure group": "/measures/public/空间布局/",
    }
    out: dict[str, dict[str, str]] = {}
    for lang in ("zh-hans", "en"):
        got = {name: r.content.decode() for name, r in uploads[lang].items()}
        anonymous = Client()
        anonymous.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        for name, url in public.items():
            r = anonymous.get(url)
            assert r.status_code == 200, (lang, url, r.status_code)
            got[name] = r.content.decode()
        for username, urls in signed_in.items():
            c = Client()
            c.force_login(users[username])
            c.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
            for name, url in urls.items():
                r = c.get(url)
                assert r.status_code == 200, (lang, username, url, r.status_code)
                got[name] = r.content.decode()
        out[lang] = got
    return out


@pytest.mark.django_db
def test_pages_show_words_not_codes_expressions_or_exponents(scene, settings):
    pages = rendered(scene, settings)
    codes = set(RULES) | set(APP_RULES)
    found = []
    for lang, by_name in pages.items():
        for name, page in by_name.items():
            text = "\n".join(text_nodes(page))
            found += [(lang, name, "rule code", c) for c in codes if re.search(rf"(?<![\w.]){re.escape(c)}\b", text)]
            found += [(lang, name, "expression", text[max(0, m.start() - 60): m.end() + 40]) for m in EXPRESSION.finditer(text)]
            found += [(lang, name, "raw category", m.group(0)) for m in RAW_CATEGORY.finditer(text)]
            found += [(lang, name, "exponent", m.group(0)) for m in EXPONENT.finditer(text)]
    assert not found, sorted(set(found))  # DEBUG
    # the set really has what is checked: problems, warnings and an audit trail in words
    zh = pages["zh-hans"]
    assert "表内逻辑关系不成立" in zh["upload refused"] and "数值低于下限" in zh["upload refused"]
    assert 'title="rule.cross_field"' in zh["upload refused"]  # the code stays reachable
    assert "与上年同期相比变化过大" in zh["report with warnings"] and "地区生产总值" in zh["report with warnings"]
    assert "审计记录" in zh["approved report and audit trail"]
    assert "a cross-field rule is broken" in pages["en"]["upload refused"]


@pytest.mark.django_db
def test_english_pages_have_no_untranslated_ui_strings(scene, settings):
    from lanbai.plans.selectors import plan_current

    pages = rendered(scene, settings)
    msgids = translated_msgids()
    assert len(msgids) > 200, "the catalogue was not read"
    # data that may coincide with a msgid or sit in a header: unit, indicator, plan, form and field names
    from lanbai.collection.calendar import shipped_forms

    plan = plan_current()
    units = list(plan.org_units.all())
    data = {u.name for u in units} | {u.short_name for u in units if u.short_name}
    indicators = list(plan.indicators.all())
    data |= {i.name for i in indicators} | {i.unit for i in indicators if i.unit} | {plan.name, "简体中文"}  # a language names itself
    from lanbai.reports.models import Release

    data |= {r.title for r in Release.objects.all()}  # a publication's title is the document's own
    from lanbai.evaluation.models import EvaluationScheme, EvaluatorOrganisation
    from lanbai.execution.models import Measure, Milestone, ResponsibleUnit

    # the plan's target rows (/plan/): their areas, indicators, units and 专栏 / 附件 sources are the plan's
    # own words, and so are the alliance findings' industries and places
    from lanbai.plans.selectors import plan_check_findings, plan_target_rows

    for r in plan_target_rows(plan):
        data |= {r.org_unit, r.indicator, r.source} | ({r.unit} if r.unit else set())
    data |= {f.what for f in plan_check_findings(plan, "alliances")} | {
        f.where for f in plan_check_findings(plan, "alliances")}
    # the plan's measures, their units and milestones, the evaluation scheme's criteria: data files
    for m in Measure.objects.all():
        data |= {m.title, m.programme_name, m.group, m.text, m.source}
    data |= {u.name for u in ResponsibleUnit.objects.all()} | {ms.text for ms in Milestone.objects.all()}
    data |= {o.name for o in EvaluatorOrganisation.objects.all()} | {"（模拟数据）道路一期完成", "（模拟数据）曾承担课题"}
    for scheme in EvaluationScheme.objects.all():
        for key in ("criteria", "measure_criteria"):
            data |= {c[k] for c in scheme.document.get(key, []) for k in ("name", "guidance")}
    for spec in shipped_forms().values():
        data |= {spec.code, spec.name} | {f.label for f in spec.fields}
        data |= {f"{f.label}（{f.unit}）" for f in spec.fields if f.unit}
        data |= {c.label for f in spec.fields for c in f.choices}
    untranslated = set()
    for name, page in pages["en"].items():
        text = parsed(page)
        untranslated |= {(name, node) for node in text.nodes if node in msgids and node not in data}
        untranslated |= {(name, node) for node in text.ui if CJK.search(without(node, data))}
    assert not untranslated, "\n".join(map(str, sorted(untranslated)))
    # and the Chinese pages do say these things in Chinese
    zh_nodes = {n for page in pages["zh-hans"].values() for n in text_nodes(page)}
    assert {"工作台", "错误清单", "核实性审核提示"} <= zh_nodes


UNIT_AFTER_NAME = re.compile(r"(?:^|\s|（)([^\s（）\d.]*人[^\s（）\d.]*)）?$")


@pytest.mark.django_db
def test_a_composite_unit_is_the_same_on_every_page(scene, settings):
    """万人R&D人员 is 人/万人 (the plan's indicator unit) wherever it is shown with its unit."""
    from lanbai.plans.selectors import plan_current

    unit = plan_current().indicators.get(code="rd_personnel_per_10k").unit
    assert unit == "人/万人"
    pages = rendered(scene, settings)["zh-hans"]
    pages["indicator"] = Client().get("/indicators/rd_personnel_per_10k/").content.decode()
    seen: dict[str, set[str]] = {}
    for name, page in pages.items():
        nodes = text_nodes(page)
        for k, node in enumerate(nodes):
            if node == "万人R&D人员":
                for after in nodes[k + 1 : k + 4]:
                    if m := UNIT_AFTER_NAME.search(after):
                        seen.setdefault(name, set()).add(m.group(1))
    assert {"dashboard", "zone", "indicator"} <= set(seen), seen
    assert {name: units for name, units in seen.items() if units != {unit}} == {}
