"""Excel templates (openpyxl) and reading filled workbooks (python-calamine).

Template layout (one sheet named by the form's 表号, every form row-oriented)::

    row 1   title: the form's name                                      (merged, locked)
    row 2   表号 | code | 制定机关 | … | 批准文号 | … | 有效期至 | …       (locked)
    row 3   填报单位 | name | 单位代码 | code | 报告期 | 2018年1-6月 | 模板版本 | 1
    row 4   field headings with units, e.g. 营业收入（万元）                (locked)
    row 5   field codes (hidden, locked) — the machine-readable column map
    row 6…  data: one row per enterprise (enterprise form) or exactly one row (zone form)
    foot    单位负责人： | 统计负责人： | 填表人： | 报出日期：  (one blank row below the data)

A very hidden sheet ``_lanbai`` holds the metadata (form code, version, period, unit code, unit
name).  Header cells are locked by sheet protection (no password: it prevents accidents, not
attacks); data cells and the signature/date cells of the foot are unlocked and rows may be
inserted, so reporters can add enterprises above the foot and sign the form.  Drop-down lists are attached to category and bool columns.
"""

from __future__ import annotations

import datetime as dt
import io
import operator
import re
import threading
import zipfile
from collections.abc import Callable, Iterable, Sequence
from itertools import chain, repeat
from typing import Any

import numpy as np
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from lanbai.core.periods import Quarter

from .engine import ParsedFile, Records, Table, validate_table
from .forms import FormSpec
from .problems import Problem, make_problem

META_SHEET = "_lanbai"
TITLE_ROW, HEAD1_ROW, HEAD2_ROW, LABEL_ROW, CODE_ROW, DATA_ROW = 1, 2, 3, 4, 5, 6
DEFAULT_BLANK_ROWS = 50
ZIP_RATIO_LIMIT = 20  # uncompressed size may be at most 20 × max_bytes
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
_PERIOD_ZH = re.compile(r"(\d{4})年1-(3|6|9|12)月")


def neutralise(value: Any) -> Any:
    """Make a value safe for a spreadsheet cell: a text starting with = + - @ (or tab/CR) gets a ``'``.

    Numbers, dates, booleans and None pass unchanged.  Used by every export we write; the readers
    undo it (a text ``'=…`` read back is ``=…``).
    """
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def period_label(period: str) -> str:
    """``2018Q2`` -> ``2018年1-6月``."""
    return Quarter.parse(period).label_zh


def header_cells(
    form: FormSpec, *, period: str, unit_code: str, unit_name: str
) -> dict[tuple[int, int], Any]:
    """The header block as ``{(row, column): value}`` (1-based), shared by every writer."""
    cells: dict[tuple[int, int], Any] = {(TITLE_ROW, 1): form.name}
    pairs2 = [
        ("表号：", form.code),
        ("制定机关：", form.issuing_body),
        ("批准文号：", form.approval_no),
        ("有效期至：", f"{form.valid_until:%Y年%m月%d日}"),
    ]
    pairs3 = [
        ("填报单位：", unit_name),
        ("单位代码：", unit_code),
        ("报告期：", period_label(period)),
        ("模板版本：", str(form.version)),
    ]
    for row, pairs in ((HEAD2_ROW - 1, pairs2), (HEAD2_ROW, pairs3)):
        for k, (label, value) in enumerate(pairs):
            cells[(row, 2 * k + 1)] = label
            cells[(row, 2 * k + 2)] = value
    for j, f in enumerate(form.fields, start=1):
        cells[(LABEL_ROW, j)] = f.heading + ("*" if f.required else "")
        cells[(CODE_ROW, j)] = f.code
    return cells


def foot_cells(form: FormSpec, foot_row: int) -> dict[tuple[int, int], Any]:
    return {(foot_row, 2 * k + 1): f"{label}：" for k, label in enumerate(form.foot)}


