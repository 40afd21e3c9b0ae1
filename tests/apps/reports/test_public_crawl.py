"""Issue 13, done-when: after ``lanbai demo``, an anonymous visitor crawling every public page sees no
unpublished figure and no cell with fewer than 3 contributing enterprises (or a dominant one).

A small demo (2015Q1–2016Q2, one synthetic enterprise per zone; the two latest complete quarters
published, the last one corrected) leaves approved-but-unpublished periods: 2015Q1–Q3 complete, 2016Q2
approved for three zones only.  The anonymous test client then starts at ``/``, follows every same-site
link and tries every URL pattern of the URLconf with the demo's codes, periods, release ids and formats
(plus ``?year=`` / ``?period=`` on the public ones).  For every public answer (HTML, JSON, CSV, XLSX):

* (a) no approved-but-unpublished period label and none of its figures (as the pages format them) appear;
  every figure on the dashboard pages and every row of the open-data files equals the current published
  release's value for its (period, unit, indicator);
* (b) every shown cell of an enterprise-aggregated indicator has >= min_contributors enterprises with a
  non-zero figure and passes dominance (1, k) — contributors counted here, from the approved 企业季报;
  suppressed cells are shown as the marker (× / obs_status C).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.urls import URLPattern, URLResolver, get_resolver

from lanbai.collection.demo import simulator
from lanbai.collection.models import Enterprise, Submission
from lanbai.core.periods import Quarter
from lanbai.reports.models import Release
from lanbai.web.templatetags.web_nav import num

ENT_FORM = "兰白统Q2表"
MARK = "×"
SKIP_PREFIXES = ("/static/", "/admin/", "/accounts/logout/", "/i18n/", "/api/docs/", "/api/schema/")
MAX_REQUESTS = 1500


def _plan_dir() -> Path:
    return Path(__file__).resolve().parents[3] / "plans" / "lanbai-2015-2020"


def _enterprise_fields() -> dict[str, tuple[str, tuple[str, ...]]]:
    """indicator -> (enterprise field, categories) for the indicators that sum an enterprise field,
    read from the plan's formulas (independently of the code under test)."""
    doc = yaml.safe_load((_plan_dir() / "formulas.yaml").read_text(encoding="utf-8"))
    out: dict[str, tuple[str, list[str]]] = {}
    for f in doc["formulas"]:
        m = re.search(r'sum\((\w+) where category == "(\w+)"\)', f["expr"])
        if m and f.get("category"):
            fld, cats = out.setdefault(f["indicator"], (m.group(1), []))
            assert fld == m.group(1)
            cats.append(m.group(2))
    return {k: (fld, tuple(cats)) for k, (fld, cats) in out.items()}


def _leaves() -> dict[str, set[str]]:
    """unit code -> the zone codes it adds up (a zone: itself)."""
    doc = yaml.safe_load((_plan_dir() / "organisation.yaml").read_text(encoding="utf-8"))
    units = doc.get("org_units") or doc.get("units") or []
    children: dict[str, list[str]] = {}
    kinds = {}
    for u in units:
        kinds[u["code"]] = u["kind"]
        if u.get("parent"):
            children.setdefault(u["parent"], []).append(u["code"])
        if u.get("members"):
            children.setdefault(u["code"], []).extend(u["members"])

    def zones(code: str) -> set[str]:
        if kinds.get(code) == "zone":
            return {code}
        return set().union(*(zones(c) for c in children.get(code, []))) if children.get(code) else set()

    return {c: zones(c) for c in kinds if kinds[c] in ("zone", "city", "pilot_zone", "aggregate")}


