"""Stages of a reserve project: 储备 → 立项 → 实施 → 验收, with 终止 from any open stage."""

from __future__ import annotations

STAGES: tuple[str, ...] = ("reserve", "approved", "implementing", "accepted", "terminated")
STAGE_LABELS: dict[str, str] = {
    "reserve": "储备",
    "approved": "立项",
    "implementing": "实施",
    "accepted": "验收",
    "terminated": "终止",
}
TRANSITIONS: dict[str, frozenset[str]] = {
    "reserve": frozenset({"approved", "terminated"}),
    "approved": frozenset({"implementing", "terminated"}),
    "implementing": frozenset({"accepted", "terminated"}),
    "accepted": frozenset(),
    "terminated": frozenset(),
}


class StageError(ValueError):
    """A stage change the project workflow does not allow."""


def check_transition(current: str, target: str) -> None:
    """Raise :class:`StageError` unless ``current`` may move to ``target``."""
    if current not in TRANSITIONS:
        raise StageError(f"阶段：未知阶段 {current!r}")
    if target not in TRANSITIONS[current]:
        allowed = "、".join(STAGE_LABELS[s] for s in sorted(TRANSITIONS[current])) or "无"
        raise StageError(
            f"阶段：{STAGE_LABELS[current]} 不能转为 {STAGE_LABELS.get(target, target)}（可转为：{allowed}）"
        )
