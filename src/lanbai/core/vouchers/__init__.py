"""创新券 (innovation vouchers): scheme rules as data, grant computation, eligibility, anti-fraud checks.

Pure core (standard library only). Amounts are ``Decimal`` in 万元. Method and sources in docs/vouchers.md.
"""

from .fraud import FraudFinding, price_above_published, related_party, split_contracts
from .grant import Grant, compute_grant, coverage
from .loader import load_scheme_file, load_schemes
from .rules import (
    REDEMPTION_MODELS,
    Band,
    Eligibility,
    EnterpriseProfile,
    Scheme,
    SchemeError,
    check_eligibility,
    parse_scheme,
)

__all__ = [
    "REDEMPTION_MODELS",
    "Band",
    "Eligibility",
    "EnterpriseProfile",
    "FraudFinding",
    "Grant",
    "Scheme",
    "SchemeError",
    "check_eligibility",
    "compute_grant",
    "coverage",
    "load_scheme_file",
    "load_schemes",
    "parse_scheme",
    "price_above_published",
    "related_party",
    "split_contracts",
]
