"""Statistical disclosure control of published tables (pure core: pandas, NumPy, SciPy).

* :func:`assess_cells` / :func:`primary_suppression`: threshold rule (fewer than 3 enterprises)
  and (n, k) dominance rule (the largest enterprise gives more than 85 %);
* :func:`secondary_suppression`: complementary cells so that no confidential cell can be computed
  from row, column, 4区合计 or hierarchical totals; :func:`suppress_across_releases`: the same
  against an earlier release of the table;
* :func:`feasibility_intervals` / :func:`recoverable_cells`: the LP audit that proves it;
* :data:`CONFIDENTIAL`, :func:`masked_values`, :func:`masked_frame`: the marker × and its legend.

The method and its sources are in docs/open-data.md ("Statistical disclosure control").
"""

from .audit import feasibility_intervals, recoverable_cells
from .presentation import CONFIDENTIAL, SuppressionMarker, masked_frame, masked_values
from .primary import DOMINANCE, THRESHOLD, assess_cells, primary_suppression
from .releases import recoverable_across_releases, suppress_across_releases
from .rules import DEFAULT_RULES, DisclosureError, DisclosureRules, rules_from_plan
from .secondary import secondary_suppression
from .structure import TableStructure, check_additivity, table_structure

__all__ = [
    "CONFIDENTIAL",
    "DEFAULT_RULES",
    "DOMINANCE",
    "THRESHOLD",
    "DisclosureError",
    "DisclosureRules",
    "SuppressionMarker",
    "TableStructure",
    "assess_cells",
    "check_additivity",
    "feasibility_intervals",
    "masked_frame",
    "masked_values",
    "primary_suppression",
    "recoverable_across_releases",
    "recoverable_cells",
    "rules_from_plan",
    "secondary_suppression",
    "suppress_across_releases",
    "table_structure",
]
