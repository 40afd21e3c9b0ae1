"""The staff page of a survey year: strata, response rates, estimates with SE and 95 % CI."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lanbai.access.policy import Action, require

from . import selectors, services


def _fmt(v: float | None, unit: str) -> str:
    """Percent with one decimal, amounts with thousands separators and one decimal (no exponents)."""
    if v is None:
        return "—"
    return f"{100 * v:.1f}%" if unit == "%" else f"{v:,.1f}"


def _shown(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        r
        | {
            "value_s": _fmt(r["value"], r["unit"]),
            "se_s": _fmt(r["se"], r["unit"]),
            "ci_s": f"{_fmt(r['ci_low'], r['unit'])} – {_fmt(r['ci_high'], r['unit'])}",
            "unit_s": "" if r["unit"] == "%" else r["unit"],
        }
        for r in rows
    ]


@login_required
def survey_index(request):
    """创新调查: the questionnaires this user fills and, for staff, the survey years."""
    from lanbai.access.policy import can

    staff = can(request.user, Action.READ_UNPUBLISHED)
    return render(
        request,
        "survey/index.html",
        {"units": selectors.units_to_answer(request.user), "years": selectors.round_years() if staff else [],
         "staff": staff},
    )


@login_required
def survey_year(request, year: int):
    require(request.user, Action.READ_UNPUBLISHED, message="仅工作人员可查看创新调查 / staff only")
    rnd = selectors.round_find(year)
    status = estimates = None
    if rnd is not None:
        status = selectors.round_status(request.user, year)
        for s in status["strata"]:
            s["rate_s"] = _fmt(s["response_rate"], "%")
        status["rate_s"] = _fmt(status["response_rate"], "%")
        estimates = selectors.round_estimates(request.user, year)
        estimates["rows"] = _shown(estimates["indicators"])
    return render(
        request,
        "survey/year.html",
        {
            "year": year,
            "status": status,
            "estimates": estimates,
            "years": selectors.round_years(),
            "missing": selectors.non_respondents(request.user, year) if rnd is not None else [],
        },
    )


# --- the enterprise's questionnaire: on the web and in Excel; 催报 ---------------------------------------


def _unit_for(user, year: int, credit_code: str):
    """The sample unit, only for those who may answer for the enterprise (404 for everyone else)."""
    from lanbai.access.policy import can

    unit = selectors.unit_get(year, credit_code)
    if not can(user, Action.ANSWER_SURVEY, unit.enterprise):
        raise Http404
    return unit


def _form_rows(qn, answers: dict[str, Any], errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Sections with their questions as the form shows them: current value, errors, skip state."""
    texts = {q.id: q.text for q in qn.questions}
    sections: dict[str, dict[str, Any]] = {}
    for sid, title in qn.sections:
        sections[sid] = {"id": sid, "title": title, "questions": []}
    asked_on: dict[str, Any] = {}
    for q in qn.questions:
        value = answers.get(q.id)
        skip_note = ""
        asked = True
        if q.when is not None:
            dep, want = q.when
            shown = ("是" if want else "否") if isinstance(want, bool) else str(want)
            skip_note = f"{texts.get(dep, dep)}：{shown}"
            asked = asked_on.get(dep) == want and asked_on.get(f"{dep}__asked", True)
        asked_on[q.id] = value
        asked_on[f"{q.id}__asked"] = asked
        current: str | list[Any]
        if q.type == "yes_no":
            current = {True: "1", False: "0"}.get(value, "") if isinstance(value, bool) else str(value or "")
        elif q.type == "multi_choice":
            current = list(value or [])
        else:
            current = "" if value is None else str(value)
        sections[q.section]["questions"].append(
            {
                "q": q,
                "value": current,
                "value_s": (f"{value:g}" if isinstance(value, float) else current) if q.type == "amount" else current,
                "errors": errors.get(q.id, []),
                "when": skip_note,
                "skipped": q.when is not None and not asked,
            }
        )
    return list(sections.values())


def _posted_answers(qn, post) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for q in qn.questions:
        if q.type == "multi_choice":
            vals = post.getlist(q.id)
            if vals:
                raw[q.id] = vals
            continue
        v = (post.get(q.id) or "").strip()
        if v:
            raw[q.id] = v.replace(",", "") if q.type == "amount" else v
    return raw


