"""Demo register (模拟数据): contracts 2016–2020 in every zone, through the real services.

Per zone and year a handful of registered contracts whose sum lies a little under the zone's reported
技术合同成交额 (so the reconciliation shows small differences), and the cases a reviewer should see: a
refusal with its ground, a return for correction then registration, an amendment, a supplementary contract,
a revoked registration, an overdue registration and a contract still under review.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from lanbai.access.choices import Role
from lanbai.access.services import demo_user_create, user_scope_grant
from lanbai.collection.demo import DEMO_PASSWORD
from lanbai.collection.selectors import enterprise_list
from lanbai.core.collection.creditcode import check_character
from lanbai.plans.selectors import orgunit_list, plan_in_force, zone_list

from . import services
from .choices import ContractType, RefusalGround
from .selectors import reported_figures, simulated_exists

YEARS = range(2016, 2021)
PER_YEAR = 5
REGISTRAR = "demo_contract_registrar"
# seller 行政区划代码 (GB/T 2260) of each zone's seat
REGIONS = {"lzxq": "620121", "lzgx": "620102", "lzjj": "620105", "bygx": "620402"}
OUTSIDE = [("北京", "110108"), ("上海", "310104"), ("深圳", "440305"), ("西安", "610113"), ("兰州", "620102")]
TYPES = list(ContractType.values)


def _code(rng, prefix: str = "91") -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = prefix + "".join(alphabet[i] for i in rng.integers(0, 31, 15))
    return body + check_character(body)


def _user(username: str, role: str, unit):
    User = get_user_model()  # noqa: N806
    user = User.objects.filter(username=username).first()
    if user is None:
        user = demo_user_create(username=username, password=DEMO_PASSWORD, first_name="模拟数据")
    user_scope_grant(by=None, user=user, role=role, unit=unit)
    return user


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=timezone.get_current_timezone())


def _file_and_register(seller, registrar, data, *, registered_on: dt.date, days: int, rng):
    """Create → submit → accept → register (``days`` from 受理 to 登记)."""
    accepted = registered_on - dt.timedelta(days=days)
    submitted = accepted - dt.timedelta(days=int(rng.integers(1, 5)))
    c = services.contract_create(user=seller, data=data, now=_at(submitted), simulated=True)
    c = services.contract_submit(user=seller, contract=c, now=_at(submitted))
    c = services.contract_accept(user=registrar, contract=c, on=accepted, now=_at(accepted))
    return services.contract_register(user=registrar, contract=c, on=registered_on, now=_at(registered_on))


@transaction.atomic
def contracts_demo(*, seed: int = 2016, today: dt.date | None = None) -> dict[str, int]:
    """Fill the register (idempotent: nothing happens when the registrar user exists with contracts)."""
    plan = plan_in_force()
    zones = list(zone_list(plan=plan))
    root = next((u for u in orgunit_list(plan=plan) if u.kind == "pilot_zone"), None)
    registrar = None
    for unit in [root] if root is not None else zones:  # the registrar serves the whole pilot zone
        registrar = _user(REGISTRAR, Role.CONTRACT_REGISTRAR, unit)
    if simulated_exists():
        return {"contracts": 0}
    rng = np.random.default_rng(seed)
    firms = {z.code: list(enterprise_list(zone=z.code)) for z in zones}
    counts = {"contracts": 0, "registered": 0}
    specials: dict[str, object] = {}
    for zi, z in enumerate(zones):
        seller_user = _user(f"demo_{z.code}_fill", Role.ZONE_REPORTER, z)
        region = REGIONS.get(z.code, "620100")
        for y in YEARS:
            reported = reported_figures([z.id], f"{y}Q4").get(z.id) or Decimal(3000 + 800 * zi)
            target = float(reported) * float(rng.uniform(0.95, 0.995))
            shares = rng.dirichlet(np.ones(PER_YEAR))
            for k in range(PER_YEAR):
                amount = Decimal(str(round(target * shares[k], 2)))
                seller = firms[z.code][k % len(firms[z.code])] if firms[z.code] else None
                other = zones[(zi + 1 + k) % len(zones)]
                inside = rng.random() < 0.4 and firms[other.code] and other.id != z.id
                if inside:
                    buyer = firms[other.code][k % len(firms[other.code])]
                    buyer_data = {"buyer_name": buyer.name, "buyer_credit_code": buyer.credit_code,
                                  "buyer_region": REGIONS.get(other.code, "620100"), "buyer_zone": other.code}
                else:
                    city, code = OUTSIDE[int(rng.integers(0, len(OUTSIDE)))]
                    buyer_data = {"buyer_name": f"{city}某科技有限公司（模拟）", "buyer_credit_code": _code(rng),
                                  "buyer_region": code}
                ctype = TYPES[(zi + k + y) % len(TYPES)]
                equipment = (amount * Decimal("0.15")).quantize(Decimal("0.01")) if ctype.startswith(
                    "development") else Decimal(0)
                data: dict[str, Any] = {
                    "title": f"{z.short_name or z.name}{y}年技术合同{k + 1}（模拟）",
                    "contract_type": ctype,
                    "signed_on": dt.date(y, 1 + 2 * k, 5),
                    "valid_until": dt.date(y + 1, 1 + 2 * k, 4),
                    "seller_name": seller.name if seller else f"{z.name}某研究院（模拟）",
                    "seller_credit_code": seller.credit_code if seller else _code(rng, "12"),
                    "seller_region": region, "seller_zone": z.code, "amount": amount,
                    "equipment_cost": equipment, "materials_cost": Decimal(0), "other_non_tech_cost": Decimal(0),
                    **buyer_data,
                }
                registered_on = dt.date(y, 2 + 2 * k, 10 + int(rng.integers(0, 15)))
                days = int(rng.integers(5, 28))
                if zi == 0 and y == 2017 and k == 2:
                    days = 36  # registered after the 30-day limit: shown as 超期
                if zi == 2 % len(zones) and y == 2019 and k == 0:
                    # 退回补正 then registered
                    c = services.contract_create(user=seller_user, data=data, now=_at(dt.date(y, 1, 20)),
                                                 simulated=True)
                    services.contract_submit(user=seller_user, contract=c, now=_at(dt.date(y, 1, 21)))
                    services.contract_return(user=registrar, contract=c, reason="缺少技术秘密的证明材料，请补正",
                                             now=_at(dt.date(y, 1, 25)))
                    services.contract_update(user=seller_user, contract=c,
                                             data={"title": data["title"] + "（补正）"}, now=_at(dt.date(y, 2, 1)))
                    services.contract_submit(user=seller_user, contract=c, now=_at(dt.date(y, 2, 1)))
                    services.contract_accept(user=registrar, contract=c, on=dt.date(y, 2, 3),
                                             now=_at(dt.date(y, 2, 3)))
                    c = services.contract_register(user=registrar, contract=c, on=registered_on,
                                                   now=_at(registered_on))
                    specials["returned"] = c
                else:
                    c = _file_and_register(seller_user, registrar, data, registered_on=registered_on, days=days,
                                           rng=rng)
                counts["contracts"] += 1
                counts["registered"] += 1
                if zi == 3 % len(zones) and y == 2019 and k == 1:
                    services.contract_amend(
                        user=registrar, contract=c,
                        changes={"other_non_tech_cost": (c.amount * Decimal("0.05")).quantize(Decimal("0.01"))},
                        reason="核定时漏扣技术服务中的差旅等非技术性费用", now=_at(registered_on + dt.timedelta(days=20)),
                    )
                if zi == 0 and y == 2019 and k == 0:
                    sup = dict(data, title=data["title"] + "补充合同", amount=Decimal("80.00"),
                               equipment_cost=Decimal(0), supplement_of=c.registration_number,
                               signed_on=registered_on + dt.timedelta(days=30))
                    _file_and_register(seller_user, registrar, sup, registered_on=registered_on + dt.timedelta(days=45),
                                       days=10, rng=rng)
                    counts["contracts"] += 1
            if zi == 1 % len(zones) and y == 2018:
                # 不予登记: a sale of equipment dressed as 技术服务
                bad = dict(data, title=f"{z.short_name or z.name}设备购销合同（模拟）", contract_type="service",
                           amount=Decimal("600.00"), equipment_cost=Decimal(0))
                c = services.contract_create(user=seller_user, data=bad, now=_at(dt.date(y, 6, 1)), simulated=True)
                services.contract_submit(user=seller_user, contract=c, now=_at(dt.date(y, 6, 1)))
                services.contract_accept(user=registrar, contract=c, on=dt.date(y, 6, 3), now=_at(dt.date(y, 6, 3)))
                services.contract_refuse(user=registrar, contract=c, ground=RefusalGround.NOT_TECHNOLOGY,
                                         reason="标的为设备买卖，不属于技术合同", now=_at(dt.date(y, 6, 20)))
                counts["contracts"] += 1
            if zi == 1 % len(zones) and y == 2017:
                # registered, then 撤销 (the parties had rescinded the contract before registration)
                c = _file_and_register(seller_user, registrar, dict(data, title=data["title"] + "（已解除）",
                                                                    amount=Decimal("300.00"),
                                                                    equipment_cost=Decimal(0)),
                                       registered_on=dt.date(y, 11, 2), days=12, rng=rng)
                services.contract_revoke(user=registrar, contract=c, reason="当事人已解除合同，撤销登记",
                                         now=_at(dt.date(y, 12, 1)))
                counts["contracts"] += 1
        # one contract still under review (受理, within the time limit) in the last quarter of 2020
        pending = dict(data, title=f"{z.short_name or z.name}2020年待认定技术合同（模拟）", amount=Decimal("120.00"),
                       equipment_cost=Decimal(0))
        c = services.contract_create(user=seller_user, data=pending, now=_at(dt.date(2020, 12, 20)), simulated=True)
        services.contract_submit(user=seller_user, contract=c, now=_at(dt.date(2020, 12, 20)))
        services.contract_accept(user=registrar, contract=c, on=today or dt.date(2020, 12, 22),
                                 now=_at(dt.date(2020, 12, 22)))
        counts["contracts"] += 1
    return counts

