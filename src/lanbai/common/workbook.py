"""Excel sheets in and out (openpyxl): one header row of Chinese column names, one record per row.

Shared by the apps' ``excel`` modules.  Reading gives field dicts keyed by the app's own field names
(``_line``: the Excel row) so each row goes through the app's service and is checked by the same rules;
:func:`import_all_or_nothing` runs them in one transaction and stores nothing if any row is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from django.db import transaction
from openpyxl import Workbook, load_workbook

from .exceptions import ApplicationError, ValidationFailed

Columns = Sequence[tuple[str, str]]  # (field, Chinese column header)


def read_sheet(path: Path, columns: Columns, *, required: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Rows of the first sheet as field dicts; unknown columns are ignored, empty rows skipped.

    A file that is not a workbook or lacks a required column is refused naming the file."""
    name = Path(path).name
    try:
        ws = load_workbook(path, read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationFailed(f"{name}：无法读取 Excel 文件（{exc}） / cannot read the workbook",
                               field="file") from None
    it = ws.iter_rows(values_only=True)
    header = [str(c or "").strip() for c in next(it, ())]
    by_label = {label: field for field, label in columns}
    fields = [by_label.get(h) for h in header]
    label_of = dict(columns)
    missing = [label_of[f] for f in required if f not in fields]
    if missing:
        raise ValidationFailed(f"{name}：缺少列：{'、'.join(missing)} / missing columns", field="header")
    rows = []
    for line, values in enumerate(it, start=2):
        if not any(v not in (None, "") for v in values):
            continue
        row: dict[str, Any] = {"_line": line}
        for field, value in zip(fields, values, strict=False):
            if field is None:
                continue
            if isinstance(value, dt.datetime):
                value = value.date()
            if isinstance(value, str):
                value = value.strip()
            row[field] = "" if value is None else value
        rows.append(row)
    return rows


def import_all_or_nothing(
    rows: list[dict[str, Any]], create: Callable[[dict[str, Any]], Any], *, column_of: Callable[[str], str],
    file: str = "",
) -> list[Any]:
    """``create`` each row inside one transaction; if any row is refused, nothing is stored and a
    ValidationFailed lists every error (``extra["errors"]``: file, row, column, field, message)."""
    errors: list[dict[str, Any]] = []
    created: list[Any] = []
    with transaction.atomic():
        for row in rows:
            line = row.pop("_line", None)
            try:
                with transaction.atomic():
                    created.append(create(row))
            except ApplicationError as exc:
                field = exc.extra.get("field", "")
                fields = exc.extra.get("fields") or {field: [exc.message]}
                for f, messages in fields.items():
                    for message in messages if isinstance(messages, list) else [messages]:
                        errors.append({"file": file, "row": line, "column": column_of(f), "field": f,
                                       "message": message})
        if errors:
            transaction.set_rollback(True)
    if errors:
        first = errors[0]
        where = f"{file} " if file else ""
        raise ValidationFailed(
            f"导入失败，共 {len(errors)} 处错误（{where}第 {first['row']} 行 {first['column']}：{first['message']}）"
            f" / import refused, {len(errors)} errors, nothing stored",
            field=first["field"], extra={"errors": errors},
        )
    return created


def new_workbook() -> Workbook:
    """An empty workbook (its default sheet removed): add sheets with :func:`add_sheet`."""
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def add_sheet(wb: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Any:
    ws = wb.create_sheet(title)
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    ws.freeze_panes = "A2"
    return ws
