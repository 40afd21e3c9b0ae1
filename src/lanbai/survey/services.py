"""Writes of the innovation survey: drawing a round's sample, saving and submitting an enterprise's answers.

Every write: one transaction, the access check first, one audit event.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from lanbai.access.policy import Action, can, require
from lanbai.common.audit import audit, audit_events_bulk
from lanbai.common.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from lanbai.core.survey.design import design_from_data, select_sample
from lanbai.core.survey.questionnaire import QuestionnaireError, validate_answers

from . import selectors
from .models import Response, ResponseState, SampleUnit, SurveyRound

FIRST_YEAR, LAST_YEAR = 2015, 2030


@transaction.atomic
def survey_round_draw(
    user: Any, year: int, *, plan_dir: str | Path | None = None, simulated: bool = False
) -> SurveyRound:
    """Draw the sample of ``year`` from the frame (省创新办) with the plan's design and store its units.

    Drawing again replaces the sample (same seed and frame: the same sample); a round that already has
    responses is refused, so no answer loses its sample unit.
    """
    require(user, Action.MANAGE_SURVEY, message="仅省创新办可抽取创新调查样本 / province only")
    if not FIRST_YEAR <= int(year) <= LAST_YEAR:
        raise ValidationFailed(
            f"调查年度应在 {FIRST_YEAR}–{LAST_YEAR} 之间，收到 {year} / bad year", field="year"
        )
    year = int(year)
    old = selectors.round_find(year)
    if old is not None and selectors.round_has_responses(old):
        raise ConflictError(
            f"{year} 年调查已有答卷，不能重新抽样 / the {year} round has responses: not redrawn",
            extra={"field": "year"},
        )
    directory = selectors.plan_dir(plan_dir)
    path = directory / selectors.SURVEY_DIR / "design.yaml"
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
        design = design_from_data(data, year=year, source=path.name)
    except (OSError, ValueError) as exc:
        raise ValidationFailed(
            f"抽样设计有误 / invalid design: {exc}", field="design", extra={"file": path.name}
        ) from exc
    try:
        qn = selectors.questionnaire(directory)
    except (OSError, QuestionnaireError) as exc:
        raise ValidationFailed(f"调查问卷有误 / invalid questionnaire: {exc}", field="questionnaire") from exc
    frame = selectors.frame(year)
    if frame.empty:
        raise ValidationFailed(f"{year} 年没有可调查的企业 / no enterprise in the {year} frame", field="year")
    drawn = select_sample(frame, design=design)
    chosen = drawn[drawn["selected"]]
    document = {
        "census_min_employees": design.census_min_employees,
        "sampling_fraction": design.sampling_fraction,
        "min_per_stratum": design.min_per_stratum,
        "size_bands": list(design.size_bands),
        "seed": design.seed,
        "source_file": path.name,
        "no_employees": int((~frame["has_employees"]).sum()),
    }
    if old is not None:
        old.delete()
    r = SurveyRound.objects.create(
        year=year,
        design=document,
        questionnaire_version=qn.id,
        seed=design.seed,
        is_simulated=simulated,
        frame_size=len(frame),
        drawn_at=timezone.now(),
        drawn_by=user if getattr(user, "is_authenticated", False) else None,
    )
    SampleUnit.objects.bulk_create(
        [
            SampleUnit(
                round=r,
                enterprise_id=int(row["unit"]),
                zone_id=int(row["zone_id"]),
                stratum=str(row["stratum"]),
                employees=int(row["employees"]),
                population=int(row["N_h"]),
                sample_size=int(row["n_h"]),
                inclusion_probability=float(row["pi"]),
                take_all=str(row["stratum"]).endswith("|census"),
            )
            for row in chosen.to_dict("records")
        ]
    )
    audit(
        user,
        "survey_round_draw",
        r,
        field="sample",
        old=old.pk if old is not None else None,
        new={"frame": len(frame), "sample": len(chosen), "seed": design.seed},
    )
    return r


@transaction.atomic
def response_save(
    user: Any,
    unit: SampleUnit,
    answers: dict[str, Any],
    *,
    submit: bool = False,
    plan_dir: str | Path | None = None,
) -> Response:
    """Save a sampled enterprise's answers (the enterprise itself, its zone's staff or 省创新办).

    The answers are validated by the questionnaire; ``submit`` needs every asked required question
    answered (a draft may be partial).  Errors name the question ids."""
    require(user, Action.ANSWER_SURVEY, unit.enterprise, message=ANSWER_DENIED)
    cleaned = _cleaned(selectors.questionnaire(plan_dir), answers, submit=submit)
    resp = selectors.response_of(unit)
    if resp is not None and resp.state == ResponseState.SUBMITTED and not submit:
        raise ConflictError(
            "答卷已提交，不能改回草稿 / a submitted response stays submitted", extra={"field": "state"}
        )
    old = dict(resp.answers) if resp is not None else None
    if resp is None:
        resp = Response(unit=unit)
    resp.answers = cleaned
    if submit:
        resp.state = ResponseState.SUBMITTED
        resp.submitted_at = timezone.now()
    resp.save()
    audit(
        user,
        "survey_response_submit" if submit else "survey_response_save",
        resp,
        field="answers",
        old=sorted(old) if old is not None else None,
        new=sorted(cleaned),
    )
    return resp


ANSWER_DENIED = "仅该企业、所在园区工作人员或省创新办可填写 / the enterprise, its zone's staff or the province"


def _cleaned(qn, answers: Any, *, submit: bool) -> dict[str, Any]:
    """The answers as the questionnaire validates them (a submission complete); errors name the question ids."""
    if not isinstance(answers, dict):
        raise ValidationFailed("答卷应为 问题编号→答案 / answers: question id -> answer", field="answers")
    try:
        return validate_answers(qn, answers, complete=submit)
    except QuestionnaireError as exc:
        raise ValidationFailed(
            f"答卷有误 / invalid answers: {exc}",
            field="answers",
            extra={"problems": exc.problems, "by_question": exc.by_question},
        ) from exc


@transaction.atomic
def responses_create_bulk(
    user: Any, entries: list[tuple[SampleUnit, dict[str, Any], bool]], *, plan_dir: str | Path | None = None
) -> int:
    """First responses of many sampled enterprises at once — (unit, answers, submit) each, checked and
    validated as :func:`response_save` does, written in one insert with their audit events.  A unit
    that already has a response is refused (save it with :func:`response_save`); nothing is written
    unless every entry is valid.  Returns how many were written."""
    qn = selectors.questionnaire(plan_dir)
    have = set(Response.objects.filter(unit__in=[u.pk for u, _, _ in entries]).values_list("unit_id", flat=True))
    if have:
        raise ConflictError(f"已有答卷的样本企业 {len(have)} 家，请逐一保存 / units already answered", extra={"field": "unit"})
    now = timezone.now()
    rows = []
    for unit, answers, submit in entries:
        require(user, Action.ANSWER_SURVEY, unit.enterprise, message=ANSWER_DENIED)
        rows.append(Response(unit=unit, answers=_cleaned(qn, answers, submit=submit),
                             state=ResponseState.SUBMITTED if submit else ResponseState.DRAFT,
                             submitted_at=now if submit else None))
    Response.objects.bulk_create(rows, batch_size=2000)
    for state, action in ((ResponseState.SUBMITTED, "survey_response_submit"),
                          (ResponseState.DRAFT, "survey_response_save")):
        audit_events_bulk(user, action, Response, ((r.pk, "answers", None, sorted(r.answers))
                                                   for r in rows if r.state == state))
    return len(rows)


def response_import_xlsx(
    user: Any, unit: SampleUnit, content: bytes, *, submit: bool = False, plan_dir: str | Path | None = None
) -> Response:
    """Save the answers of a filled questionnaire workbook (downloaded for this unit) as draft or submission.

    Every problem names the sheet, the row and the question; nothing is written unless all of it is valid
    (one transaction, through :func:`response_save`)."""
    from lanbai.core.survey.questionnaire import prune_skipped
    from lanbai.core.survey.sheet import SHEET, SheetError, read_questionnaire_workbook

    require(user, Action.ANSWER_SURVEY, unit.enterprise, message=ANSWER_DENIED)
    qn = selectors.questionnaire(plan_dir)
    try:
        raw, rows = read_questionnaire_workbook(
            qn, content, year=unit.round.year, credit_code=unit.credit_code
        )
    except SheetError as exc:
        raise ValidationFailed(
            f"问卷文件有误 / invalid workbook: {exc}", field="file", extra={"problems": exc.problems}
        ) from exc
    try:
        validate_answers(qn, raw, complete=submit)
    except QuestionnaireError as exc:
        problems = [
            f"工作表“{SHEET}”第 {rows.get(qid, '?')} 行（题号 {qid}，{_text(qn, qid)}）：{msg}"
            for qid, msgs in exc.by_question.items()
            for msg in msgs
        ]
        raise ValidationFailed(
            "问卷文件有误 / invalid workbook: " + "；".join(problems), field="file", extra={"problems": problems}
        ) from exc
    return response_save(user, unit, prune_skipped(qn, raw), submit=submit, plan_dir=plan_dir)


def _text(qn: Any, qid: str) -> str:
    try:
        return str(qn.question(qid).text)
    except KeyError:
        return ""


REMINDER_FORM = "创新调查"


@transaction.atomic
def survey_remind(user: Any, unit: SampleUnit, *, message: str = "") -> list:
    """催报 for the survey: remind a sampled enterprise that has not submitted its questionnaire — a notice on
    the 工作台 of its 企业填报员 and its zone's 填报员 (the collection's notices), one audit event.

    省创新办 reminds any unit, a zone's 审核员 the units of their zone (as the report forms' 催报)."""
    from lanbai.collection.services import survey_notice_send

    if not (can(user, Action.MANAGE_SURVEY) or can(user, Action.REVIEW, unit.zone)):
        raise PermissionDeniedError("无权催报该样本企业 / not allowed to remind this sample unit")
    resp = selectors.response_of(unit)
    if resp is not None and resp.state == ResponseState.SUBMITTED:
        raise ConflictError("该企业已提交问卷，无需催报 / already submitted", extra={"field": "unit"})
    year = unit.round.year
    text = message.strip() or (
        f"请尽快填写并提交 {year} 年企业创新调查问卷（{unit.enterprise.name}）。"
        f" / Please fill in and submit the {year} innovation survey questionnaire."
    )
    notices = survey_notice_send(
        user=user, unit=unit.enterprise, form_code=REMINDER_FORM, period=str(year), message=text
    )
    audit(
        user,
        "survey_remind",
        unit,
        field="reminder",
        new=", ".join(n.recipient.username for n in notices) or "（无填报员）",
        reason=text,
    )
    return notices
