"""Demo publications (issue 13): after ``lanbai demo`` the public face works.

Publishes the quarterly bulletins of the latest periods the simulator completes (every expected
report approved), oldest first, then corrects the last of them as a new release (its history
shows on the public pages).  A period left incomplete (one zone's last quarter waits for review)
is not published: the public headline stays on complete, published figures.  Older periods can
be published with ``lanbai report bulletin --period … --publish``.
"""

from __future__ import annotations

from lanbai.access.policy import OPERATOR
from lanbai.core.periods import Quarter

from . import selectors, services

DEMO_BULLETINS = 4  # the latest complete quarters (each renders a PDF: a few seconds)
CORRECTION_NOTE = "更正：补充数据说明（演示：更正作为新的发布物，原发布物保留可下载）"


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
