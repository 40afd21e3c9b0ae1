"""Problems found in a report file or a set of records, and the catalogue of rule codes.

Every refusal carries a stable rule code (``file.not_xlsx``, ``number.unit_suffix`` …) listed in
:data:`RULES`, with a Chinese message first (what a civil servant reads) and an English one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

# rule code -> (short Chinese description, short English description).  The catalogue is the
# contract with the apps and the docs (docs/collection.md lists it); tests assert codes, not text.
RULES: dict[str, tuple[str, str]] = {
    # the file as a whole
    "file.empty": ("文件为空", "the file is empty"),
    "file.too_large": ("文件超过大小限制", "the file is over the size limit"),
    "file.not_xlsx": ("文件不是有效的 xlsx 工作簿", "the file is not a valid xlsx workbook"),
    "file.encoding": ("文件编码无法识别", "the file's text encoding is not recognised"),
    "file.no_data": ("文件中没有数据行", "the file has no data rows"),
    "template.unrecognised": ("不是本平台下载的报表模板", "not a template downloaded from this platform"),
    "template.old_version": ("使用了旧版本的报表模板", "a template of an older version"),
    "template.unknown_version": ("模板版本高于当前版本", "a template version newer than the form"),
    "form.unknown": ("未知的表号", "unknown form code"),
    "form.wrong": ("报表与要求的表号不符", "not the form expected"),
    "unit.wrong": ("填报单位与要求的单位不符", "not the reporting unit expected"),
    "unit.row_mismatch": (
        "数据行的统一社会信用代码与填报单位不符",
        "a row's credit code is not the reporting unit",
    ),
    "period.wrong": ("报告期与要求的报告期不符", "not the period expected"),
    "period.invalid": ("报告期格式错误", "the period is malformed"),
    "sheet.renamed": ("工作表名称被修改或缺失", "the sheet was renamed or is missing"),
    "layout.columns_changed": ("数据列被增删或移动", "data columns were added, removed or moved"),
    "layout.merged_cells": ("数据区域存在合并单元格", "merged cells in the data area"),
    "layout.unknown_column": ("无法识别的列", "an unrecognised column"),
    "layout.missing_column": ("缺少必需的列", "a required column is missing"),
    "rows.too_many": ("数据行过多（本表只填一行）", "too many data rows (this form has one row)"),
    "rows.duplicate": ("同一企业重复填报", "the same enterprise appears twice"),
    "cell.formula": ("单元格含公式，应填写数值", "a formula instead of a value"),
    # values
    "value.required": ("必填项未填写", "a required value is missing"),
    "value.below_min": ("数值低于下限", "the value is below the minimum"),
    "value.above_max": ("数值超过上限", "the value is above the maximum"),
    "value.not_text": ("应为文本", "a text value was expected"),
    "value.too_long": ("文本过长", "the text is too long"),
    "number.invalid": ("不是有效的数字", "not a number"),
    "number.too_large": (
        "数字过大或位数过多（绝对值须小于 10^15，共至多 20 位数字）",
        "the number is too large or has too many digits (below 10^15 in absolute value, at most 20 digits)",
    ),
    "number.percent": ("数字带有百分号，但该项单位不是%", "a percent sign where the unit is not %"),
    "number.unit_suffix": ("数字后带有单位，请按表头单位只填数字", "a unit after the number"),
    "number.approximate": ("数字带有“约/左右”等估计字样", "an approximate number (约, 左右 …)"),
    "number.placeholder": ("用占位符代替数值，缺失请留空", "a placeholder instead of a value; leave empty"),
    "number.thousands": ("千位分隔符位置错误", "misplaced thousands separators"),
    "number.not_integer": ("应为整数", "an integer was expected"),
    "choice.invalid": ("不在可选范围内", "not one of the allowed values"),
    "choice.inconsistent": ("与另一项的选择不一致", "inconsistent with another choice"),
    "bool.invalid": ("应填“是”或“否”", "yes/no (是/否) was expected"),
    "date.invalid": ("不是有效的日期", "not a valid date"),
    "credit_code.format": ("统一社会信用代码格式错误", "malformed unified social credit code"),
    "credit_code.check": ("统一社会信用代码校验位错误", "wrong check character of the credit code"),
    "credit_code.numeric_cell": ("统一社会信用代码被存为数字", "the credit code was stored as a number"),
    "rule.cross_field": ("表内逻辑关系不成立", "a cross-field rule is broken"),
    "ytd.flow_decreased": ("累计值小于上期累计值", "a year-to-date flow fell below the previous quarter"),
    "yoy.change": (
        "与上年同期相比变化过大（核实性审核，上报时须说明原因）",
        "a large change on the same quarter last year (a soft rule: explain it when submitting)",
    ),
    "problems.truncated": ("问题过多，仅列出前一部分", "too many problems; the rest are not listed"),
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem of a file or a record.

    ``row`` is the Excel/CSV row number (1-based, as the user sees it) or the 1-based record number
    for JSON/web input; ``column`` the Excel column letter (None for JSON/web and file-level
    problems); ``field`` the form field code.  ``value`` is the offending value as read (a string).
    """

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    field: str | None
    rule: str
    value: str | None
    message_zh: str
    message_en: str
    # 强制性审核 (hard: the file is refused) or 核实性审核 (soft: accepted as a draft, 上报 needs an
    # explanation); rule_key names the form's rule (its ``code``), bound the limit that was broken
    severity: str = "hard"
    rule_key: str | None = None
    bound: str | None = None

    @property
    def soft(self) -> bool:
        return self.severity == "soft"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        return self.message_zh


