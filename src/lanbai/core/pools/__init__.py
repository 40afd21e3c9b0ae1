"""Project reserve and talent pools (plan 七（二）): pure rules.

Resident ID numbers (GB 11643-1999) are validated, masked and keyed-hashed here; the project stage
machine (储备 → 立项 → 实施 → 验收, or 终止) lives here too. Method in docs/pools.md.
"""

from .identity import IdNumberError, id_fingerprint, mask_id_number, validate_id_number
from .stages import STAGES, TRANSITIONS, StageError, check_transition

__all__ = [
    "STAGES",
    "TRANSITIONS",
    "IdNumberError",
    "StageError",
    "check_transition",
    "id_fingerprint",
    "mask_id_number",
    "validate_id_number",
]
