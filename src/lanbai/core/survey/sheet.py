"""The questionnaire as an Excel workbook: write one enterprise's prefilled sheet, read a filled one back (pure).

Layout of the sheet 问卷 (one row per question, in the questionnaire's order)::

    row 1  title (调查年度 企业创新调查问卷)
    row 2  企业 | credit code | name
    row 3  调查年度 | year | 问卷版本 | version
    row 4  题号 | 部分 | 问题 | 填写说明 | 答案
    row 5… one question per row; the answer in column E

Answers are written and read as people write them: 是/否, an option's label (several labels of a multiple
choice separated by 、 or ,), 1–4 for a scale, a number for an amount.  Reading checks that the file is the
same enterprise, year and questionnaire, and names the sheet, row and question of every problem.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import Any

from .questionnaire import Question, Questionnaire

SHEET = "问卷"
FIRST_ROW = 5
HEADER = ("题号", "部分", "问题", "填写说明", "答案")
_SEP = re.compile(r"[、,，;；]\s*")


class SheetError(ValueError):
    """A filled questionnaire workbook cannot be read; ``problems`` lists each with sheet, row and question."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def _hint(qn: Questionnaire, q: Question) -> str:
    if q.type == "yes_no":
        h = "填“是”或“否”"
    elif q.type == "choice":
        h = "选填一项：" + "、".join(label for _, label in q.options)
    elif q.type == "multi_choice":
        h = "可填多项，用“、”分隔：" + "、".join(label for _, label in q.options)
    elif q.type == "scale":
        h = "填 1–4（1 不重要，2 较低，3 中等，4 高）"
    else:
        h = f"填数额（{q.unit}）" + ("，整数" if q.integer else "")
    if q.when is not None:
        dep, value = q.when
        shown = {True: "是", False: "否"}.get(value, value) if isinstance(value, bool) else value
        h += f"；仅当 {dep} 题答“{shown}”时填写"
    if not q.required:
        h += "；选答"
    return h


def _shown(q: Question, v: Any) -> Any:
    if v is None:
        return None
    if q.type == "yes_no":
        return "是" if v else "否"
    labels = dict(q.options)
    if q.type == "choice":
        return labels.get(v, v)
    if q.type == "multi_choice":
        return "、".join(labels.get(x, x) for x in v)
    return v


def questionnaire_workbook(
    qn: Questionnaire, *, year: int, credit_code: str, name: str, answers: Mapping[str, Any] | None = None
) -> bytes:
    """The questionnaire sheet of one sampled enterprise, prefilled with its saved ``answers``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from lanbai.core.collection.excel import neutralise

    answers = answers or {}
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([f"{year} 年{qn.title}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["企业", neutralise(credit_code), neutralise(name)])
    ws.append(["调查年度", year, "问卷版本", neutralise(qn.id)])
    ws.append(list(HEADER))
    for cell in ws[4]:
        cell.font = Font(bold=True)
    sections = dict(qn.sections)
    for q in qn.questions:
        ws.append([q.id, sections.get(q.section, q.section), q.text, _hint(qn, q), neutralise(_shown(q, answers.get(q.id)))])
    for col, width in zip("ABCDE", (18, 16, 36, 48, 24), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=FIRST_ROW):
        row[3].alignment = Alignment(wrap_text=True)
    ws.freeze_panes = "E5"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _parse(q: Question, raw: Any) -> Any:
    """A cell's text as the answer the questionnaire validator expects (labels → option keys)."""
    if isinstance(raw, str):
        raw = raw.strip()
        if raw.startswith("'"):
            raw = raw[1:]
    if raw is None or raw == "":
        return None
    by_label = {label: key for key, label in q.options}
    if q.type == "choice":
        return by_label.get(str(raw), raw)
    if q.type == "multi_choice":
        return [by_label.get(p, p) for p in _SEP.split(str(raw)) if p]
    if q.type == "scale" and isinstance(raw, float) and raw.is_integer():
        return int(raw)
    return raw


def read_questionnaire_workbook(
    qn: Questionnaire, content: bytes, *, year: int, credit_code: str
) -> tuple[dict[str, Any], dict[str, int]]:
    """The answers of a filled questionnaire workbook and the row of each question.

    Raises :class:`SheetError` (sheet, row, question named) when the file is not this questionnaire, or is
    another enterprise's or another year's; the answers themselves are checked by ``validate_answers``.
    """
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the same refusal for the user
        raise SheetError([f"文件无法读取，应为本平台下载的问卷 .xlsx / not a readable .xlsx workbook ({exc.__class__.__name__})"]) from exc
    if SHEET not in wb.sheetnames:
        raise SheetError([f"缺少工作表“{SHEET}” / the workbook has no sheet {SHEET!r}"])
    rows = list(wb[SHEET].iter_rows(values_only=True))
    wb.close()

    def cell(r: int, c: int) -> Any:
        return rows[r - 1][c - 1] if len(rows) >= r and len(rows[r - 1]) >= c else None

    problems = []
    if str(cell(2, 2) or "").lstrip("'") != credit_code:
        problems.append(
            f"工作表“{SHEET}”第 2 行 B 列：企业代码应为 {credit_code}，收到 {cell(2, 2)!r} / "
            f"sheet {SHEET} row 2: the file is for another enterprise"
        )
    try:
        file_year = int(cell(3, 2))
    except (TypeError, ValueError):
        file_year = None
    if file_year != year:
        problems.append(
            f"工作表“{SHEET}”第 3 行 B 列：调查年度应为 {year}，收到 {cell(3, 2)!r} / sheet {SHEET} row 3: year {year} expected"
        )
    known = {q.id: q for q in qn.questions}
    answers: dict[str, Any] = {}
    where: dict[str, int] = {}
    for r in range(FIRST_ROW, len(rows) + 1):
        qid = cell(r, 1)
        if qid in (None, ""):
            if cell(r, 5) not in (None, ""):
                problems.append(f"工作表“{SHEET}”第 {r} 行：有答案但没有题号 / sheet {SHEET} row {r}: answer without a question id")
            continue
        qid = str(qid).strip()
        if qid not in known:
            problems.append(f"工作表“{SHEET}”第 {r} 行：问卷中没有题号 {qid} / sheet {SHEET} row {r}: unknown question {qid!r}")
            continue
        if qid in where:
            problems.append(f"工作表“{SHEET}”第 {r} 行：题号 {qid} 重复（见第 {where[qid]} 行） / sheet {SHEET} row {r}: {qid!r} twice")
            continue
        where[qid] = r
        v = _parse(known[qid], cell(r, 5))
        if v is not None:
            answers[qid] = v
    if problems:
        raise SheetError(problems)
    return answers, where