def meta_rows(form: FormSpec, *, period: str, unit_code: str, unit_name: str) -> list[tuple[str, str]]:
    return [
        ("form_code", form.code),
        ("form_version", str(form.version)),
        ("period", str(Quarter.parse(period))),
        ("unit_code", unit_code),
        ("unit_name", unit_name),
        ("generator", "lanbai"),
    ]


def cell_value(form: FormSpec, code: str, value: Any) -> Any:
    """``value`` as the template writes it in a cell (category label, 是/否, neutralised text)."""
    f = form.field(code)
    if value is None:
        return None
    if f.type == "category":
        for c in f.choices:
            if value == c.code:
                return c.label
    if f.type == "bool" and isinstance(value, bool):
        return "是" if value else "否"
    return neutralise(value)


def write_template(
    form: FormSpec,
    *,
    period: str,
    unit_code: str,
    unit_name: str,
    rows: list[dict[str, Any]] | None = None,
    blank_rows: int | None = None,
) -> bytes:
    """An xlsx template of ``form`` for one reporting unit and period, optionally prefilled.

    ``period`` like ``2018Q2``; ``rows`` are records (field code -> value; category codes are
    written as their labels, booleans as 是/否).  ``blank_rows`` empty data rows follow the
    prefilled ones (default 50 for an enterprise form, 0 for a zone form, which always has exactly
    one data row).  Every text written goes through :func:`neutralise`.
    """
    Quarter.parse(period)
    if not unit_code or not unit_name:
        raise ValueError("unit_code and unit_name are required")
    rows = list(rows or [])
    if form.level == "zone":
        if len(rows) > 1:
            raise ValueError(f"rows: a zone form ({form.code}) has one data row, got {len(rows)}")
        n_data = 1
    else:
        n_data = len(rows) + (DEFAULT_BLANK_ROWS if blank_rows is None else blank_rows)
        n_data = max(n_data, 1)
    unknown = {k for r in rows for k in r} - set(form.field_codes)
    if unknown:
        raise ValueError(f"rows: unknown field codes {sorted(unknown)} for form {form.code}")

    wb = Workbook()
    ws = wb.active
    ws.title = form.code
    nf = len(form.fields)
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    for (r, c), v in header_cells(form, period=period, unit_code=unit_code, unit_name=unit_name).items():
        ws.cell(r, c, neutralise(v))
    ws.cell(TITLE_ROW, 1).font = Font(bold=True, size=14)
    ws.cell(TITLE_ROW, 1).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=max(nf, 8))
    for j in range(1, nf + 1):
        cell = ws.cell(LABEL_ROW, j)
        cell.font, cell.fill = bold, head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        fspec = form.fields[j - 1]
        minimum = {"credit_code": 22, "text": 30}.get(fspec.type, 12)
        ws.column_dimensions[get_column_letter(j)].width = max(minimum, min(28, len(fspec.heading) * 2 + 2))
    ws.row_dimensions[LABEL_ROW].height = 42
    ws.row_dimensions[CODE_ROW].hidden = True

    unlocked = Protection(locked=False)
    first, last = DATA_ROW, DATA_ROW + n_data - 1
    for i in range(n_data):
        rec = rows[i] if i < len(rows) else {}
        for j, f in enumerate(form.fields, start=1):
            cell = ws.cell(first + i, j, cell_value(form, f.code, rec.get(f.code)))
            cell.protection = unlocked
            if f.type in ("text", "credit_code"):
                cell.number_format = "@"
            elif f.type == "date":
                cell.number_format = "yyyy-mm-dd"
    for (r, c), v in foot_cells(form, last + 2).items():
        ws.cell(r, c, v)
        ws.cell(r, c + 1).protection = unlocked  # the reporter signs and dates here

    for j, f in enumerate(form.fields, start=1):
        options = (
            [c.label for c in f.choices]
            if f.type == "category"
            else ["是", "否"]
            if f.type == "bool"
            else None
        )
        if options is None:
            continue
        dv = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True)
        dv.error, dv.errorTitle = "请从下拉列表中选择", f.label
        dv.prompt, dv.promptTitle = "可选：" + "、".join(options), f.label
        dv.showErrorMessage = dv.showInputMessage = True
        letter = get_column_letter(j)
        dv.add(f"{letter}{first}:{letter}{last}")
        ws.add_data_validation(dv)
    ws.freeze_panes = ws.cell(DATA_ROW, 1)
    ws.protection.sheet = True
    ws.protection.insertRows = False  # False = allowed
    ws.protection.deleteRows = False
    ws.protection.formatColumns = False
    ws.protection.formatCells = False

    meta = wb.create_sheet(META_SHEET)
    for k, (key, value) in enumerate(
        meta_rows(form, period=period, unit_code=unit_code, unit_name=unit_name), 1
    ):
        meta.cell(k, 1, key)
        meta.cell(k, 2, neutralise(value))
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- reading


