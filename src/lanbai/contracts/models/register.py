"""The register: contracts, their append-only status history, and the number sequences."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lanbai.common.models import TimeStampedModel

from ..choices import ContractStatus, ContractType, HistoryAction, RefusalGround

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}


class TechContract(TimeStampedModel):
    """One technology contract filed by its seller (卖方: 研究开发人/让与人/许可人/受托人/培训人/中介人).

    Amounts are in 万元.  ``amount`` is the 成交金额 the parties agreed; the 技术交易额 is the amount less
    the non-technical costs (设备仪器, 零部件/原材料, 其他非技术性款项) and is kept apart.  A supplementary
    contract (补充合同) points at its original and never adds 成交额.  A contract counts once, in the year
    of ``registered_on``.
    """

    title = models.CharField(_("项目名称"), max_length=200)
    contract_type = models.CharField(_("合同类型"), max_length=30, choices=ContractType.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    signed_on = models.DateField(_("签订日期"))
    valid_until = models.DateField(_("合同有效期至"), null=True, blank=True)
    supplement_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supplements",
        verbose_name=_("补充合同所属原合同"),
    )
    # seller (技术输出方) and buyer (技术吸纳方)
    seller_name = models.CharField(_("卖方名称"), max_length=200)
    seller_credit_code = models.CharField(_("卖方统一社会信用代码"), max_length=18)
    seller_region = models.CharField(_("卖方行政区划代码"), max_length=6)
    seller_zone = models.ForeignKey(
        "plans.OrgUnit", on_delete=models.PROTECT, related_name="contracts_sold", verbose_name=_("卖方所在园区")
    )
    seller_unit = models.ForeignKey(
        "plans.OrgUnit",
        on_delete=models.PROTECT,
        related_name="contracts_filed",
        verbose_name=_("卖方单位"),
        help_text=_("卖方在平台上的单位（企业）；无则为所在园区"),
    )
    buyer_name = models.CharField(_("买方名称"), max_length=200)
    buyer_credit_code = models.CharField(_("买方统一社会信用代码"), max_length=18)
    buyer_region = models.CharField(_("买方行政区划代码"), max_length=6)
    buyer_zone = models.ForeignKey(
        "plans.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts_bought",
        verbose_name=_("买方所在园区"),
    )
    # amounts (万元)
    amount = models.DecimalField(_("成交金额（万元）"), **MONEY)
    equipment_cost = models.DecimalField(_("设备、仪器费用（万元）"), default=Decimal(0), **MONEY)
    materials_cost = models.DecimalField(_("零部件、原材料费用（万元）"), default=Decimal(0), **MONEY)
    other_non_tech_cost = models.DecimalField(_("其他非技术性费用（万元）"), default=Decimal(0), **MONEY)
    # the registrar's decisions
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    registered_on = models.DateField(_("登记日期"), null=True, blank=True)
    registration_number = models.CharField(
        _("登记编号"), max_length=20, unique=True, null=True, blank=True
    )
    refusal_ground = models.CharField(
        _("不予登记理由"), max_length=30, choices=RefusalGround.choices, blank=True
    )
    is_simulated = models.BooleanField(_("模拟数据"), default=False)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("技术合同")
        verbose_name_plural = _("技术合同")
        indexes = [models.Index(fields=["status", "registered_on"])]

    def __str__(self) -> str:
        return f"{self.registration_number or '#' + str(self.pk)} {self.title}"

    @property
    def non_tech_cost(self) -> Decimal:
        return self.equipment_cost + self.materials_cost + self.other_non_tech_cost

    @property
    def tech_amount(self) -> Decimal:
        """技术交易额 = 成交金额 − 非技术性费用."""
        return self.amount - self.non_tech_cost

    @property
    def counted_amount(self) -> Decimal:
        """The 成交额 this contract adds to the statistics: none for a supplementary contract."""
        return Decimal(0) if self.supplement_of_id else self.amount


class ContractHistory(models.Model):
    """One transition of a contract (append-only: rows are never changed or deleted)."""

    contract = models.ForeignKey(TechContract, on_delete=models.PROTECT, related_name="history")
    action = models.CharField(_("操作"), max_length=20, choices=HistoryAction.choices)
    from_status = models.CharField(_("原状态"), max_length=20, choices=ContractStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=ContractStatus.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("时间"))
    reason = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("技术合同状态记录")
        verbose_name_plural = _("技术合同状态记录")

    def __str__(self) -> str:
        return f"{self.contract_id} {self.from_status}→{self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("ContractHistory is append-only")
        super().save(*args, **kwargs)


class RegistrationSequence(models.Model):
    """The last sequence number given per (region code, year): locked with select_for_update."""

    region = models.CharField(max_length=6)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="contracts_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.region}{self.year}: {self.last}"
