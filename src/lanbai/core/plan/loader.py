"""Load a plan directory of YAML files into a validated :class:`Plan`.

Every ``*.yaml`` file in the directory is a mapping of section names (see ``SECTIONS``) to
records; sections may be spread over several files.  Loading is all-or-nothing: every problem of
every file is collected and raised together as :class:`PlanError`, naming the file, the path
inside it (``targets[3].baseline.value``) and the rule broken.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .errors import PlanError, PlanIssue
from .schema import SECTIONS, Plan


def load_plan(directory: str | Path) -> Plan:
    """Read, validate and cross-check every section file of a plan directory.

    Raises
    ------
    PlanError
        with every schema violation, unknown reference and duplicate code found.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise PlanError([PlanIssue(str(directory), "-", "missing-directory", "plan directory does not exist")])
    files = sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml"))
    if not files:
        raise PlanError([PlanIssue(str(directory), "-", "empty-plan", "no .yaml file in the plan directory")])

    issues: list[PlanIssue] = []
    # section -> its records (a list section) or its one record (plan, rd_totals): keyword arguments of Plan
    records: dict[str, Any] = defaultdict(list)
    origins: dict[str, list[str]] = defaultdict(list)
    singles: dict[str, str] = {}

    for path in files:
        name = path.name
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "-"
            issues.append(PlanIssue(name, where, "yaml-syntax", " ".join(str(exc).split())))
            continue
        except UnicodeDecodeError as exc:
            issues.append(PlanIssue(name, "-", "encoding", f"not UTF-8: {exc}"))
            continue
        if data is None:
            continue
        if not isinstance(data, dict):
            issues.append(PlanIssue(name, "-", "not-a-mapping", "a plan file maps section names to records"))
            continue
        for section, value in data.items():
            if section not in SECTIONS:
                known = ", ".join(sorted(SECTIONS))
                issues.append(PlanIssue(name, str(section), "unknown-section", f"unknown section; known: {known}"))
                continue
            model, is_list = SECTIONS[section]
            if not is_list:
                if section in singles:
                    issues.append(
                        PlanIssue(name, section, "duplicate-section", f"section already given in {singles[section]}")
                    )
                    continue
                singles[section] = name
                items: Iterable[tuple[str, Any]] = [(section, value)]
            else:
                if not isinstance(value, list):
                    issues.append(PlanIssue(name, section, "not-a-list", "this section is a list of records"))
                    continue
                items = [(f"{section}[{i}]", item) for i, item in enumerate(value)]
            for where, item in items:
                try:
                    obj = model.model_validate(item)
                except ValidationError as exc:
                    issues.extend(_validation_issues(name, where, exc))
                    continue
                if is_list:
                    records[section].append(obj)
                    origins[section].append(f"{name}:{where}")
                else:
                    records[section] = obj
                    origins[section] = [f"{name}:{where}"]

    if "plan" not in records and not issues:
        issues.append(PlanIssue(str(directory), "plan", "missing-section", "the plan section (metadata) is required"))
    if issues:
        raise PlanError(issues)

    plan = Plan(**records)
    plan._origins = dict(origins)
    issues = check_references(plan)
    if issues:
        raise PlanError(issues)
    from ..formulas.plan_check import check_plan_formulas  # late: the formulas package imports plan.errors

    issues = check_plan_formulas(plan)
    if issues:
        raise PlanError(issues)
    return plan


def _validation_issues(file: str, where: str, exc: ValidationError) -> list[PlanIssue]:
    out = []
    for err in exc.errors():
        loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"])
        value = err.get("input")
        if err["type"] == "missing":  # the input is the enclosing record: naming it says nothing
            out.append(PlanIssue(file, where + loc, err["type"], err["msg"]))
            continue
        shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__
        out.append(PlanIssue(file, where + loc, err["type"], f"{err['msg']} (value: {shown})"))
    return out


def _split(origin: str) -> tuple[str, str]:
    file, _, path = origin.partition(":")
    return file, path


