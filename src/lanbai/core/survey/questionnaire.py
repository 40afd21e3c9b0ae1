"""The innovation survey questionnaire as data, and validation of one enterprise's answers (pure).

The questionnaire (``plans/<plan>/survey/questionnaire.yaml``) follows the Oslo Manual 2018: product and
business-process innovation, innovation activities and expenditure, cooperation, information sources,
obstacles, IP.  A question may carry ``when: {earlier_question: value}`` (skip logic): it is asked only when
that earlier answer equals the value; an answer to a skipped question is refused.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

QUESTION_TYPES = ("yes_no", "choice", "multi_choice", "amount", "scale")
_QUESTION_KEYS = {"id", "type", "text", "options", "when", "unit", "integer", "required"}
_SECTION_KEYS = {"id", "title", "questions"}
_TOP_KEYS = {"id", "title", "reference_period_years", "scale", "sections"}
SCALE_VALUES = (1, 2, 3, 4)


class QuestionnaireError(ValueError):
    """A questionnaire definition or a set of answers breaks a rule; ``problems`` lists every one."""

    def __init__(self, problems: list[str], by_question: dict[str, list[str]] | None = None) -> None:
        self.problems = problems
        # question id -> its messages, Chinese first ("应为数字 / a number is expected"), for forms and sheets
        self.by_question = by_question or {}
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: str
    section: str
    options: tuple[tuple[str, str], ...] = ()
    when: tuple[str, Any] | None = None
    unit: str = ""
    integer: bool = False
    required: bool = True


@dataclass(frozen=True)
class Questionnaire:
    id: str
    title: str
    sections: tuple[tuple[str, str], ...]
    questions: tuple[Question, ...]

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    def asked(self, q: Question, answers: Mapping[str, Any]) -> bool:
        """Whether ``q`` is asked given the (already validated) earlier ``answers`` (skip logic)."""
        if q.when is None:
            return True
        dep, value = q.when
        return self.asked(self.question(dep), answers) and answers.get(dep) == value


def parse_questionnaire(data: Mapping[str, Any], source: str = "questionnaire") -> Questionnaire:
    """Build a questionnaire from its parsed YAML; unknown keys and bad skip logic are refused by name."""
    problems: list[str] = []
    for k in sorted(set(data) - _TOP_KEYS):
        problems.append(f"{source}: unknown key {k!r}")
    sections: list[tuple[str, str]] = []
    questions: list[Question] = []
    seen: set[str] = set()
    for s in data.get("sections") or []:
        sid = str(s.get("id", ""))
        for k in sorted(set(s) - _SECTION_KEYS):
            problems.append(f"{source}: section {sid!r}: unknown key {k!r}")
        sections.append((sid, str(s.get("title", sid))))
        for raw in s.get("questions") or []:
            qid = str(raw.get("id", ""))
            where = f"{source}: question {qid!r}"
            for k in sorted(set(raw) - _QUESTION_KEYS):
                problems.append(f"{where}: unknown key {k!r}")
            if not qid:
                problems.append(f"{source}: section {sid!r}: a question has no id")
            if qid in seen:
                problems.append(f"{where}: id used twice")
            qtype = raw.get("type")
            if qtype not in QUESTION_TYPES:
                problems.append(f"{where}: type {qtype!r} is not one of {', '.join(QUESTION_TYPES)}")
            options = tuple((str(k), str(v)) for k, v in (raw.get("options") or {}).items())
            if qtype in ("choice", "multi_choice") and not options:
                problems.append(f"{where}: a {qtype} question lists its options")
            if qtype not in ("choice", "multi_choice") and options:
                problems.append(f"{where}: only choice questions have options")
            when = None
            if raw.get("when") is not None:
                w = raw["when"]
                if not isinstance(w, Mapping) or len(w) != 1:
                    problems.append(f"{where}: when names exactly one earlier question")
                else:
                    dep, value = next(iter(w.items()))
                    if dep not in seen:
                        problems.append(f"{where}: when refers to {dep!r}, not an earlier question")
                    when = (str(dep), value)
            seen.add(qid)
            questions.append(
                Question(
                    id=qid,
                    type=str(qtype),
                    text=str(raw.get("text", "")),
                    section=sid,
                    options=options,
                    when=when,
                    unit=str(raw.get("unit", "")),
                    integer=bool(raw.get("integer", False)),
                    required=bool(raw.get("required", True)),
                )
            )
    if problems:
        raise QuestionnaireError(problems)
    return Questionnaire(
        id=str(data.get("id", "")),
        title=str(data.get("title", "")),
        sections=tuple(sections),
        questions=tuple(questions),
    )


def load_questionnaire(path: Path) -> Questionnaire:
    """Read and parse a questionnaire YAML file."""
    with path.open(encoding="utf-8") as fh:
        return parse_questionnaire(yaml.safe_load(fh) or {}, source=path.name)


def _check_zh(q: Question, value: Any) -> tuple[Any, tuple[str, str] | None]:
    """The cleaned value of one answer, or the rule broken as (Chinese, English)."""
    if q.type == "yes_no":
        if isinstance(value, bool):
            return value, None
        if value in ("是", "yes", 1, "1"):
            return True, None
        if value in ("否", "no", 0, "0"):
            return False, None
        return None, ("请回答“是”或“否”", "answer 是 or 否 (yes/no)")
    keys = [k for k, _ in q.options]
    labels = "、".join(label for _, label in q.options)
    if q.type == "choice":
        if value in keys:
            return value, None
        return None, (f"请从选项中选择一项：{labels}", f"choose one of {', '.join(keys)}")
    if q.type == "multi_choice":
        vals = value if isinstance(value, list | tuple) else [value]
        bad = [str(v) for v in vals if v not in keys]
        if bad:
            return None, (
                f"{'、'.join(bad)} 不在选项中（{labels}）",
                f"{', '.join(bad)} not among the options {', '.join(keys)}",
            )
        return sorted(set(vals), key=keys.index), None
    if q.type == "scale":
        try:
            v = int(value)
        except (TypeError, ValueError):
            v = 0
        if v not in SCALE_VALUES or (isinstance(value, float) and value != v):
            return None, ("请选择 1、2、3 或 4", "a scale answer is 1, 2, 3 or 4")
        return v, None
    # amount
    if isinstance(value, bool):
        return None, ("应为数字", "a number is expected")
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None, ("应为数字", "a number is expected")
    if not math.isfinite(x) or x < 0:
        return None, (
            f"数额（{q.unit or '数值'}）不能为负数",
            f"the amount ({q.unit or 'number'}) must be zero or more",
        )
    if q.integer and x != int(x):
        return None, ("应为整数", "a whole number is expected")
    return (int(x) if q.integer else x), None


def validate_answers(
    qn: Questionnaire, answers: Mapping[str, Any], *, complete: bool = True
) -> dict[str, Any]:
    """Clean one enterprise's answers; raise ``QuestionnaireError`` listing every problem by question id.

    Unknown question ids are refused, an answer to a question skipped by its ``when`` is refused, and with
    ``complete`` (submission) every asked required question must be answered; a draft may be partial.
    """
    problems: list[str] = []
    by_question: dict[str, list[str]] = {}

    def problem(qid: str, zh: str, en: str) -> None:
        problems.append(f"question {qid!r}: {en}")
        by_question.setdefault(qid, []).append(f"{zh} / {en.split(' (got ')[0]}")

    known = {q.id for q in qn.questions}
    for k in answers:
        if k not in known:
            problem(k, "问卷中没有该题", "unknown question")
    cleaned: dict[str, Any] = {}
    for q in qn.questions:
        value = answers.get(q.id)
        blank = value is None or value == "" or value == []
        if not qn.asked(q, cleaned):
            if not blank:
                dep = q.when[0] if q.when else ""
                problem(q.id, f"根据第 {dep} 题的回答本题不适用，请留空",
                        f"not asked (skip logic {dep}), leave it blank")
            continue
        if blank:
            if complete and q.required:
                problem(q.id, "此题必答", "an answer is required")
            continue
        v, err = _check_zh(q, value)
        if err:
            problem(q.id, err[0], f"{err[1]} (got {value!r})")
        else:
            cleaned[q.id] = v
    if problems:
        raise QuestionnaireError(problems, by_question)
    return cleaned


def prune_skipped(qn: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    """``answers`` without the answers to questions that the skip logic does not ask (a web form or a sheet
    may still carry them from an earlier choice); the skip decision reads the raw yes/no answers."""
    out: dict[str, Any] = {}
    for q in qn.questions:
        if q.id not in answers:
            continue
        if q.when is not None:
            dep, value = q.when
            raw = out.get(dep)
            got, err = _check_zh(qn.question(dep), raw) if raw not in (None, "", []) else (None, None)
            if err is not None or got != value:
                continue
        out[q.id] = answers[q.id]
    out.update({k: v for k, v in answers.items() if k not in {q.id for q in qn.questions}})
    return out


def is_innovative(answers: Mapping[str, Any]) -> bool:
    """Oslo Manual 2018 innovative enterprise: a product or a business-process innovation."""
    return any(
        v is True for k, v in answers.items() if k.startswith(("prod_goods", "prod_services", "proc_"))
    )