def _answer_page(request, unit, *, answers=None, errors=None, message="", status=200):
    resp = selectors.response_of(unit)
    qn = selectors.questionnaire()
    shown = answers if answers is not None else (resp.answers if resp else {})
    return render(
        request,
        "survey/answer.html",
        {
            "unit": unit,
            "year": unit.round.year,
            "qn": qn,
            "sections": _form_rows(qn, shown, errors or {}),
            "response": resp,
            "submitted": resp is not None and resp.state == "submitted",
            "message": message,
            "upload_errors": (errors or {}).get("__file__", []),
        },
        status=status,
    )


def _convert(qn, raw: dict[str, Any]) -> dict[str, Any]:
    """Posted text back to typed answers where the text is valid (to show the form as it was sent)."""
    out: dict[str, Any] = {}
    for q in qn.questions:
        if q.id not in raw:
            continue
        v = raw[q.id]
        if q.type == "yes_no":
            out[q.id] = {"1": True, "0": False}.get(v, v)
        elif q.type == "amount":
            try:
                out[q.id] = float(v)
            except ValueError:
                out[q.id] = v
        else:
            out[q.id] = v
    return out


@login_required
def answer(request, year: int, credit_code: str):
    """填写问卷: the questionnaire of one sampled enterprise — 暂存 (draft) or 提交 (submit)."""
    from lanbai.common.exceptions import ConflictError, ValidationFailed
    from lanbai.core.survey.questionnaire import prune_skipped

    unit = _unit_for(request.user, year, credit_code)
    if request.method != "POST":
        return _answer_page(request, unit)
    qn = selectors.questionnaire()
    raw = prune_skipped(qn, _posted_answers(qn, request.POST))
    submit = request.POST.get("action") == "submit"
    try:
        services.response_save(request.user, unit, raw, submit=submit)
    except ValidationFailed as exc:
        errors = exc.extra.get("by_question") or {}
        return _answer_page(
            request,
            unit,
            answers=_convert(qn, raw),
            errors=errors,
            message=_("问卷有 %(n)d 处需要修改，见各题下方的说明。") % {"n": sum(len(v) for v in errors.values())},
            status=400,
        )
    except ConflictError as exc:
        return _answer_page(request, unit, message=exc.message, status=409)
    messages.success(request, _("问卷已提交") if submit else _("问卷已暂存"))
    return redirect("survey:answer", year=year, credit_code=credit_code)


@login_required
def answer_xlsx(request, year: int, credit_code: str):
    """下载问卷 (Excel): the questionnaire sheet of the unit, prefilled with its saved answers."""
    from lanbai.core.survey.sheet import questionnaire_workbook

    unit = _unit_for(request.user, year, credit_code)
    resp = selectors.response_of(unit)
    body = questionnaire_workbook(
        selectors.questionnaire(),
        year=year,
        credit_code=unit.credit_code,
        name=unit.enterprise.name,
        answers=resp.answers if resp else {},
    )
    out = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    out["Content-Disposition"] = f'attachment; filename="survey-{year}-{unit.credit_code}.xlsx"'
    return out


@login_required
@require_POST
def answer_upload(request, year: int, credit_code: str):
    """上传问卷 (Excel): all answers of the file saved as draft or submitted, or nothing and every problem."""
    from lanbai.common.exceptions import ConflictError, ValidationFailed

    unit = _unit_for(request.user, year, credit_code)
    f = request.FILES.get("file")
    if f is None:
        return _answer_page(request, unit, errors={"__file__": [_("请选择问卷文件（.xlsx）")]}, status=400)
    try:
        services.response_import_xlsx(request.user, unit, f.read(), submit=request.POST.get("submit") == "1")
    except ValidationFailed as exc:
        return _answer_page(request, unit, errors={"__file__": exc.extra.get("problems") or [exc.message]}, status=400)
    except ConflictError as exc:
        return _answer_page(request, unit, errors={"__file__": [exc.message]}, status=409)
    messages.success(request, _("问卷文件已导入"))
    return redirect("survey:answer", year=year, credit_code=credit_code)


@login_required
@require_POST
def remind(request, year: int, credit_code: str):
    """催报: remind a sampled enterprise that has not submitted (省创新办, the zone's 审核员)."""
    from lanbai.common.exceptions import ConflictError, PermissionDeniedError

    require(request.user, Action.READ_UNPUBLISHED, message="仅工作人员可催报 / staff only")
    unit = selectors.unit_get(year, credit_code)
    try:
        notices = services.survey_remind(request.user, unit)
    except PermissionDeniedError as exc:
        return HttpResponseForbidden(exc.message)
    except ConflictError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("已催报 %(unit)s（通知 %(n)d 人）") % {"unit": unit.enterprise.name, "n": len(notices)}
        )
    return redirect("survey:year", year=year)