def check_references(plan: Plan) -> list[PlanIssue]:
    """Duplicate codes, unknown references and cycles in the organisation tree."""
    issues: list[PlanIssue] = []

    def issue(section: str, index: int, field: str, rule: str, message: str) -> None:
        file, path = _split(plan.origin(section, index))
        issues.append(PlanIssue(file, f"{path}.{field}" if field else path, rule, message))

    # duplicates ------------------------------------------------------------------------------
    for section, key in [
        ("org_units", "code"),
        ("indicators", "code"),
        ("programmes", "code"),
        ("industry_plans", "code"),
        ("measures", "code"),
        ("responsible_units", "code"),
        ("phases", "code"),
        ("narrative_figures", "code"),
        ("rd_columns", "code"),
        ("candidate_enterprises", "seq"),
        ("recognition_criteria", "number"),
        ("policy_articles", "number"),
    ]:
        seen: dict[Any, int] = {}
        for i, rec in enumerate(getattr(plan, section)):
            k = getattr(rec, key)
            if k in seen:
                first = plan.origin(section, seen[k])
                issue(section, i, key, "duplicate-code", f"{key} {k!r} is already used at {first}")
            else:
                seen[k] = i
    record_keys: list[tuple[str, Callable[[Any], tuple[Any, ...]]]] = [
        ("targets", lambda t: (t.indicator, t.org_unit, t.target.year, t.source)),
        ("annual_series", lambda s: (s.indicator, s.org_unit, s.category, s.source)),
        ("period_totals", lambda s: (s.indicator, s.org_unit, s.category, s.from_year, s.to_year, s.source)),
    ]
    for section, keyf in record_keys:
        counts = Counter(keyf(r) for r in getattr(plan, section))
        reported = set()
        for i, rec in enumerate(getattr(plan, section)):
            k = keyf(rec)
            if counts[k] > 1 and k not in reported:
                reported.add(k)
                issue(section, i, "", "duplicate-record", f"{counts[k]} records for {k}")

    units = {u.code for u in plan.org_units}
    inds = {i.code for i in plan.indicators}
    progs = {p.code for p in plan.programmes}
    resp = {r.code for r in plan.responsible_units}
    rdcols = {c.code for c in plan.rd_columns}

    def ref(section: str, index: int, field: str, value: str | None, known: set[str], what: str) -> None:
        if value is not None and value not in known:
            issue(section, index, field, "unknown-reference", f"unknown {what} {value!r}")

    for i, u in enumerate(plan.org_units):
        ref("org_units", i, "parent", u.parent, units, "organisation unit")
        for j, link in enumerate(u.parents):
            ref("org_units", i, f"parents[{j}].parent", link.parent, units, "organisation unit")
        for j, member in enumerate(u.members):
            ref("org_units", i, f"members[{j}]", member, units, "organisation unit")
    for section in ("targets", "annual_series", "period_totals"):
        for i, rec in enumerate(getattr(plan, section)):
            ref(section, i, "indicator", rec.indicator, inds, "indicator")
            ref(section, i, "org_unit", rec.org_unit, units, "organisation unit")
    for i, ph in enumerate(plan.phases):
        for j, t in enumerate(ph.targets):
            ref("phases", i, f"targets[{j}].indicator", t.indicator, inds, "indicator")
            ref("phases", i, f"targets[{j}].org_unit", t.org_unit, units, "organisation unit")
    for i, pr in enumerate(plan.programmes):
        ref("programmes", i, "org_unit", pr.org_unit, units, "organisation unit")
    for i, nf in enumerate(plan.narrative_figures):
        ref("narrative_figures", i, "org_unit", nf.org_unit, units, "organisation unit")
    for i, ip in enumerate(plan.industry_plans):
        ref("industry_plans", i, "programme", ip.programme, progs, "programme")
    for i, m in enumerate(plan.measures):
        ref("measures", i, "programme", m.programme, progs, "programme")
        for j, rcode in enumerate(m.responsible):
            ref("measures", i, f"responsible[{j}]", rcode, resp, "responsible unit")
        for j, q in enumerate(m.targets):
            ref("measures", i, f"targets[{j}].indicator", q.indicator, inds, "indicator")
    for i, r in enumerate(plan.responsible_units):
        ref("responsible_units", i, "parent", r.parent, resp, "responsible unit")
        ref("responsible_units", i, "org_unit", r.org_unit, units, "organisation unit")
    for i, c in enumerate(plan.cluster_rows):
        ref("cluster_rows", i, "zone", c.zone, units, "organisation unit")
    for i, ct in enumerate(plan.cluster_totals):
        ref("cluster_totals", i, "zone", ct.zone, units, "organisation unit")
    for i, row in enumerate(plan.rd_rows):
        for col in row.counts:
            ref("rd_rows", i, f"counts.{col}", col, rdcols, "附件6 column")
    if plan.rd_totals:
        for col in plan.rd_totals.column_subtotals:
            if col not in rdcols:
                file, path = _split(plan.origin("rd_totals", 0))
                issues.append(PlanIssue(file, f"{path}.column_subtotals.{col}", "unknown-reference", f"unknown 附件6 column {col!r}"))
    for i, e in enumerate(plan.candidate_enterprises):
        ref("candidate_enterprises", i, "zone", e.zone, units, "organisation unit")
    ref_root = plan.plan.root_unit
    if ref_root not in units:
        file, path = _split(plan.origin("plan", 0))
        issues.append(PlanIssue(file, f"{path}.root_unit", "unknown-reference", f"unknown organisation unit {ref_root!r}"))

    # cycles in the organisation tree (over every dated link) ----------------------------------
    graph = {u.code: {link.parent for link in u.parent_links()} for u in plan.org_units}
    for i, u in enumerate(plan.org_units):
        stack, visited = list(graph.get(u.code, ())), set()
        while stack:
            p = stack.pop()
            if p == u.code:
                issue("org_units", i, "parent", "cycle", f"{u.code!r} is its own ancestor")
                break
            if p in visited:
                continue
            visited.add(p)
            stack.extend(graph.get(p, ()))
    return issues
