"""Instrument register (national platform fields), bookings and usage records."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lanbai.common.models import TimeStampedModel

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}


class Instrument(TimeStampedModel):
    """One large instrument (原值 ≥ 50 万元) of an owner unit, as the national platform registers it."""

    name = models.CharField(_("仪器名称"), max_length=200)
    model_number = models.CharField(_("规格型号"), max_length=100)
    manufacturer = models.CharField(_("生产厂商"), max_length=200)
    original_value = models.DecimalField(_("原值（万元）"), **MONEY)
    classification_code = models.CharField(_("分类编码"), max_length=6)
    sharing_mode = models.CharField(_("共享模式"), max_length=20, default="开放共享")
    fee_basis = models.CharField(_("计费方式"), max_length=20, default="per_hour")
    fee_rate = models.DecimalField(_("收费单价（元）"), **MONEY)
    fee_minimum = models.DecimalField(_("最低收费（元）"), default=0, **MONEY)
    status = models.CharField(_("状态"), max_length=10, default="正常")
    owner_unit = models.ForeignKey(
        "plans.OrgUnit", on_delete=models.PROTECT, related_name="instruments", verbose_name=_("所属单位")
    )
    location = models.CharField(_("安放地址"), max_length=200, blank=True)
    requires_approval = models.BooleanField(_("预约需审批"), default=True)
    is_simulated = models.BooleanField(_("模拟数据"), default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("大型科研仪器")
        verbose_name_plural = _("大型科研仪器")

    def __str__(self) -> str:
        return self.name


class Booking(TimeStampedModel):
    """A reservation (机时预约) or a sample-testing request (送样) on one instrument."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="bookings")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requester_unit = models.ForeignKey(
        "plans.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("预约单位")
    )
    kind = models.CharField(_("类型"), max_length=10, default="机时")
    start = models.DateTimeField(_("开始时间"))
    end = models.DateTimeField(_("结束时间"))
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    samples = models.PositiveIntegerField(_("样品数"), default=0)
    state = models.CharField(_("状态"), max_length=10, default="待审批")
    # hook: a 创新券 (innovation voucher) may pay this booking; built by the vouchers app
    voucher_ref = models.CharField(_("创新券编号"), max_length=40, blank=True)
    is_simulated = models.BooleanField(_("模拟数据"), default=False)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("仪器预约")
        verbose_name_plural = _("仪器预约")


class UsageRecord(TimeStampedModel):
    """What actually happened on a booking: actual start/end, outcome, fee (元) by the owner's rule."""

    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="usage")
    actual_start = models.DateTimeField(_("实际开始时间"))
    actual_end = models.DateTimeField(_("实际结束时间"))
    outcome = models.CharField(_("使用结果"), max_length=10, default="正常")
    fee = models.DecimalField(_("费用（元）"), **MONEY)
    is_simulated = models.BooleanField(_("模拟数据"), default=False)

    class Meta:
        ordering = ["actual_start", "id"]
        verbose_name = _("使用记录")
        verbose_name_plural = _("使用记录")
