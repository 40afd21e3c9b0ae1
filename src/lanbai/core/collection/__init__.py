"""Statistical direct reporting (一套表联网直报), pure core: report forms as data, Excel templates,
reading xlsx / csv / JSON records through one validation engine, GB 32100 credit codes.

Public API (stable; the Django app ``lanbai.collection`` builds on it)::

    load_forms(directory) -> dict[str, FormSpec]
    write_template(form, *, period, unit_code, unit_name, rows=None, blank_rows=None) -> bytes
    read_workbook(data, *, filename, forms, expected_form=None, expected_period=None,
                  expected_unit=None, max_bytes=20_000_000, while_reading=None) -> ParsedFile
    text_column(values) / json_objects(columns, rows=None)   (stored text and JSON, .stored)
    read_csv(data, *, filename, form, period, unit_code) -> ParsedFile
    parse_records(form, records, *, source) -> ParsedFile
    validate_records(form, records, *, source) -> list[Problem]
    check_ytd(form, current_rows, previous_rows, *, source="", current_period=None,
              previous_period=None) -> list[Problem]
    check_yoy(form, current_rows, last_year_rows, *, source="", current_period=None,
              last_year_period=None) -> list[Problem]       (同比, soft by default)
    split_by_severity(problems) -> (hard, soft)
    period_info(spec, period, *, today, lock_days=None, deadline_days=None) -> PeriodInfo
    reporting_periods(spec, *, today, ...) -> list[PeriodInfo]
    neutralise(value) -> value
"""

from .calendar import PeriodInfo, period_info, reporting_periods
from .creditcode import check_character
from .creditcode import is_valid as is_valid_credit_code
from .csvio import read_csv
from .engine import ParsedFile, parse_records, validate_records
from .excel import neutralise, read_workbook, write_template
from .forms import (
    FieldSpec,
    FormError,
    FormSpec,
    ReportingSpec,
    RuleSpec,
    YoyRuleSpec,
    check_yoy,
    check_ytd,
    default_forms_dir,
    load_forms,
    yoy_breaks,
)
from .numbers import parse_number
from .problems import RULES, Problem, split_by_severity

__all__ = [
    "RULES",
    "FieldSpec",
    "FormError",
    "FormSpec",
    "ParsedFile",
    "PeriodInfo",
    "Problem",
    "ReportingSpec",
    "RuleSpec",
    "YoyRuleSpec",
    "check_character",
    "check_yoy",
    "check_ytd",
    "default_forms_dir",
    "is_valid_credit_code",
    "load_forms",
    "neutralise",
    "parse_number",
    "parse_records",
    "period_info",
    "read_csv",
    "read_workbook",
    "reporting_periods",
    "split_by_severity",
    "yoy_breaks",
    "validate_records",
    "write_template",
]
