"""The command line says who it acts as: ``user=operator()`` (lanbai.access.policy.OPERATOR), never a bare
``user=None`` (issue 13: every CLI command asks the policy as the operator, explicitly)."""

from __future__ import annotations

import ast
from pathlib import Path


def bare_none_users(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for kw in node.keywords:
            if kw.arg in ("user", "by") and isinstance(kw.value, ast.Constant) and kw.value.value is None:
                lines.append(node.lineno)
        name = getattr(node.func, "attr", getattr(node.func, "id", ""))
        if name in ("Option", "Argument"):  # typer.Option(None, …): a default, not a user
            continue
        if node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value is None:
            lines.append(node.lineno)  # selectors.measure_rows(None, …): the user, positionally
    return sorted(lines)


def test_bare_none_users_are_found(tmp_path):
    f = tmp_path / "x.py"
    f.write_text("f(user=None)\ng(None, unit=1)\nh(user=operator())\ntyper.Option(None)\n", encoding="utf-8")
    assert bare_none_users(f) == [1, 2]


def test_cli_passes_the_operator_explicitly(src):
    offenders = [
        f"src/lanbai/{p.relative_to(src).as_posix()}:{line}"
        for p in sorted((src / "cli").glob("*.py"))
        for line in bare_none_users(p)
    ]
    assert not offenders, "pass user=operator() (lanbai.cli.django_setup), not None: " + ", ".join(offenders)
