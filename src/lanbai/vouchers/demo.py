"""Demo data of 创新券 (模拟数据) through the real services: the shipped 2019 scheme, vouchers of simulated
enterprises taken through issue → use → redeem (the claim carries small generated documents marked 模拟数据),
one instrument service paid with a voucher (``voucher_use_instrument``), one expiry, one clawback and one
application in 公示."""

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


def demo_pdf(title: str) -> bytes:
    """A tiny valid one-page PDF saying SIMULATED DATA (the Chinese 模拟数据 in its metadata and a comment)."""
    text = f"SIMULATED DATA - {title}".encode("ascii", "replace")
    stream = b"BT /F1 14 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title <FEFF6A21 62DF6570 636E> >>",  # 模拟数据 (UTF-16BE)
    ]
    out = bytearray("%PDF-1.4\n% 模拟数据\n".encode())
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _instrument_use(voucher, holder, exclude: list) -> bool:
    """A simulated enterprise other than the holders owns an instrument; the holder books it and pays the
    booking with ``voucher`` (``voucher_use_instrument``). False when no such enterprise exists."""
    from lanbai.collection.selectors import enterprise_list
    from lanbai.instruments import services as instrument_services

    owner = (
        enterprise_list()
        .filter(is_simulated=True)
        .exclude(pk__in=[e.pk for e in exclude])
        .order_by("credit_code")
        .first()
    )
    if owner is None:
        return False
    inst = instrument_services.instrument_register(
        user=OPERATOR,
        owner_unit=owner.org_unit,
        data={
            "name": "高效液相色谱仪（模拟数据）", "model_number": "1260", "manufacturer": "安捷伦",
            "original_value": "85", "classification_code": "030402", "fee_basis": "per_hour",
            "fee_rate": "200", "fee_minimum": "0", "requires_approval": False,
        },
        simulated=True,
    )
    start = dt.datetime(2019, 6, 10, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    booking = instrument_services.booking_create(
        user=OPERATOR, instrument=inst, requester_unit=holder.org_unit, start=start,
        end=start + dt.timedelta(hours=4), purpose="样品检测（模拟数据）", simulated=True,
    )
    services.voucher_use_instrument(user=OPERATOR, voucher=voucher, booking=booking)
    return True


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
    claim = services.redemption_claim(  # 通兑 (2019): the provider's invoice and the service confirmation
        user=OPERATOR,
        use=use,
        on=dt.date(2019, 6, 1),
        documents=[
            ("invoice", "invoice-simulated.pdf", demo_pdf(f"invoice {redeemed.number}")),
            ("delivery", "服务确认单（模拟数据）.txt",
             f"服务确认单（模拟数据）\n券号 {redeemed.number}\n服务已完成，持券企业确认。\n".encode()),
        ],
    )
    services.redemption_review(user=OPERATOR, redemption=claim, approve=True, on=dt.date(2019, 6, 20))
    services.voucher_use_record(
        user=OPERATOR,
        voucher=expiring,
        provider_code="91620100MA74DEMO0B",
        provider_name="兰州检测中心（模拟数据）",
        amount=Decimal(2),
        used_on=dt.date(2019, 7, 1),
    )
    instrument = _instrument_use(expiring, ents[1], ents)
    services.voucher_clawback(
        user=OPERATOR, voucher=clawed, reason="服务合同虚假（模拟数据）", on=dt.date(2019, 9, 1)
    )
    expired = services.vouchers_expire(user=OPERATOR, today=dt.date(2020, 1, 1))
    paid_instrument = "、仪器共享服务 1 笔" if instrument else ""
    return f"创新券（模拟数据）：发放 3 张、兑付 1 张{paid_instrument}、过期 {expired} 张、追回 1 张、公示中 1 份"