def location_zh(file: str, sheet: str | None, row: int | None, column: str | None, label: str | None) -> str:
    """``文件 a.xlsx 工作表 X 第 7 行 D 列（营业收入）`` — the place as a reporter reads it."""
    parts = [f"文件 {file}"]
    if sheet:
        parts.append(f"工作表 {sheet}")
    if row is not None:
        parts.append(f"第 {row} 行" if column is not None or sheet else f"第 {row} 条记录")
    if column:
        parts.append(f"{column} 列")
    text = " ".join(parts)
    return f"{text}（{label}）" if label else text


def location_en(file: str, sheet: str | None, row: int | None, column: str | None, field: str | None) -> str:
    parts = [f"file {file}"]
    if sheet:
        parts.append(f"sheet {sheet}")
    if row is not None:
        parts.append(f"row {row}" if column is not None or sheet else f"record {row}")
    if column:
        parts.append(f"column {column}")
    text = ", ".join(parts)
    return f"{text} ({field})" if field else text


def make_problem(
    rule: str,
    *,
    file: str,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    field: str | None = None,
    label: str | None = None,
    value: Any = None,
    detail_zh: str = "",
    detail_en: str = "",
    rules: Mapping[str, tuple[str, str]] | None = None,
    severity: str = "hard",
    rule_key: str | None = None,
    bound: str | None = None,
) -> Problem:
    """Build a :class:`Problem` whose messages name the place, the rule and the offending value.

    ``rules`` maps rule codes to their (Chinese, English) wording; default: the engine's :data:`RULES`
    (an app passes its own table for the rules it checks against the database).
    """
    table = RULES if rules is None else rules
    if rule not in table:
        raise ValueError(f"unknown rule code {rule!r}")
    zh, en = table[rule]
    shown = None if value is None else str(value)
    where_zh = location_zh(file, sheet, row, column, label)
    where_en = location_en(file, sheet, row, column, field)
    val_zh = f"：值“{shown}”" if shown is not None else ""
    val_en = f": value {shown!r}" if shown is not None else ""
    msg_zh = f"{where_zh}{val_zh} — {zh}" + (f"；{detail_zh}" if detail_zh else "") + f" [{rule}]"
    msg_en = f"{where_en}{val_en} — {en}" + (f"; {detail_en}" if detail_en else "") + f" [{rule}]"
    return Problem(file, sheet, row, column, field, rule, shown, msg_zh, msg_en, severity, rule_key, bound)


def without_code(message: str, rule: str | None) -> str:
    """The message without its trailing `` [rule.code]`` (pages show the rule in words, in its own column)."""
    suffix = f" [{rule}]" if rule else ""
    return message[: -len(suffix)] if suffix and message.endswith(suffix) else message


def split_by_severity(problems: list[Problem]) -> tuple[list[Problem], list[Problem]]:
    """``(hard, soft)``: a file with any hard problem is refused; one with only soft ones is accepted."""
    hard = [p for p in problems if not p.soft]
    return hard, [p for p in problems if p.soft]
