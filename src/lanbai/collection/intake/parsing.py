"""Parsing: the form registry and the per-channel parse with the pure engine (:mod:`lanbai.core.collection`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from lanbai.common.exceptions import ApplicationError
from lanbai.core.collection import FormSpec, ParsedFile, parse_records, read_csv, read_workbook

from ..choices import Channel
from ..models import Upload
from .receiving import MAX_UPLOAD_BYTES
from .results import app_problem


@lru_cache(maxsize=1)
def forms() -> dict[str, FormSpec]:
    """The shipped report forms (plans/<plan>/forms/*.yaml), by 表号."""
    from lanbai.core.collection import default_forms_dir, load_forms

    return load_forms(default_forms_dir())


def form_by_code(code: str) -> FormSpec:
    try:
        return forms()[code]
    except KeyError:
        raise ApplicationError(
            f"未知的表号 {code} / unknown form {code}", extra={"known": list(forms())}
        ) from None


def parse(
    upload: Upload,
    *,
    records: list[dict] | None,
    expected_form: str | None,
    expected_period: str | None,
    expected_unit: str | None,
    while_reading: Callable[[ParsedFile], Any] | None = None,
) -> ParsedFile:
    """The upload parsed by its channel: CSV and JSON/web records need form, period and unit given;
    a workbook names them itself (checked against the expected ones).  ``while_reading`` runs while
    calamine parses a workbook's sheet (its result lands in ``ParsedFile.prefetched``)."""
    data, name = bytes(upload.content), upload.filename
    if upload.channel in (Channel.CSV, Channel.API, Channel.WEB):
        if not (expected_form and expected_period and expected_unit):
            return ParsedFile(
                name,
                expected_form,
                None,
                expected_period,
                expected_unit,
                problems=[
                    app_problem(
                        "input.missing",
                        file=name,
                        detail_zh="CSV 和接口数据须指明表号、报告期和单位",
                        detail_en="CSV and JSON need the form, the period and the unit",
                    )
                ],
            )
        form = form_by_code(expected_form)
        if upload.channel == Channel.CSV:
            return read_csv(
                data,
                filename=name,
                form=form,
                period=expected_period,
                unit_code=expected_unit,
                max_bytes=MAX_UPLOAD_BYTES,
            )
        if records is None:
            try:
                records = json.loads(data.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as exc:
                raise ApplicationError(f"JSON 无法解析 / invalid JSON: {exc}") from exc
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise ApplicationError("records 应为对象列表 / records must be a list of objects")
        parsed = parse_records(form, records, source=name)
        parsed.period, parsed.unit_code = expected_period, expected_unit
        return parsed
    return read_workbook(
        data,
        filename=name,
        forms=forms(),
        expected_form=expected_form,
        expected_period=expected_period,
        expected_unit=expected_unit,
        max_bytes=MAX_UPLOAD_BYTES,
        while_reading=while_reading,
    )


def columns_of(parsed: ParsedFile, form: FormSpec) -> dict[str, list[Any]]:
    """The parsed values by field (a workbook's records already are columns)."""
    recs = parsed.records
    if hasattr(recs, "columns"):
        return recs.columns
    return {c: [r.get(c) for r in recs] for c in form.field_codes}