def _contributors(period: str, fields) -> dict[tuple[str, str], list[float]]:
    """(zone, indicator) -> the enterprises' non-zero figures in the approved 企业季报 of ``period``."""
    zone_of = dict(Enterprise.objects.values_list("org_unit_id", "zone__code"))
    out: dict[tuple[str, str], list[float]] = {}
    subs = Submission.objects.filter(
        form_code=ENT_FORM, period=period, status="approved", approved_version__isnull=False
    ).values_list("org_unit_id", "approved_version__values")
    for unit_id, values in subs:
        values = values or {}
        for ind, (fld, cats) in fields.items():
            v = values.get(fld)
            if values.get("category") in cats and v not in (None, "") and float(v) != 0:
                out.setdefault((zone_of[unit_id], ind), []).append(abs(float(v)))
    return out


class _Links:
    HREF = re.compile(r'(?:href|action)="([^"#]*)"')

    @classmethod
    def of(cls, html: str) -> list[str]:
        return [h.replace("&amp;", "&") for h in cls.HREF.findall(html)]


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def _cell(html: str) -> str:
    return re.sub(r"\s+", " ", _text(html)).strip()


def _url_candidates(values: dict[str, list[str]]) -> list[str]:
    """Every URL pattern of the URLconf, its parameters filled with the demo's values."""
    out: list[str] = []

    def walk(patterns, prefix: str):
        for p in patterns:
            route = str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + route)
            elif isinstance(p, URLPattern):
                full = prefix + route
                full = full.replace("^", "").replace("$", "").replace("/?", "/")
                params = re.findall(r"<(?:(\w+):)?(\w+)>", full)
                urls = [full]
                for conv, name in params:
                    token = f"<{conv + ':' if conv else ''}{name}>"
                    options = values.get(name) or values.get(conv or "str") or ["x"]
                    urls = [u.replace(token, o, 1) for u in urls for o in options]
                out.extend("/" + u.lstrip("/") for u in urls[:80])

    walk(get_resolver().url_patterns, "")
    return out


