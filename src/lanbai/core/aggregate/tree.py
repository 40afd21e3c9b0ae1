"""The organisation tree of a plan as the tables the aggregation engine reads."""

from __future__ import annotations

import pandas as pd

from ..plan.schema import Plan


def tree_from_plan(plan: Plan) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(tree, aggregates)``: one row per dated parent link of every unit (roots with parent
    NULL), and one row per member of every ``aggregate`` unit (4区合计).

    Enterprises are added by the caller as rows of kind ``enterprise`` (their park or zone over
    time); see :func:`lanbai.core.aggregate.aggregate`.
    """
    rows, members = [], []
    for u in plan.org_units:
        if u.kind == "aggregate":
            members += [{"unit": u.code, "member": m} for m in u.members]
            continue
        links = u.parent_links()
        if not links:
            rows.append(
                {
                    "unit": u.code,
                    "parent": None,
                    "valid_from": u.valid_from,
                    "valid_to": u.valid_to,
                    "kind": u.kind,
                }
            )
        for link in links:
            start = max(link.valid_from, u.valid_from)
            ends = [d for d in (link.valid_to, u.valid_to) if d is not None]
            rows.append(
                {
                    "unit": u.code,
                    "parent": link.parent,
                    "valid_from": start,
                    "valid_to": min(ends) if ends else None,
                    "kind": u.kind,
                }
            )
    tree = pd.DataFrame(rows, columns=["unit", "parent", "valid_from", "valid_to", "kind"])
    for col in ("valid_from", "valid_to"):
        tree[col] = pd.to_datetime(tree[col])
    return tree, pd.DataFrame(members, columns=["unit", "member"])
