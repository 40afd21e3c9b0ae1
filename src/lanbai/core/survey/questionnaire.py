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

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
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


def _check(q: Question, value: Any) -> tuple[Any, str | None]:
    """The cleaned value of one answer, or a message naming the rule broken."""
    if q.type == "yes_no":
        if isinstance(value, bool):
            return value, None
        if value in ("是", "yes", 1, "1"):
            return True, None
        if value in ("否", "no", 0, "0"):
            return False, None
        return None, "answer 是 or 否 (yes/no)"
    keys = [k for k, _ in q.options]
    if q.type == "choice":
        return (value, None) if value in keys else (None, f"choose one of {', '.join(keys)}")
    if q.type == "multi_choice":
        vals = value if isinstance(value, list | tuple) else [value]
        bad = [str(v) for v in vals if v not in keys]
        if bad:
            return None, f"{', '.join(bad)} not among the options {', '.join(keys)}"
        return sorted(set(vals), key=keys.index), None
    if q.type == "scale":
        try:
            v = int(value)
        except (TypeError, ValueError):
            v = 0
        if v not in SCALE_VALUES or (isinstance(value, float) and value != v):
            return None, "a scale answer is 1, 2, 3 or 4"
        return v, None
    # amount
    if isinstance(value, bool):
        return None, "a number is expected"
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None, "a number is expected"
    if not math.isfinite(x) or x < 0:
        return None, f"the amount ({q.unit or 'number'}) must be zero or more"
    if q.integer and x != int(x):
        return None, "a whole number is expected"
    return (int(x) if q.integer else x), None


def validate_answers(
    qn: Questionnaire, answers: Mapping[str, Any], *, complete: bool = True
) -> dict[str, Any]:
    """Clean one enterprise's answers; raise ``QuestionnaireError`` listing every problem by question id.

    Unknown question ids are refused, an answer to a question skipped by its ``when`` is refused, and with
    ``complete`` (submission) every asked required question must be answered; a draft may be partial.
    """
    problems = [f"question {k!r}: unknown question" for k in answers if k not in {q.id for q in qn.questions}]
    cleaned: dict[str, Any] = {}
    for q in qn.questions:
        value = answers.get(q.id)
        blank = value is None or value == "" or value == []
        if not qn.asked(q, cleaned):
            if not blank:
                problems.append(
                    f"question {q.id!r}: not asked (skip logic {q.when[0] if q.when else ''}), leave it blank"
                )
            continue
        if blank:
            if complete and q.required:
                problems.append(f"question {q.id!r}: an answer is required")
            continue
        v, err = _check(q, value)
        if err:
            problems.append(f"question {q.id!r}: {err} (got {value!r})")
        else:
            cleaned[q.id] = v
    if problems:
        raise QuestionnaireError(problems)
    return cleaned


def is_innovative(answers: Mapping[str, Any]) -> bool:
    """Oslo Manual 2018 innovative enterprise: a product or a business-process innovation."""
    return any(
        v is True for k, v in answers.items() if k.startswith(("prod_goods", "prod_services", "proc_"))
    )
