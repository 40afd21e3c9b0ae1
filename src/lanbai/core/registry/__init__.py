"""Registry rules, pure core: innovative-enterprise recognition (附件7) and policy matching (附件8).

Public API::

    EnterpriseProfile, PersonProfile, InstitutionProfile      every field optional
    screen_enterprises(profiles, criteria) -> list[RecognitionResult]
    screen_enterprise(profile, criteria) -> RecognitionResult
    recognition_table(results) -> pandas.DataFrame
    match_policies(profile, articles) -> list[PolicyMatch]
    match_policy(profile, article) -> PolicyMatch
    check_policy_fields(articles) -> list[str]

Thresholds, conditions and amounts come from the plan (``recognition_criteria``,
``policy_articles``); verdicts are ``pass`` / ``fail`` / ``not_decidable`` / ``needs_review``.
"""

from .policies import (
    BenefitResult,
    ConditionResult,
    PolicyMatch,
    check_policy_fields,
    match_policies,
    match_policy,
)
from .profiles import EnterpriseProfile, InstitutionProfile, PersonProfile
from .recognition import (
    Check,
    CriterionResult,
    RecognitionResult,
    recognition_table,
    screen_enterprise,
    screen_enterprises,
)
from .verdicts import VERDICT_ZH, Verdict

__all__ = [
    "VERDICT_ZH",
    "BenefitResult",
    "Check",
    "ConditionResult",
    "CriterionResult",
    "EnterpriseProfile",
    "InstitutionProfile",
    "PersonProfile",
    "PolicyMatch",
    "RecognitionResult",
    "Verdict",
    "check_policy_fields",
    "match_policies",
    "match_policy",
    "recognition_table",
    "screen_enterprise",
    "screen_enterprises",
]
