"""Load voucher schemes from YAML files (one file per year), with errors naming the file and key."""

from __future__ import annotations

from pathlib import Path

import yaml

from .rules import Scheme, SchemeError, parse_scheme


def load_scheme_file(path: Path) -> Scheme:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SchemeError(f"{path.name}: not valid YAML: {exc}") from None
    scheme = parse_scheme(data, path.name)
    if path.stem.isdigit() and int(path.stem) != scheme.year:
        raise SchemeError(f"{path.name}: year: {scheme.year} does not match the file name")
    return scheme


def load_schemes(directory: Path) -> list[Scheme]:
    """Every ``*.yaml`` scheme in ``directory``, by year; codes must be unique."""
    schemes = [load_scheme_file(p) for p in sorted(directory.glob("*.yaml"))]
    seen: dict[str, str] = {}
    for s in schemes:
        if s.code in seen:
            raise SchemeError(f"{s.year}.yaml: code: {s.code!r} already used by {seen[s.code]}")
        seen[s.code] = f"{s.year}.yaml"
    return sorted(schemes, key=lambda s: s.year)