def column_letter(index0: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letter: str = get_column_letter(index0 + 1)  # openpyxl ships no types
    return letter


_CELL_WITH_FORMULA = re.compile(
    rb'<(?:[A-Za-z0-9]+:)?c\b[^>]*?\br="([A-Z]{1,3})(\d+)"[^>]*>\s*<(?:[A-Za-z0-9]+:)?f[\s>/]'
)
_ANY_FORMULA = re.compile(rb"<(?:[A-Za-z0-9]+:)?f[\s>/]")
_FORMULA_HINT = re.compile(rb"f[\s>/]")  # a lower-case f is rare in sheet XML: a fast first pass


def _maybe_formula(buf: bytes) -> bool:
    """Cheap pre-check before the full element regex runs (which is slow on every ``<``)."""
    return _FORMULA_HINT.search(buf) is not None and _ANY_FORMULA.search(buf) is not None


_REL = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_ATTR = re.compile(rb'(\w+(?::\w+)?)="([^"]*)"')
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")


def _sheet_xml_path(zf: zipfile.ZipFile, sheet_name: str) -> str | None:
    """The zip member of the sheet named ``sheet_name`` (via workbook.xml and its rels)."""
    try:
        wb_xml = zf.read("xl/workbook.xml")
        rels_xml = zf.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    rid = None
    for tag in _SHEET.findall(wb_xml):
        attrs: dict[bytes, bytes] = dict(_ATTR.findall(tag))
        name = attrs.get(b"name", b"").decode("utf-8")
        name = name.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
        if name == sheet_name:
            rid = next((v for k, v in attrs.items() if k.endswith(b":id")), None)
            break
    if rid is None:
        return None
    for tag in _REL.findall(rels_xml):
        attrs = dict(_ATTR.findall(tag))
        if attrs.get(b"Id") == rid:
            target = attrs.get(b"Target", b"").decode("utf-8")
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    return None


def formula_cells(data: bytes, sheet_name: str) -> list[tuple[str, int]]:
    """``(column letter, row)`` of every cell holding a formula in ``sheet_name`` of an xlsx.

    Streams the sheet's XML out of the zip and scans for ``<f>`` elements (calamine shows only the
    cached values, so it cannot tell a formula from a value).
    """
    return _formula_cells(data, sheet_name)


def _formula_cells(
    data: bytes, sheet_name: str, stop: threading.Event | None = None
) -> list[tuple[str, int]]:
    """:func:`formula_cells`; when ``stop`` is set the scan gives up (its result is then not used)."""
    out: list[tuple[str, int]] = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        member = _sheet_xml_path(zf, sheet_name)
        if member is None or member not in zf.namelist():
            return out
        carry = b""
        with zf.open(member) as fh:
            while True:
                chunk = fh.read(1 << 22)
                if not chunk or (stop is not None and stop.is_set()):
                    break
                buf = carry + chunk
                cut = buf.rfind(b"<c ")  # scan whole cells only; the cell cut off waits for the next chunk
                if cut <= 0:
                    cut = max(0, len(buf) - 4096)
                head, carry = buf[:cut], buf[cut:]
                if _maybe_formula(head):
                    out.extend(
                        (m.group(1).decode(), int(m.group(2))) for m in _CELL_WITH_FORMULA.finditer(head)
                    )
        if _maybe_formula(carry):
            out.extend((m.group(1).decode(), int(m.group(2))) for m in _CELL_WITH_FORMULA.finditer(carry))
    return sorted(set(out), key=lambda t: (t[1], len(t[0]), t[0]))


def _refuse(filename: str, rule: str, **kw: Any) -> ParsedFile:
    return ParsedFile(
        filename=filename,
        form_code=None,
        form_version=None,
        period=None,
        unit_code=None,
        problems=[make_problem(rule, file=filename, **kw)],
    )


def _check_container(data: bytes, filename: str, max_bytes: int) -> ParsedFile | None:
    """File-level refusals before any parsing: empty, too large, not an xlsx (magic + zip)."""
    if len(data) == 0:
        return _refuse(filename, "file.empty")
    if len(data) > max_bytes:
        return _refuse(
            filename,
            "file.too_large",
            value=f"{len(data)} B",
            detail_zh=f"上限为 {max_bytes} 字节",
            detail_en=f"limit {max_bytes} bytes",
        )
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return _refuse(
            filename,
            "file.not_xlsx",
            detail_zh="这是旧版 .xls 或加密的文件，请另存为 .xlsx",
            detail_en="an old .xls or encrypted file; save it as .xlsx",
        )
    if data[:4] != b"PK\x03\x04":
        return _refuse(
            filename,
            "file.not_xlsx",
            detail_zh="文件内容不是 xlsx（可能是改了扩展名的其他文件）",
            detail_en="the content is not an xlsx (a renamed file?)",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            total = sum(i.file_size for i in zf.infolist())
    except zipfile.BadZipFile:
        return _refuse(filename, "file.not_xlsx", detail_zh="压缩包已损坏", detail_en="a damaged zip")
    if "xl/workbook.xml" not in names:
        return _refuse(
            filename,
            "file.not_xlsx",
            detail_zh="压缩包中没有 Excel 工作簿",
            detail_en="no workbook in the zip",
        )
    if total > ZIP_RATIO_LIMIT * max_bytes:
        return _refuse(
            filename,
            "file.too_large",
            value=f"{total} B",
            detail_zh="解压后过大",
            detail_en="too large when uncompressed",
        )
    return None


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _read_meta(wb: Any, sheet_names: list[str], forms: dict[str, FormSpec]) -> dict[str, str] | None:
    """Metadata from the hidden sheet, else from the visible header block of a form's sheet."""
    if META_SHEET in sheet_names:
        rows = wb.get_sheet_by_name(META_SHEET).to_python(skip_empty_area=False)
        meta = {_text(r[0]): _text(r[1]) for r in rows if len(r) >= 2 and _text(r[0])}
        if "form_code" in meta:
            return meta
    for name in sheet_names:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=HEAD2_ROW)
        if len(rows) < HEAD2_ROW or len(rows[1]) < 8 or _text(rows[1][0]) != "表号：":
            continue
        r2, r3 = rows[1], rows[2]
        meta = {
            "form_code": _text(r2[1]),
            "unit_name": _text(r3[1]),
            "unit_code": _text(r3[3]),
            "form_version": _text(r3[7]),
        }
        m = _PERIOD_ZH.fullmatch(_text(r3[5]))
        meta["period"] = f"{m.group(1)}Q{int(m.group(2)) // 3}" if m else _text(r3[5])
        return meta
    return None


def read_workbook(
    data: bytes,
    *,
    filename: str,
    forms: dict[str, FormSpec],
    expected_form: str | None = None,
    expected_period: str | None = None,
    expected_unit: str | None = None,
    max_bytes: int = 20_000_000,
    while_reading: Callable[[ParsedFile], Any] | None = None,
) -> ParsedFile:
    """Read and validate a filled template.  Every problem of the file is reported at once.

    File-level refusals (``file.*``, ``form.*``, ``template.*``, ``sheet.renamed``,
    ``layout.columns_changed``) stop before the data; ``unit.wrong`` / ``period.wrong`` are reported
    together with the data's problems.  ``expected_*`` are checked only when given.

    ``while_reading(result_so_far)``, when given, is called on the calling thread once the file has
    passed the file-level checks (form, version and sheet known; ``problems`` holds the unit/period
    problems so far) while the data sheet is parsed in a worker thread (calamine releases the GIL);
    its return value is stored as ``result.prefetched``.  It is not called for a refused file.  If it
    raises, the worker is joined and the exception propagates.
    """
    refused = _check_container(data, filename, max_bytes)
    if refused is not None:
        return refused
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet_names = list(wb.sheet_names)
        meta = _read_meta(wb, sheet_names, forms)
    except Exception as exc:  # calamine raises several error types for broken files
        return _refuse(filename, "file.not_xlsx", detail_zh="无法读取工作簿", detail_en=f"unreadable: {exc}")
    if meta is None:
        visible = [s for s in sheet_names if s != META_SHEET]
        return _refuse(
            filename,
            "template.unrecognised",
            value="、".join(visible),
            detail_zh="请使用本平台下载的模板填报",
            detail_en="use a template downloaded from the platform",
        )

    code = meta.get("form_code", "")
    result = ParsedFile(
        filename=filename,
        form_code=code or None,
        form_version=None,
        period=meta.get("period") or None,
        unit_code=meta.get("unit_code") or None,
        unit_name=meta.get("unit_name") or None,
    )
    fatal: list[Problem] = []
    soft: list[Problem] = []
    form = forms.get(code)
    try:
        version = int(meta.get("form_version", ""))
        result.form_version = version
    except ValueError:
        version = None
    if form is None:
        fatal.append(
            make_problem(
                "form.unknown",
                file=filename,
                value=code,
                detail_zh="已知表号：" + "、".join(forms),
                detail_en="known: " + ", ".join(forms),
            )
        )
    if expected_form is not None and code != expected_form:
        fatal.append(
            make_problem(
                "form.wrong",
                file=filename,
                value=code,
                detail_zh=f"应为 {expected_form}",
                detail_en=f"expected {expected_form}",
            )
        )
    if form is not None:
        if version is None or version < form.version:
            fatal.append(
                make_problem(
                    "template.old_version",
                    file=filename,
                    value=meta.get("form_version"),
                    detail_zh=f"当前版本为 {form.version}，请重新下载模板",
                    detail_en=f"current version {form.version}; download the template again",
                )
            )
        elif version > form.version:
            fatal.append(
                make_problem(
                    "template.unknown_version",
                    file=filename,
                    value=version,
                    detail_zh=f"当前版本为 {form.version}",
                    detail_en=f"current {form.version}",
                )
            )
    period = meta.get("period", "")
    try:
        period = str(Quarter.parse(period))
        result.period = period
    except ValueError:
        soft.append(make_problem("period.invalid", file=filename, value=period))
    if expected_period is not None and period != expected_period:
        soft.append(
            make_problem(
                "period.wrong",
                file=filename,
                value=period,
                detail_zh=f"应为 {expected_period}",
                detail_en=f"expected {expected_period}",
            )
        )
    unit = meta.get("unit_code", "")
    if expected_unit is not None and unit != expected_unit:
        soft.append(
            make_problem(
                "unit.wrong",
                file=filename,
                value=unit,
                detail_zh=f"应为 {expected_unit}",
                detail_en=f"expected {expected_unit}",
            )
        )
    if form is not None and form.code not in sheet_names:
        visible = [s for s in sheet_names if s != META_SHEET]
        fatal.append(
            make_problem(
                "sheet.renamed",
                file=filename,
                sheet=form.code,
                value="、".join(visible),
                detail_zh=f"应有名为“{form.code}”的工作表",
                detail_en=f"expected a sheet {form.code}",
            )
        )
    if fatal or form is None:
        result.problems = fatal + soft
        return result

    result.sheet = form.code
    # the formula scan (zlib, mostly without the GIL) runs beside calamine's parse of the sheet
    stop = threading.Event()
    formulas = _Worker(_formula_cells, data, form.code, stop)
    try:
        if while_reading is None:
            merged, grid = _parse_sheet(wb, form.code)
        else:
            parsing = _Worker(_parse_sheet, wb, form.code)
            try:
                result.problems = list(soft)
                result.prefetched = while_reading(result)
            finally:
                parsing.join()
            merged, grid = parsing.result()
        del wb  # free calamine's copy of the cells before validating
        problems = _read_grid(data, merged, grid, form, filename, result, formulas.result)  # consumes grid
    finally:
        stop.set()
        formulas.join()
    result.problems = soft + problems
    return result


class _Worker:
    """``fn(*args)`` in a thread of its own; :meth:`result` joins it and returns or re-raises."""

    def __init__(self, fn: Callable[..., Any], *args: Any):
        self._value: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(fn, args), name="lanbai-read", daemon=True)
        self._thread.start()

    def _run(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        try:
            self._value = fn(*args)
        except BaseException as exc:  # handed to the caller by result()
            self._error = exc

    def join(self) -> None:
        self._thread.join()

    def result(self) -> Any:
        self._thread.join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        return self._value


def _parse_sheet(wb: Any, name: str) -> tuple[list[Any], list[list[Any]]]:
    """The merged ranges and the cells of a sheet (calamine; the parse runs without the GIL)."""
    sheet = wb.get_sheet_by_name(name)
    merged = list(sheet.merged_cell_ranges or [])
    return merged, sheet.to_python(skip_empty_area=False)


def _read_grid(
    data: bytes,
    merged: list[Any],
    grid: list[list[Any]],
    form: FormSpec,
    filename: str,
    result: ParsedFile,
    formulas: Callable[[], list[tuple[str, int]]] | None = None,
) -> list[Problem]:
    """The data area of the form's sheet: layout checks, then :func:`validate_table` by column.

    ``formulas`` returns the sheet's :func:`formula_cells` (default: scan ``data`` now).
    """
    nf = len(form.fields)
    sname = form.code
    codes_row = [_text(v) for v in grid[CODE_ROW - 1][:nf]] if len(grid) >= CODE_ROW else []
    if codes_row != form.field_codes:
        found = [c for c in codes_row if c]
        diff = [c for c in form.field_codes if c not in found] + [
            c for c in found if c not in form.field_codes
        ]
        return [
            make_problem(
                "layout.columns_changed",
                file=filename,
                sheet=sname,
                row=CODE_ROW,
                value=",".join(diff) or ",".join(found),
                detail_zh="请勿增删或移动数据列，请重新下载模板",
                detail_en="do not add, remove or move data columns",
            )
        ]
    # the data area: from DATA_ROW to the foot (a row whose column A starts with the first foot label)
    start = DATA_ROW - 1
    tail = grid[start:]
    widths = set(map(len, tail))
    width = widths.pop() if len(widths) == 1 else 0
    height = len(grid)
    if width >= nf > 0:  # the usual rectangular grid: the cells row after row in one flat list
        flat: list[Any] = list(chain.from_iterable(tail))
        first = flat[0::width]
        # the row lists can go now; freeing 100,000 of them early also spares a garbage collection
        # pass over the big lists made below
        grid.clear()
    else:
        flat, first = [], [row[0] if row else "" for row in tail]
    del tail
    foot_label = form.foot[0] if form.foot else None
    end = start + _foot_index(first, foot_label) if foot_label else height
    del first
    problems: list[Problem] = []
    for (r0, c0), (r1, c1) in merged:
        if r1 >= DATA_ROW - 1 and r0 < end:
            ref = f"{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}"
            problems.append(
                make_problem(
                    "layout.merged_cells",
                    file=filename,
                    sheet=sname,
                    row=r0 + 1,
                    column=column_letter(c0),
                    value=ref,
                    detail_zh="请取消合并，每个单元格填一个值",
                    detail_en="unmerge the cells",
                )
            )
    for letter, row in formulas() if formulas is not None else formula_cells(data, sname):
        if DATA_ROW <= row <= end:
            idx = _column_index(letter)
            f = form.fields[idx] if idx < nf else None
            problems.append(
                make_problem(
                    "cell.formula",
                    file=filename,
                    sheet=sname,
                    row=row,
                    column=letter,
                    field=f.code if f else None,
                    label=f.label if f else None,
                    detail_zh="请将公式“选择性粘贴为数值”",
                    detail_en="paste values instead",
                )
            )
    if flat:
        row_numbers, data_columns, extra = _area_by_column(flat, width, end - start, nf, start)
    else:
        row_numbers, data_columns, extra = _area_by_row(grid[start:end], nf, start)
    del flat
    for r, k, v in extra:
        problems.append(
            make_problem(
                "layout.unknown_column",
                file=filename,
                sheet=sname,
                row=r,
                column=column_letter(k),
                value=_text(v),
                detail_zh="数据区右侧不应填写内容",
                detail_en="nothing right of the data",
            )
        )
    if not row_numbers:
        problems.append(
            make_problem(
                "file.no_data",
                file=filename,
                sheet=sname,
                row=DATA_ROW,
                detail_zh="请在表头下方填写数据",
                detail_en="fill in rows below the header",
            )
        )
        return problems
    if form.level == "zone" and len(row_numbers) > 1:
        problems.append(
            make_problem(
                "rows.too_many",
                file=filename,
                sheet=sname,
                row=row_numbers[1],
                value=len(row_numbers),
                detail_zh="园区表只填一行数据",
                detail_en="a zone form has one data row",
            )
        )
    grid.clear()  # the rows not kept as data can go now (memory for 100,000-row files)
    columns = dict(zip(form.field_codes, data_columns, strict=True))
    del data_columns
    letters = {f.code: column_letter(j) for j, f in enumerate(form.fields)}
    table = Table(file=filename, sheet=sname, rows=row_numbers, letters=letters)
    records, value_problems = validate_table(form, columns, table, reuse_columns=True)
    problems.extend(value_problems)
    problems.extend(_unit_rows(form, records, table, result.unit_code))
    result.records, result.row_numbers = records, row_numbers
    return problems


def _foot_index(first: list[Any], label: str) -> int:
    """Index of the first value that is a text starting with ``label`` (else ``len(first)``)."""
    if set(map(type, first)) <= {str}:
        hits = np.flatnonzero(
            np.fromiter(map(str.startswith, first, repeat(label)), dtype=bool, count=len(first))
        )
        return int(hits[0]) if hits.size else len(first)
    for k, v in enumerate(first):
        if isinstance(v, str) and v.startswith(label):
            return k
    return len(first)


# types whose value never equals '' (so a cell of them is blank only when it is None)
_NEVER_TEXT = {float, int, bool, type(None), dt.date, dt.datetime, dt.time, dt.timedelta}


def _blank(values: list[Any]) -> np.ndarray:
    """True where a cell is empty: '' or None or only whitespace (as the row-by-row check)."""
    n = len(values)
    types = set(map(type, values))
    if types <= {str}:
        return np.fromiter(map(operator.not_, map(str.strip, values)), dtype=bool, count=n)
    if types <= _NEVER_TEXT:
        return np.fromiter(map(operator.is_, values, repeat(None)), dtype=bool, count=n)
    return np.fromiter(
        (v == "" or v is None or (type(v) is str and not v.strip()) for v in values), dtype=bool, count=n
    )


def _area_by_column(
    flat: list[Any], width: int, m: int, nf: int, start: int
) -> tuple[list[int], list[list[Any]], list[tuple[int, int, Any]]]:
    """:func:`_area_by_row` for the first ``m`` rows of a rectangular grid ``width >= nf`` wide given
    as one flat list of its cells row after row; done column by column."""
    stop = m * width
    data_columns = [flat[j:stop:width] for j in range(nf)]
    # rows whose first nf cells are all blank: narrow the candidates column by column (usually A decides)
    cand = np.flatnonzero(_blank(data_columns[0]))
    for column in data_columns[1:]:
        if not cand.size:
            break
        cand = cand[_blank(list(map(column.__getitem__, cand.tolist())))]
    kept = np.ones(m, dtype=bool)
    kept[cand] = False
    filled: list[tuple[int, np.ndarray]] = []  # (column index, filled rows) right of the data
    for k in range(nf, width):
        column = flat[k:stop:width]
        if column.count("") != m:
            mask = np.fromiter((v not in ("", None) for v in column), dtype=bool, count=m)
            if mask.any():
                filled.append((k, mask))
                kept |= mask
    extra = sorted(
        (start + i + 1, k, flat[i * width + k]) for k, mask in filled for i in np.flatnonzero(mask).tolist()
    )
    rows = np.flatnonzero(kept)
    if rows.size != m:
        _drop_rows(data_columns, np.flatnonzero(~kept))
    return (rows + start + 1).tolist(), data_columns, extra


def _drop_rows(columns: list[list[Any]], dropped: np.ndarray) -> None:
    """Remove the rows ``dropped`` (ascending indices) from every column, in place."""
    breaks = np.flatnonzero(np.diff(dropped) != 1)
    runs = list(
        zip(dropped[np.r_[0, breaks + 1]].tolist(), (dropped[np.r_[breaks, -1]] + 1).tolist(), strict=True)
    )
    if len(runs) <= 32:  # a few runs (e.g. blank rows above the foot): delete the slices, last first
        for column in columns:
            for a, b in reversed(runs):
                del column[a:b]
        return
    keep = np.flatnonzero(np.isin(np.arange(len(columns[0])), dropped, invert=True)).tolist()
    columns[:] = [list(map(column.__getitem__, keep)) for column in columns]


def _area_by_row(
    area: list[list[Any]], nf: int, start: int
) -> tuple[list[int], list[list[Any]], list[tuple[int, int, Any]]]:
    """The data rows of ``area`` (row ``start`` onwards, 0-based): their row numbers, the first ``nf``
    cells by column, and every filled cell right of them as ``(row, column index, value)``.

    A row is skipped when its first ``nf`` cells are blank and nothing is right of them.
    """
    data_rows: list[list[Any]] = []
    row_numbers: list[int] = []
    extra: list[tuple[int, int, Any]] = []
    for r, row in enumerate(area, start=start):
        cells = row[:nf]
        if cells.count("") == len(cells) or all(
            v == "" or v is None or (type(v) is str and not v.strip()) for v in cells
        ):
            if not any(v not in ("", None) for v in row[nf:]):
                continue
        if len(cells) < nf:
            cells = list(cells) + [""] * (nf - len(cells))
        for k, v in enumerate(row[nf:] if len(row) > nf else (), start=nf):
            if v not in ("", None):
                extra.append((r + 1, k, v))
        data_rows.append(cells)
        row_numbers.append(r + 1)
    data_columns = [list(c) for c in zip(*data_rows, strict=True)] if data_rows else [[] for _ in range(nf)]
    return row_numbers, data_columns, extra


def _unit_rows(
    form: FormSpec, records: Sequence[dict[str, Any]], table: Table, unit_code: str | None
) -> Iterable[Problem]:
    """An enterprise reporting for itself (unit code = its credit code) may only fill its own row."""
    from .creditcode import is_valid

    if form.level != "enterprise" or not form.key or not unit_code or not is_valid(unit_code):
        return []
    f = form.field(form.key)
    keys = records.columns[f.code] if isinstance(records, Records) else [rec[f.code] for rec in records]
    return [
        make_problem(
            "unit.row_mismatch",
            file=table.file,
            sheet=table.sheet,
            row=table.rows[i],
            column=(table.letters or {}).get(f.code),
            field=f.code,
            label=f.label,
            value=value,
            detail_zh=f"填报单位为 {unit_code}",
            detail_en=f"the reporting unit is {unit_code}",
        )
        for i, value in enumerate(keys)
        if value is not None and value != unit_code
    ]


def _column_index(letter: str) -> int:
    n = 0
    for ch in letter:
        n = n * 26 + (ord(ch) - 64)
    return n - 1
