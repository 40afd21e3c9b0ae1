"""Demo publications (issue 13): after ``lanbai demo`` the public face works.

Publishes the quarterly bulletins of the latest periods the simulator completes (every expected
report approved), oldest first, then corrects the last of them as a new release (its history
shows on the public pages).  A period left incomplete (one zone's last quarter waits for review)
is not published: the public headline stays on complete, published figures.  Older periods can
be published with ``lanbai report bulletin --period … --publish``.

``demo_publish_survey`` (called by ``lanbai demo`` after the survey demo) publishes the 创新调查报告 of the
demo survey years as numbered releases (兰白调查〔Y〕第N号) through the same service as
``lanbai report survey --year Y --publish``.
"""

from __future__ import annotations

from lanbai.access.policy import OPERATOR
from lanbai.core.periods import Quarter

from . import selectors, services

DEMO_BULLETINS = 4  # the latest complete quarters (each renders a PDF: a few seconds)
CORRECTION_NOTE = "更正：补充数据说明（演示：更正作为新的发布物，原发布物保留可下载）"


def demo_publish_survey(years: tuple[int, ...] | list[int]) -> str:
    """Publish the 创新调查报告 of each of ``years`` that has a drawn round and no published report yet.

    Runs as the command line (:data:`~lanbai.access.policy.OPERATOR`); a second run changes nothing.  Returns
    one line for the demo's output (the numbers made, or why a year was left out).
    """
    from lanbai.survey import selectors as survey_selectors

    lines = []
    for year in years:
        current = selectors.current_survey_release(year)
        if current is not None:
            lines.append(f"{year}: {current.number}")
            continue
        if survey_selectors.round_find(year) is None:
            lines.append(f"{year}: 未抽样 / no round")
            continue
        try:
            rel = services.release_create(kind="survey", period=str(year), user=OPERATOR, publish=True)
        except services.ReleaseError as exc:  # e.g. no submitted answers: the demo goes on without it
            lines.append(f"{year}: {exc}")
            continue
        lines.append(f"{year}: {rel.number}")
    return "创新调查报告已发布（模拟数据） / survey reports published — " + "；".join(lines)


def demo_publish(periods: list[Quarter], *, count: int = DEMO_BULLETINS) -> list[str]:
    """Publish the bulletins of the latest ``count`` complete ``periods`` and correct the last one.

    Returns the numbers of the releases made.  Runs as the command line (:data:`~lanbai.access.policy.OPERATOR`).
    """
    complete = [q for q in periods if selectors.period_completeness(q)["complete"]][-count:]
    made = []
    rel = None
    for q in complete:
        rel = services.release_create(kind="bulletin", period=q, user=OPERATOR, publish=True)
        made.append(rel.number)
    if rel is not None:
        made.append(services.release_correct(rel, note=CORRECTION_NOTE, user=OPERATOR).number)
    return made
