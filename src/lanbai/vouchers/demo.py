"""Demo data of 创新券 (模拟数据) through the real services: the shipped 2019 scheme, vouchers of simulated
enterprises taken through issue → use → redeem, one expiry, one clawback and one application in 公示."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from lanbai.access.policy import OPERATOR
from lanbai.core.vouchers import check_eligibility

from . import services
from .models import Application, Scheme

SCHEME_FILE = Path(__file__).resolve().parents[3] / "plans" / "lanbai-2015-2020" / "vouchers" / "2019.yaml"


def _eligible_enterprises(scheme: Scheme, on: dt.date, n: int) -> list:
    """``n`` simulated enterprises; one without 从业人员 in its registry profile gets a simulated 60 (small)
    through the registry's own service, so eligibility has the size it needs."""
    from lanbai.collection.selectors import enterprise_list
    from lanbai.registry.selectors import enterprise_profile_find
    from lanbai.registry.services import enterprise_profile_save

    rules = services.scheme_rules(scheme).eligibility
    out = []
    for ent in enterprise_list().filter(is_simulated=True).order_by("credit_code")[:50]:
        profile = enterprise_profile_find(ent)
        if profile is None or profile.staff is None:
            enterprise_profile_save(user=OPERATOR, enterprise=ent, data={"staff": 60})
        if not check_eligibility(services.enterprise_profile(ent, on), rules):
            out.append(ent)
            if len(out) == n:
                break
    return out


def vouchers_demo_run() -> str:
    """Create the demo vouchers once (a second run changes nothing); returns a line for the console."""
    from lanbai.core.vouchers import load_scheme_file

    if not SCHEME_FILE.exists():
        return "创新券：未找到方案文件，跳过"
    scheme = services.scheme_load(user=OPERATOR, rules=load_scheme_file(SCHEME_FILE))
    if Application.objects.filter(scheme=scheme).exists():
        return "创新券（模拟数据）：已存在，未改动"
    day = dt.date(2019, 3, 1)
    ents = _eligible_enterprises(scheme, day, 4)
    if len(ents) < 4:
        return "创新券（模拟数据）：符合条件的模拟企业不足 4 家，跳过"
    vouchers, apps = [], []
    for i, ent in enumerate(ents):
        app = services.application_submit(
            user=OPERATOR,
            scheme_id=scheme.pk,
            enterprise=ent,
            price=Decimal(12 + 6 * i),
            requested=Decimal(10 + 2 * i),
            service="检验检测与技术咨询（模拟数据）",
            provider_code="91620100MA74XXXX0A"[:17] + str(i),
            on=day,
        )
        services.application_zone_review(user=OPERATOR, application=app, approve=True)
        end = dt.date(2019, 3, 16) if i < 3 else dt.date(2030, 12, 31)
        services.application_province_review(
            user=OPERATOR, application=app, approve=True, notice_start=dt.date(2019, 3, 10), notice_end=end
        )
        apps.append(app)
        if i < 3:
            vouchers.append(
                services.application_issue(user=OPERATOR, application=app, on=dt.date(2019, 3, 20))
            )
    redeemed, expiring, clawed = vouchers
    use = services.voucher_use_record(
        user=OPERATOR,
        voucher=redeemed,
        provider_code="91620100MA74DEMO0B",
        provider_name="兰州检测中心（模拟数据）",
        amount=redeemed.amount,
        used_on=dt.date(2019, 5, 10),
    )
    claim = services.redemption_claim(user=OPERATOR, use=use, on=dt.date(2019, 6, 1))
    services.redemption_review(user=OPERATOR, redemption=claim, approve=True, on=dt.date(2019, 6, 20))
    services.voucher_use_record(
        user=OPERATOR,
        voucher=expiring,
        provider_code="91620100MA74DEMO0B",
        provider_name="兰州检测中心（模拟数据）",
        amount=Decimal(2),
        used_on=dt.date(2019, 7, 1),
    )
    services.voucher_clawback(
        user=OPERATOR, voucher=clawed, reason="服务合同虚假（模拟数据）", on=dt.date(2019, 9, 1)
    )
    expired = services.vouchers_expire(user=OPERATOR, today=dt.date(2020, 1, 1))
    return f"创新券（模拟数据）：发放 3 张、兑付 1 张、过期 {expired} 张、追回 1 张、公示中 1 份"
