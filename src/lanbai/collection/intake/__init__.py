"""The one import path behind every way in (xlsx, CSV, JSON API, web entry forms, CLI, demo).

:func:`import_records` is the entry; each step has its module:

1. :mod:`.receiving` stores the bytes exactly as received (hash, size, uploader, time) in its own
   committed transaction, *before* anything is parsed: nothing is lost even if parsing crashes;
2. :mod:`.parsing` parses with the pure engine (:mod:`lanbai.core.collection`) by channel;
3. :mod:`.checks` adds the checks that need the database (the unit exists and the user may report
   for it; every enterprise row names an enterprise registered in that zone; the period is not
   locked; no report is already under review; the year-to-date rule) — the only place they run;
4. :mod:`.storing` stores the whole file in ONE transaction — all or nothing;
5. :mod:`.tuning` and :mod:`.copy` keep 100,000-row files fast: no cyclic GC during an import, the
   zone's registry prefetched while calamine parses, the stored JSON made by a worker thread,
   PostgreSQL ``COPY`` with ids reserved from the sequences.

Policies:

* the same bytes as an earlier *accepted* upload → outcome ``duplicate``, nothing changes (checked
  after the user's right to report for the file's unit: an out-of-scope user is refused as such);
* any problem → outcome ``refused``, the problems are kept on the :class:`Upload`, nothing else written;
* ``dry_run=True`` validates everything and reports, but stores only the raw upload (outcome
  ``validated``);
* values are stored as strings of decimals (floats normalised), integers as digits, booleans as
  ``"1"`` / ``"0"`` (so a count of 高新技术企业 is a sum), dates as ISO text, categories as their code;
* enterprise files take the bulk path (:func:`.storing.bulk_store`); a zone's report, or an
  enterprise's own (one row naming itself), is one versioned save.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lanbai.common.bulk import cyclic_gc_paused
from lanbai.common.exceptions import ApplicationError
from lanbai.core.collection import split_by_severity
from lanbai.core.periods import Quarter

from ..choices import UploadOutcome
from ..models import Upload
from . import checks, parsing, storing, tuning
from .receiving import earlier_accepted, upload_receive
from .results import ImportResult, app_problem, finish, problems_table, refuse

__all__ = ["ImportResult", "import_records", "problems_table"]


def import_records(
    *,
    user,
    filename: str,
    content: bytes,
    channel: str | None = None,
    records: list[dict] | None = None,
    expected_form: str | None = None,
    expected_period: Quarter | str | None = None,
    expected_unit: str | None = None,
    dry_run: bool = False,
    submit: bool = False,
    reason: str = "",
    simulated: bool = False,
    now: dt.datetime | None = None,
    expected_lock_version: int | None = None,
    explanations: dict[str, str] | None = None,
) -> ImportResult:
    """Receive ``content`` (committed at once), then parse, check and store it (all or nothing).

    ``channel`` defaults from the file name (``.csv``, ``.json`` → api, else xlsx); CSV, API and web
    input need ``expected_form``, ``expected_period`` and ``expected_unit`` (a unit code), and JSON
    or web input passes its already decoded ``records``.  ``expected_lock_version`` (a single
    report: the lock_version the editor saw) makes a stale save a :class:`ConflictError`.
    ``submit=True`` also submits (上报) every stored report in the same transaction; a soft-rule
    warning then needs its explanation in ``explanations`` (rule code -> text).  A file that breaks
    only soft rules (核实性审核) is accepted; its warnings are in ``result.warnings`` and kept on the
    new versions.  ``now`` is the
    time the import is deemed to happen (the simulator replays past quarters).  A user outside the
    unit's scope gets :class:`PermissionDeniedError` after the upload is marked refused; a conflict
    or a workflow rule met while storing marks it refused and is raised.
    """
    upload = upload_receive(user=user, filename=filename, content=content, channel=channel)
    period = str(expected_period) if isinstance(expected_period, Quarter) else expected_period
    return _import(
        user=user,
        upload=upload,
        records=records,
        expected_form=expected_form,
        expected_period=period,
        expected_unit=expected_unit,
        dry_run=dry_run,
        submit=submit,
        reason=reason,
        simulated=simulated,
        now=now,
        expected_lock_version=expected_lock_version,
        explanations=explanations,
    )


@cyclic_gc_paused
def _import(
    *,
    user,
    upload: Upload,
    records,
    expected_form,
    expected_period,
    expected_unit,
    dry_run,
    submit,
    reason,
    simulated,
    now,
    expected_lock_version,
    explanations,
) -> ImportResult:
    result = ImportResult(upload=upload, outcome=upload.outcome)
    parsed = parsing.parse(
        upload,
        records=records,
        expected_form=expected_form,
        expected_period=expected_period,
        expected_unit=expected_unit,
        while_reading=checks.zone_prefetch if upload.size > tuning.PREFETCH_BYTES else None,
    )
    result.form_code, result.period = parsed.form_code, parsed.period
    result.problems = list(parsed.problems)
    name, sheet = upload.filename, parsed.sheet
    form = parsing.forms().get(parsed.form_code or "")
    if form is None or parsed.period is None or not parsed.unit_code:
        return refuse(result) if result.problems else refuse(result, app_problem("input.missing", file=name))

    try:
        unit = checks.reporting_unit(
            result, user=user, form=form, unit_code=parsed.unit_code, period=parsed.period, now=now
        )
    except ApplicationError:
        refuse(result)
        raise
    # the duplicate check runs only once the user's right is checked: an out-of-scope user re-sending
    # another zone's exact file learns nothing about it (permission refusal, not "already imported")
    earlier = earlier_accepted(upload) if unit is not None else None
    if earlier is not None:
        when = timezone.localtime(earlier.uploaded_at).strftime("%Y-%m-%d %H:%M")
        result.form_code, result.period, result.problems = earlier.form_code, earlier.period, []
        return finish(
            result,
            outcome=UploadOutcome.DUPLICATE,
            message=f"该文件已于 {when} 导入，未作任何更改 / already imported on {when}; nothing changed",
        )
    if unit is None:
        return refuse(result)
    own = checks.reports_own(form, unit)
    cols = parsing.columns_of(parsed, form)
    prefetch = parsed.prefetched if isinstance(parsed.prefetched, checks.ZonePrefetch) else None
    n = len(parsed.records)
    result.rows = n
    # the stored JSON of every row is made by a worker thread while the checks and the first COPY
    # wait on the database (see tuning.JsonRows); cancelled if the file is refused
    json_rows = (
        tuning.JsonRows({c: cols[c] for c in form.field_codes}, n)
        if form.level == "enterprise" and not own and not result.problems and not dry_run
        else None
    )
    try:
        if form.level == "zone":
            targets = [unit.id]
        elif own:
            targets = checks.own_enterprise_unit(result, form, cols, parsed.row_numbers, unit=unit)
        else:  # checked even when the engine found problems: every problem of the file at once
            targets = checks.enterprise_units(
                result,
                form,
                cols,
                parsed.row_numbers,
                zone=unit,
                sheet=sheet,
                known=prefetch.registry if prefetch is not None else None,
            )
        stored: dict[int, tuple[int, str]] = {}
        if not result.problems:
            stored = checks.stored_reports(form, parsed.period, unit, targets, prefetch=prefetch)
            checks.under_review(result, targets, stored, row_numbers=parsed.row_numbers, sheet=sheet)
            # a flow may not fall within a year: compare with the stored previous quarter
            result.problems += checks.ytd_problems_for_columns(
                form=form,
                unit_ids=targets,
                columns=cols,
                period=parsed.period,
                source=name,
                sheet=sheet,
                row_numbers=parsed.row_numbers,
                zone=unit if form.level == "enterprise" and not own else None,
                prefetch=prefetch,
            )
            # 同比 (soft by default): compare with the stored same quarter last year
            result.problems += checks.yoy_problems_for_columns(
                form=form,
                unit_ids=targets,
                columns=cols,
                period=parsed.period,
                source=name,
                sheet=sheet,
                row_numbers=parsed.row_numbers,
                zone=unit if form.level == "enterprise" and not own else None,
                prefetch=prefetch,
            )
        # 强制性审核 refuses the file; 核实性审核 (soft) alone lets it in as a draft, explained at 上报
        hard, soft = split_by_severity(result.problems)
        if hard:
            return refuse(result)
        result.problems, result.warnings = [], soft  # kept on the versions, not on the accepted upload
        warned = (
            f"；核实性审核提示 {len(soft)} 条，上报时须说明原因 / {len(soft)} soft-rule warning(s) to explain"
            if soft
            else ""
        )
        if dry_run:
            return finish(
                result,
                outcome=UploadOutcome.VALIDATED,
                message=f"校验通过（试运行，未保存数据）：{n} 行 / valid (dry run, nothing stored): {n} row(s)"
                + warned,
            )
        row_unit = dict(zip(parsed.row_numbers, targets, strict=False)) if form.level == "enterprise" else {}
        warnings = [
            (row_unit.get(p.row, unit.id) if row_unit and p.row is not None else unit.id, p) for p in soft
        ]

        columns = {c: cols[c] for c in form.field_codes}
        period = parsed.period  # (a str: a file without a period was refused above)
        del cols, parsed
        try:
            result.submissions, result.unchanged = storing.store(
                user=user,
                form=form,
                period=period,
                unit=unit,
                targets=targets,
                columns=columns,
                stored_ids=[sid for sid, _ in stored.values()],
                json_rows=json_rows,
                upload=upload,
                reason=reason or f"导入 {name}",
                simulated=simulated,
                submit=submit,
                now=now,
                expected_lock_version=expected_lock_version,
                warnings=warnings,
                explanations=explanations,
            )
        except ApplicationError as exc:  # a conflict or a rule of the workflow: the upload says why
            finish(result, outcome=UploadOutcome.REFUSED, message=exc.message)
            raise
        return finish(
            result,
            outcome=UploadOutcome.ACCEPTED,
            message=(
                f"已导入 {unit.name} {result.period} {form.name}：{n} 行，新版本 {result.submissions} 份，"
                f"未变 {result.unchanged} 份 / imported {n} row(s): {result.submissions} new "
                f"version(s), {result.unchanged} unchanged"
            )
            + warned,
        )
    finally:
        if json_rows is not None:
            json_rows.close()