@pytest.mark.slow
def test_anonymous_crawl_after_demo(db, client, monkeypatch):
    from lanbai.plans.services import plan_load_into_db
    from lanbai.reports import demo as reports_demo
    from lanbai.reports import disclosure, selectors

    plan_load_into_db()
    monkeypatch.setattr(simulator, "LAST", Quarter.parse("2016Q2"))
    fields = _enterprise_fields()
    assert set(fields) == {"output_value", "industrial_va", "industry_tax", "new_jobs"}
    threshold = {}

    def publish(periods):
        """The demo's publication, with the threshold rule raised just above the smallest zone's number of
        contributors (every zone has 3 or more), so that primary and secondary suppression happen."""
        smallest = 0
        for p in {str(q) for q in periods}:
            counts = [len(v) for (_z, ind), v in _contributors(p, fields).items() if ind == "output_value"]
            smallest = max(smallest, min(counts, default=0))
        threshold["n"] = max(3, smallest + 1)
        raised = disclosure.rules_from_plan
        monkeypatch.setattr(disclosure, "rules_from_plan",
                            lambda plan: raised(plan).replace(min_contributors=threshold["n"]))
        # two bulletins (2015Q4, 2016Q1, the latter corrected): 2015Q1–Q3 stay approved but unpublished
        return original_publish(periods, count=2)

    original_publish = reports_demo.demo_publish
    monkeypatch.setattr(reports_demo, "demo_publish", publish)
    simulator.demo_run(seed=3, synthetic_per_zone=1)

    # --- what is published, what is not --------------------------------------------------------------
    current = selectors.current_period_releases()
    published_periods = set(current)
    approved_periods = set(
        Submission.objects.filter(status="approved").values_list("period", flat=True).distinct()
    )
    unpublished = sorted(approved_periods - published_periods, key=Quarter.parse)
    assert published_periods == {"2015Q4", "2016Q1"}
    assert {"2015Q1", "2015Q2", "2015Q3", "2016Q2"} <= set(unpublished)
    pub_rows = {
        (r["period"], r["org_unit"], r["indicator"]): r for rel in current.values() for r in rel.content["rows"]
    }
    allowed_numbers = {
        num(r.get(f)) for r in pub_rows.values()
        for f in ("value", "yoy_pct", "assessed_value", "expected", "target_value", "baseline_value")
    } | {num(r.get("yoy_pct"), 1) for r in pub_rows.values()}
    # a published rule may cite last year's figure it projects with ("42.81 × 125.7 / 31.83"): published too
    for rel in current.values():
        for r in rel.content["rows"]:
            for n in re.findall(r"-?\d[\d,]*\.?\d*", (r.get("rule") or "") + (r.get("not_computable_reason") or "")):
                allowed_numbers |= {n, num(n.replace(",", ""))}
    # the staff figures of the unpublished periods, as a page would format them (distinctive ones only)
    from lanbai.monitoring.selectors import monitoring_table
    from lanbai.web.dashboard import public_units

    units = public_units()
    forbidden_numbers: dict[str, str] = {}
    for p in unpublished:
        for r in monitoring_table(period=p):
            if r.org_unit not in units:
                continue
            for v in (r.value, r.assessed_value):
                text = num(v)
                digits = text.replace(",", "").replace(".", "").lstrip("-")
                if "." in text and len(digits) >= 4 and text not in allowed_numbers:
                    forbidden_numbers[text] = f"{p} {r.org_unit} {r.indicator}"
    assert forbidden_numbers  # the check below can fail

    # --- crawl ---------------------------------------------------------------------------------------
    zones = list(_leaves())
    indicators = sorted({k[2] for k in pub_rows} | {"grp", "output_value", "new_jobs"})
    all_periods = [str(q) for q in simulator.quarters()] + ["2016Q3", "2017Q1"]
    release_ids = [str(pk) for pk in Release.objects.values_list("pk", flat=True)]
    credit = list(Enterprise.objects.values_list("credit_code", flat=True)[:2])
    values = {
        "code": zones + indicators,
        "unit_code": zones[:4],
        "credit_code": credit,
        "pk": release_ids + ["1"],
        "int": release_ids,
        "quarter": all_periods,
        "period": all_periods,
        "fmt": ["csv", "xlsx", "json", "pdf", "html"],
        "kind": ["platforms", "alliances", "incubators", "clusters", "rd_platforms"],
        "str": ["x"],
    }
    years = sorted({p[:4] for p in all_periods})
    queue: deque[str] = deque(["/", *_url_candidates(values)])
    seen: set[str] = set()
    public: dict[str, tuple[str, bytes]] = {}
    statuses: dict[int, int] = {}
    while queue and len(seen) < MAX_REQUESTS:
        url = queue.popleft()
        path = urlsplit(url).path
        if url in seen or not path.startswith("/") or path.startswith(SKIP_PREFIXES):
            continue
        seen.add(url)
        resp = client.get(url)
        statuses[resp.status_code] = statuses.get(resp.status_code, 0) + 1
        assert resp.status_code < 500, url
        if resp.status_code != 200:
            continue
        ctype = resp.get("Content-Type", "")
        body = resp.getvalue() if resp.streaming is False else b"".join(resp.streaming_content)
        public[url] = (ctype, body)
        if "text/html" in ctype:
            for href in _Links.of(body.decode("utf-8")):
                parts = urlsplit(href)
                if parts.netloc or not href.startswith("/"):
                    continue
                queue.append(href)
        if "?" not in url:  # the query variants of a public page (and the periods of the API)
            queue.extend(f"{url}?year={y}" for y in years)
            if path.startswith("/api/"):
                queue.extend(f"{url}?period={p}" for p in all_periods)

    # --- checks --------------------------------------------------------------------------------------
    problems: list[str] = []
    leaves = _leaves()
    contrib = {p: _contributors(p, fields) for p in approved_periods}
    rules = yaml.safe_load((_plan_dir() / "disclosure.yaml").read_text(encoding="utf-8"))["disclosure_control"]
    assert rules["min_contributors"] == 3 and threshold["n"] >= 3
    rules["min_contributors"] = threshold["n"]  # the rule in force for these releases (>= 3)
    figures = suppressed_seen = sdc_cells = 0

    def check_cell(where: str, period: str, unit: str, indicator: str, shown: str | float | None, hidden: bool):
        """A cell as shown: equal to the current release's value; disclosure rules on enterprise cells."""
        nonlocal figures, suppressed_seen, sdc_cells
        figures += 1
        if period in unpublished:
            problems.append(f"{where}: unpublished period {period} {unit} {indicator}")
            return
        row = pub_rows.get((period, unit, indicator))
        if row is None:
            problems.append(f"{where}: {period} {unit} {indicator} is in no current published release")
            return
        if hidden:
            suppressed_seen += 1
            if not row.get("suppressed"):
                problems.append(f"{where}: {period} {unit} {indicator} shown suppressed but published")
            return
        if row.get("suppressed"):
            problems.append(f"{where}: {period} {unit} {indicator} is suppressed but shown as {shown!r}")
            return
        expected = num(row.get("value")) if isinstance(shown, str) else row.get("value")
        if isinstance(shown, float) and expected is not None:
            ok = abs(shown - expected) <= 1e-9 * max(1.0, abs(expected))
        else:
            ok = shown == expected or (shown in ("", None, "—") and row.get("value") is None)
        if not ok:
            problems.append(f"{where}: {period} {unit} {indicator} shown {shown!r}, published {expected!r}")
        if indicator in fields and row.get("value") not in (None, 0, 0.0):
            sdc_cells += 1
            why = unsafe(period, unit, indicator)
            if why:
                problems.append(f"{where}: {period} {unit} {indicator} shown with {why}")
            # the figures of last year a published row gives away: yoy (same quarter) and the rule's projection
            q = Quarter.parse(period)
            cited = {str(q.same_quarter_last_year())} if row.get("yoy_pct") is not None else set()
            if "按上年同期占全年比重折算全年" in (row.get("rule") or ""):
                cited |= {str(q.same_quarter_last_year()), f"{q.year - 1}Q4"}
            for earlier in sorted(cited):
                why = unsafe(earlier, unit, indicator)
                if why:
                    problems.append(f"{where}: {period} {unit} {indicator} gives away {earlier}, a cell with {why}")

    def unsafe(period: str, unit: str, indicator: str) -> str:
        """Why the cell may not be published (threshold or dominance), or ""."""
        figs = [v for z in leaves.get(unit, set()) for v in contrib.get(period, {}).get((z, indicator), [])]
        if 0 < len(figs) < rules["min_contributors"]:
            return f"{len(figs)} contributor(s)"
        if figs and max(figs) * 100 > rules["dominance_k"] * sum(figs) * (1 + 1e-9):
            return "a dominant enterprise"
        return ""

    names = {}
    for (_p, _u, ind), r in pub_rows.items():
        names[r["indicator_name"]] = ind
    for url, (ctype, body) in public.items():
        path = urlsplit(url).path
        if "html" in ctype or "json" in ctype or "csv" in ctype:
            text = body.decode("utf-8-sig")
        elif "spreadsheet" in ctype:
            from openpyxl import load_workbook

            wb = load_workbook(io.BytesIO(body), read_only=True)
            text = "\n".join("\t".join("" if c is None else str(c) for c in row)
                             for ws in wb.worksheets for row in ws.iter_rows(values_only=True))
        else:
            continue  # the PDF is drawn from the release's HTML, checked at file.html
        visible = _text(text) if "html" in ctype else text
        if "未发布" in visible:
            problems.append(f"{url}: shows 未发布")
        for p in unpublished:
            if p in visible:
                problems.append(f"{url}: names the unpublished period {p}")
        if "html" in ctype:
            for number, what in forbidden_numbers.items():
                if re.search(rf"(?<![\d,.]){re.escape(number)}(?![\d,])", visible):
                    problems.append(f"{url}: shows {number}, the unpublished figure of {what}")
        # structured checks: the dashboard pages and the open-data files
        if "html" in ctype and path.startswith("/zones/"):
            m = re.search(r"（(\d{4}Q[1-4])）</h2>", text)
            unit = path.split("/")[2]
            for code, cell in re.findall(
                r'<tr><th scope="row"><a href="/indicators/(\w+)/">.*?</th><td class="num">(.*?)</td>', text
            ):
                shown = _cell(cell)
                check_cell(url, m.group(1) if m else "?", unit, code, shown, shown == MARK)
        if "html" in ctype and path.startswith("/indicators/"):
            code = path.split("/")[2]
            for unit, section in re.findall(r'<section class="unit" aria-labelledby="u-(\w+)">(.*?)</section>',
                                            text, re.S):
                for period, vcell, acell in re.findall(
                    r'<tr><th scope="row">(\d{4}Q[1-4]).*?</th><td class="num">(.*?)</td>'
                    r'<td class="num">(.*?)</td>', section
                ):
                    shown = _cell(vcell)
                    check_cell(url, period, unit, code, shown, shown == MARK)
                    row = pub_rows.get((period, unit, code)) or {}
                    want = MARK if row.get("suppressed") else num(row.get("assessed_value"))
                    if row and _cell(acell) != want:
                        problems.append(f"{url}: {period} {unit} {code} assessed {_cell(acell)!r}, published {want!r}")
        if "html" in ctype and path == "/":
            m = re.search(r"报告期：(\d{4}Q[1-4])", visible)
            for code, cell in re.findall(
                r'<li class="card.*?href="/indicators/(\w+)/".*?<p class="value">(.*?)</p>', text, re.S
            ):
                shown = _cell(re.sub(r'<span class="unit">.*?</span>', "", cell))
                if m and shown != "—":
                    check_cell(url, m.group(1), "lanbai", code, shown, shown == MARK)
        if path.endswith("values.json") or path.startswith("/api/reports/values"):
            data = json.loads(text)
            rows = data["rows"] if isinstance(data, dict) and "rows" in data else data
            if isinstance(rows, dict):
                rows = rows.get("results", [])
            for r in rows:
                check_cell(url, r["period"], r["org_unit"], r["indicator"], r["value"], r["obs_status"] == "C")
        if path.endswith("values.csv"):
            for r in csv.DictReader(io.StringIO(text)):
                v = float(r["value"]) if r["value"] else None
                check_cell(url, r["period"], r["org_unit"], r["indicator"], v, r["obs_status"] == "C")
        if path.endswith("values.xlsx"):
            lines = [ln.split("\t") for ln in text.split("\n")]
            head = lines[0]
            for ln in lines[1:]:
                if len(ln) != len(head) or ln[0] == "period" or not re.fullmatch(r"\d{4}Q[1-4]", ln[0]):
                    continue
                r = dict(zip(head, ln, strict=True))
                v = float(r["value"]) if r["value"] else None
                check_cell(url, r["period"], r["org_unit"], r["indicator"], v, r["obs_status"] == "C")

    import os

    if os.environ.get("LANBAI_CRAWL_DUMP"):
        dump = Path(os.environ["LANBAI_CRAWL_DUMP"])
        dump.mkdir(parents=True, exist_ok=True)
        for url, (_ctype, body) in public.items():
            (dump / (re.sub(r"[^\w.-]+", "_", url) or "root")).write_bytes(body)
    report = (
        f"requests {len(seen)} ({statuses}), public answers {len(public)}, figures checked {figures}, "
        f"enterprise cells checked {sdc_cells}, suppressed cells seen {suppressed_seen}, "
        f"threshold {threshold['n']}"
    )
    print(report)
    assert not problems, report + "\n" + "\n".join(sorted(set(problems))[:60])
    assert figures > 500 and suppressed_seen > 0 and sdc_cells > 0, report
    assert any(urlsplit(u).path.startswith("/zones/") for u in public)
    assert any(urlsplit(u).path.startswith("/indicators/") for u in public)
    assert any(u.endswith("values.xlsx") for u in public) and any("/api/reports/values" in u for u in public)
