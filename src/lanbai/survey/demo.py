"""Demo of the innovation survey (模拟数据): draw the 2019 and 2020 rounds and simulate answers with
non-response (about three in four sampled enterprises submit, the small enterprises of 白银高新区 less)."""

from __future__ import annotations

from typing import Any

import numpy as np

from lanbai.core.survey.questionnaire import Questionnaire

from . import selectors, services

DEMO_YEARS = (2019, 2020)


# Product (prod_*) and business-process (proc_*) innovation questions: an enterprise answering 是 to any
# of them is innovative (Oslo Manual 2018).  Drawn per question at 40 %, eight of them made 98 % of the
# respondents innovative (a share of 100 % with a standard error of 0 in the demo report); the demo
# first draws whether the enterprise innovated at all: 60 % of the take-all (large) stratum, 40 % of
# the sampled ones (simulated rates, not survey results).
_INNOVATION_PREFIXES = ("prod_", "proc_")


def _answers(qn: Questionnaire, rng: np.random.Generator, *, innovator: bool) -> dict[str, Any]:
    """A plausible complete set of answers (skip logic followed); a non-innovator answers 否 to every
    product and process innovation question, an innovator 是 to one of them drawn at random (and to each
    other one at 40 %)."""
    innovation = [q.id for q in qn.questions if q.type == "yes_no" and q.id.startswith(_INNOVATION_PREFIXES)]
    surely = innovation[int(rng.integers(len(innovation)))] if innovation else None
    out: dict[str, Any] = {}
    for q in qn.questions:
        if not qn.asked(q, out):
            continue
        if q.id in innovation:
            out[q.id] = innovator and (q.id == surely or bool(rng.random() < 0.4))
        elif q.type == "yes_no":
            out[q.id] = bool(rng.random() < 0.4)
        elif q.type == "choice":
            out[q.id] = q.options[int(rng.integers(len(q.options)))][0]
        elif q.type == "multi_choice":
            out[q.id] = [q.options[int(rng.integers(len(q.options)))][0]]
        elif q.type == "scale":
            out[q.id] = int(rng.integers(1, 5))
        else:
            out[q.id] = int(rng.integers(0, 20)) if q.integer else round(float(rng.gamma(1.5, 80.0)), 1)
    return out


def survey_demo_run() -> str:
    """Draw the demo rounds not yet drawn and simulate their answers; a second run changes nothing."""
    qn = selectors.questionnaire()
    lines = []
    for year in DEMO_YEARS:
        if selectors.round_find(year) is None:
            try:
                services.survey_round_draw(None, year, simulated=True)
            except Exception as exc:  # noqa: BLE001 - the demo goes on without the survey (e.g. no enterprises)
                lines.append(f"{year}: {exc}")
                continue
            rng = np.random.default_rng(year)
            entries = []
            for u in selectors.round_units(year):
                rate = 0.5 if u.zone.code == "bygx" and not u.take_all else 0.8
                if rng.random() < rate:
                    innovator = bool(rng.random() < (0.6 if u.take_all else 0.4))
                    entries.append((u, _answers(qn, rng, innovator=innovator), True))
                elif rng.random() < 0.3:
                    entries.append((u, {"prod_goods": False}, False))  # a draft left unfinished
            services.responses_create_bulk(None, entries)
        s = selectors.round_status(None, year)
        lines.append(f"{year}: 样本 {s['sample_size']}，已提交 {s['submitted']}")
    return (
        "创新调查（模拟数据） / innovation survey — "
        + "；".join(lines)
        + "（lanbai survey estimate --year 2020）"
    )
