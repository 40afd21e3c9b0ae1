"""Views, API views, the CLI and the dashboard's context builder never touch the ORM: reads go through
selectors, writes through services (issue 12, the house).  Checked on the syntax tree, so a manager
reached any way (`Model.objects`, `type(obj).objects`, `Model._default_manager`) is found."""

from __future__ import annotations

import ast
from pathlib import Path

# A manager attribute means a query is being built right here.
MANAGER_ATTRIBUTES = {"objects", "_default_manager", "_base_manager"}


def edge_modules(src: Path) -> list[Path]:
    files = set(src.glob("*/views.py"))
    files |= set(src.glob("*/api/**/*.py"))
    files |= set((src / "cli").glob("**/*.py"))
    files.add(src / "web" / "dashboard.py")
    return sorted(p for p in files if p.exists())


def manager_uses(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in MANAGER_ATTRIBUTES
    )


def test_the_edges_are_found(src):
    names = {p.relative_to(src).as_posix() for p in edge_modules(src)}
    assert {"collection/views.py", "collection/api/views.py", "cli/main.py", "web/dashboard.py"} <= names


def test_no_orm_in_views_api_cli_or_dashboard(src):
    offenders = [
        f"src/lanbai/{path.relative_to(src).as_posix()}:{line}"
        for path in edge_modules(src)
        for line in manager_uses(path)
    ]
    assert offenders == [], (
        "the ORM is used at an edge; move the read into the app's selectors.py or the write into its "
        "services.py:\n" + "\n".join(offenders)
    )
