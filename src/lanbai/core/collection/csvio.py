"""CSV input: one header row of field codes (or the template's headings), one row per record.

Encoding: UTF-8 with or without BOM; otherwise GB18030 (what Excel on a Chinese Windows writes),
and the result says so in ``notices`` and ``encoding``.  Anything else is refused
(``file.encoding``).  Columns of optional fields may be left out; every cell is text and goes
through the same number rule and engine as a workbook.  Row numbers are the CSV line numbers
(header = row 1), so a message points at the line a reporter sees in a spreadsheet.
"""

from __future__ import annotations

import csv
import io

from .engine import ParsedFile, Table, validate_table
from .excel import column_letter
from .forms import FormSpec
from .problems import make_problem


def _decode(data: bytes) -> tuple[str | None, str | None]:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            return None, None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        return None, None


def read_csv(
    data: bytes,
    *,
    filename: str,
    form: FormSpec,
    period: str,
    unit_code: str,
    max_bytes: int = 20_000_000,
) -> ParsedFile:
    """Read and validate a CSV of ``form`` for ``period`` and ``unit_code`` (given by the caller:
    a CSV has no header block).  Every problem is reported at once."""
    result = ParsedFile(
        filename=filename, form_code=form.code, form_version=form.version, period=period, unit_code=unit_code
    )
    if not data:
        result.problems = [make_problem("file.empty", file=filename)]
        return result
    if len(data) > max_bytes:
        result.problems = [
            make_problem(
                "file.too_large",
                file=filename,
                value=f"{len(data)} B",
                detail_zh=f"上限为 {max_bytes} 字节",
                detail_en=f"limit {max_bytes} bytes",
            )
        ]
        return result
    if data[:4] == b"PK\x03\x04" or b"\x00" in data[:4096]:
        result.problems = [
            make_problem(
                "file.encoding",
                file=filename,
                detail_zh="这不是文本文件（可能是 xlsx）",
                detail_en="not a text file (an xlsx?)",
            )
        ]
        return result
    text, encoding = _decode(data)
    if text is None:
        result.problems = [
            make_problem(
                "file.encoding",
                file=filename,
                detail_zh="请另存为 UTF-8 编码的 CSV",
                detail_en="save the CSV as UTF-8",
            )
        ]
        return result
    result.encoding = encoding
    if encoding == "gb18030":
        result.notices.append("文件按 GB18030 编码读取 / decoded as GB18030")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        result.problems = [make_problem("file.empty", file=filename)]
        return result
    by_name: dict[str, str] = {}
    for f in form.fields:
        for name in (f.code, f.label, f.heading, f.heading + "*", f.label + "*"):
            by_name[name] = f.code
    header = [h.strip() for h in rows[0]]
    problems = []
    positions: dict[str, int] = {}
    for j, h in enumerate(header):
        code = by_name.get(h)
        if code is None:
            if h:
                problems.append(
                    make_problem(
                        "layout.unknown_column",
                        file=filename,
                        row=1,
                        column=column_letter(j),
                        value=h,
                        detail_zh="表头应为字段代码或模板中的列名",
                        detail_en="headers are field codes or template headings",
                    )
                )
            continue
        if code in positions:
            problems.append(
                make_problem(
                    "layout.columns_changed",
                    file=filename,
                    row=1,
                    column=column_letter(j),
                    field=code,
                    value=h,
                    detail_zh="该列重复",
                    detail_en="duplicate column",
                )
            )
            continue
        positions[code] = j
    for f in form.fields:
        if f.code not in positions and f.required:
            problems.append(
                make_problem(
                    "layout.missing_column",
                    file=filename,
                    field=f.code,
                    label=f.label,
                    detail_zh="缺少必填列",
                    detail_en="a required column is missing",
                )
            )
    body = [(i, r) for i, r in enumerate(rows[1:], start=2) if any(c.strip() for c in r)]
    if not body:
        problems.append(make_problem("file.no_data", file=filename))
        result.problems = problems
        return result
    if problems:
        result.problems = problems
        return result
    n = len(body)
    columns = {}
    for f in form.fields:
        pos = positions.get(f.code)
        columns[f.code] = (
            [r[pos] if pos is not None and pos < len(r) else "" for _, r in body]
            if pos is not None
            else [""] * n
        )
    letters = {code: column_letter(j) for code, j in positions.items()}
    table = Table(file=filename, sheet=None, rows=[i for i, _ in body], letters=letters)
    records, value_problems = validate_table(form, columns, table)
    if form.level == "zone" and n > 1:
        value_problems.append(
            make_problem(
                "rows.too_many",
                file=filename,
                row=table.rows[1],
                value=n,
                detail_zh="园区表只填一行数据",
                detail_en="a zone form has one data row",
            )
        )
    result.records, result.row_numbers, result.problems = records, table.rows, value_problems
    return result
