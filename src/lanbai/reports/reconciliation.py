"""The 科聚网 services' figures per zone and period (issue 18 item 5): 技术合同成交额, 创新券 redeemed,
大型仪器共享率 and projects accepted, each read through its own app's scoped selector.

Every figure is year to date of the quarter (1 January to the quarter's end), like the zone form:
contracts by registration date, vouchers by 兑付日期, instrument hours by the actual usage time (a usage
across the boundary is split by hours), projects by the day the 验收 took effect.  Shown on the zone page
(staff who may read the zone) and in the half-year inspection notice (``services`` section).
"""

from __future__ import annotations

from typing import Any

from lanbai.contracts import selectors as contract_selectors
from lanbai.core.periods import Quarter
from lanbai.instruments import selectors as instrument_selectors
from lanbai.plans.selectors import plan_in_force, zone_list
from lanbai.pools import selectors as pool_selectors
from lanbai.vouchers import selectors as voucher_selectors

# (key, label with its unit, source) — the columns of the notice's table and workbook sheet
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("contracts", "登记技术合同（项）", "技术合同登记：已登记、非补充合同，按卖方所在园区（技术输出）、登记日期"),
    ("turnover", "技术合同成交额（万元）", "技术合同登记：上述合同的成交金额合计"),
    ("vouchers_redeemed", "创新券兑付（张）", "创新券：有已兑付申请的券，按兑付日期"),
    ("vouchers_amount", "创新券兑付金额（万元）", "创新券：已兑付申请的金额合计，按兑付日期"),
    ("effective_hours", "有效工作机时（小时）", "大型科研仪器：园区内单位所属仪器的使用记录（正常、超时），按实际使用时间"),
    ("external_hours", "对外服务机时（小时）", "大型科研仪器：其中由所属单位以外的单位使用的机时"),
    ("sharing_rate_pct", "大型仪器共享率（%）", "对外服务机时 ÷ 有效工作机时，由合计机时计算（不平均各台比率）"),
    ("projects_accepted", "验收项目（个）", "储备项目库：园区及其下属单位申报、验收生效日期在期内的项目"),
)


def zone_service_figures(*, user: Any, zone: Any, period: Quarter | str) -> dict[str, Any] | None:
    """The zone's voucher, instrument and pool figures for ``period`` as the user may read them (each part
    None when its app's policy refuses); None when the user may read none of them."""
    q = Quarter.coerce(period)
    parts = {
        "vouchers": voucher_selectors.zone_redeemed(user=user, zone=zone, period=q),
        "sharing": instrument_selectors.zone_sharing(user=user, zone=zone, period=q),
        "projects": pool_selectors.zone_accepted(user=user, zone=zone, period=q),
    }
    if all(v is None for v in parts.values()):
        return None
    return {"period": str(q), **parts}


def _pct(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)


def inspection_section(*, user: Any, period: Quarter | str) -> dict[str, Any]:
    """One row per zone of the plan in force with every column of :data:`COLUMNS` (JSON-safe numbers;
    None where undefined or not readable), for the inspection notice."""
    q = Quarter.coerce(period)
    turnover = {r["zone"]: r for r in contract_selectors.turnover(period=q, user=user)}
    rows = []
    for zone in zone_list(plan=plan_in_force()):
        t = turnover.get(zone.code)
        f = zone_service_figures(user=user, zone=zone, period=q) or {}
        v, s, p = f.get("vouchers"), f.get("sharing"), f.get("projects")
        rows.append({
            "zone": zone.code,
            "zone_name": zone.name,
            "contracts": t["contracts"] if t else None,
            "turnover": float(t["turnover"]) if t else None,
            "vouchers_redeemed": v["vouchers"] if v else None,
            "vouchers_amount": float(v["amount"]) if v else None,
            "effective_hours": s["effective_hours"] if s else None,
            "external_hours": s["external_hours"] if s else None,
            "sharing_rate_pct": _pct(s["sharing_rate"]) if s else None,
            "projects_accepted": p["accepted"] if p else None,
        })
    return {
        "period": str(q),
        "span": f"{q.year}年1月1日至{q.end.month}月{q.end.day}日",
        "columns": [{"key": k, "label": label, "source": src} for k, label, src in COLUMNS],
        "rows": rows,
    }
