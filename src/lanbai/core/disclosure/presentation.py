"""How a suppressed cell is shown: one marker and one legend, kept as data for pages and downloads.

Primary and complementary cells carry the *same* marker on purpose: telling them apart would show
the intruder which cells are the small or dominated ones.  The reasons stay internal.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .rules import DEFAULT_RULES, DisclosureRules


@dataclass(frozen=True)
class SuppressionMarker:
    """The symbol shown instead of a confidential figure, and its legend (Chinese first, English)."""

    symbol: str
    legend_zh: str
    legend_en: str
    obs_status: str = "C"  # SDMX OBS_STATUS code list: C = confidential, for machine-readable downloads

    def legend(self, rules: DisclosureRules = DEFAULT_RULES) -> dict[str, str]:
        """Legend entry: symbol, both texts, and the rule in words with the thresholds in force."""
        n, k = rules.dominance_n, f"{rules.dominance_k:g}%"
        top_zh = "单个企业占比" if n == 1 else f"最大{n}家企业合计占比"
        top_en = "one enterprise contributes" if n == 1 else f"the largest {n} together contribute"
        return {
            "symbol": self.symbol,
            "zh": self.legend_zh,
            "en": self.legend_en,
            "rule_zh": (
                f"少于{rules.min_contributors}家企业，或{top_zh}超过{k}的数据不予公布；"
                "为防止由合计推算，另隐去必要的其他数据。"
            ),
            "rule_en": (
                f"Not published: cells with fewer than {rules.min_contributors} enterprises, or where {top_en} "
                f"more than {k}; further cells are hidden so that these cannot be derived from totals."
            ),
            "obs_status": self.obs_status,
        }


CONFIDENTIAL = SuppressionMarker(
    symbol="×",
    legend_zh="因涉及单个企业数据予以保密",
    legend_en="Confidential: would disclose an individual enterprise's figures",
)


def masked_values(
    values: pd.Series, suppressed: pd.Series, *, marker: SuppressionMarker = CONFIDENTIAL
) -> pd.Series:
    """``values`` with every suppressed cell replaced by the marker symbol (object dtype, for display)."""
    hidden = suppressed.reindex(values.index).fillna(False).astype(bool)
    return values.astype(object).where(~hidden, marker.symbol)


def masked_frame(
    table: pd.DataFrame,
    suppressed: pd.Series,
    *,
    value: str = "value",
    marker: SuppressionMarker = CONFIDENTIAL,
) -> pd.DataFrame:
    """For downloads: ``value`` emptied (NaN) where suppressed and an ``obs_status`` column (``C`` there)."""
    hidden = suppressed.reindex(table.index).fillna(False).astype(bool)
    out = table.copy()
    out[value] = pd.to_numeric(out[value], errors="coerce").where(~hidden)
    out["obs_status"] = pd.Series("", index=table.index, dtype=object).where(~hidden, marker.obs_status)
    return out
