"""创新券 schemes (one per year, rules kept as validated data) and the vouchers issued against their budget."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from lanbai.common.models import RawFile


class Scheme(models.Model):
    """A year's voucher scheme. ``committed`` is the budget already promised to issued vouchers (万元)."""

    year = models.PositiveIntegerField()
    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    budget = models.DecimalField(max_digits=14, decimal_places=4)  # 万元
    committed = models.DecimalField(max_digits=14, decimal_places=4, default=Decimal(0))  # 万元
    rules = models.JSONField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["year", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.committed


class Voucher(models.Model):
    class State(models.TextChoices):
        ISSUED = "issued", "已发放"
        IN_USE = "in_use", "使用中"
        CLAIMED = "claimed", "待兑付"
        PAID = "paid", "已兑付"
        EXPIRED = "expired", "已过期"
        CLAWED_BACK = "clawed_back", "已追回"

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="vouchers")
    number = models.CharField(max_length=40, unique=True)
    enterprise_name = models.CharField(max_length=200)
    credit_code = models.CharField(max_length=18)
    amount = models.DecimalField(max_digits=14, decimal_places=4)  # 万元, committed at issue
    state = models.CharField(max_length=20, choices=State.choices, default=State.ISSUED)
    issued_at = models.DateTimeField(auto_now_add=True)
    enterprise = models.ForeignKey(
        "collection.Enterprise", on_delete=models.PROTECT, related_name="vouchers", null=True, blank=True
    )
    zone = models.ForeignKey(
        "plans.OrgUnit", on_delete=models.PROTECT, related_name="zone_vouchers", null=True, blank=True
    )
    issued_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)  # expired or clawed back
    reason = models.TextField(blank=True)  # clawback reason

    class Meta:
        ordering = ["scheme", "number"]

    def __str__(self) -> str:
        return self.number


class Application(models.Model):
    """An enterprise's application for a voucher: 已提交 → 区审核通过 → 公示中 → 已发放 (or 已退回)."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", "已提交"
        RETURNED = "returned", "已退回"
        ZONE_APPROVED = "zone_approved", "区审核通过"
        NOTICE = "notice", "公示中"
        ISSUED = "issued", "已发放"

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="applications")
    enterprise = models.ForeignKey("collection.Enterprise", on_delete=models.PROTECT, related_name="+")
    zone = models.ForeignKey("plans.OrgUnit", on_delete=models.PROTECT, related_name="+")
    price = models.DecimalField(max_digits=14, decimal_places=4)  # 服务合同金额, 万元
    requested = models.DecimalField(max_digits=14, decimal_places=4)  # 万元
    service = models.TextField()
    provider_code = models.CharField(max_length=18)
    state = models.CharField(max_length=20, choices=State.choices, default=State.SUBMITTED)
    reason = models.TextField(blank=True)  # the last return reason
    granted = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)  # 万元
    limited_by = models.CharField(max_length=30, blank=True)
    notice_start = models.DateField(null=True, blank=True)
    notice_end = models.DateField(null=True, blank=True)
    voucher = models.OneToOneField(
        Voucher, on_delete=models.PROTECT, null=True, blank=True, related_name="application"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.scheme}"


class Use(models.Model):
    """A service ordered with the voucher: its amount is locked against the voucher's balance."""

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="uses")
    provider_code = models.CharField(max_length=18)
    provider_name = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=14, decimal_places=4)  # 万元
    used_on = models.DateField()
    published_price = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    findings = models.JSONField(default=list)  # [{"rule": ..., "message": ...}] from the core fraud checks
    # the registered enterprise with the provider's credit code (None: not registered): its 企业填报员 are the
    # provider's users, who see the uses ordered from it and file the 通兑 redemption claims for them
    provider = models.ForeignKey(
        "collection.Enterprise", on_delete=models.PROTECT, null=True, blank=True, related_name="voucher_services"
    )
    # an instrument service (大型科研仪器共享) ordered with the voucher: the booking it pays, once
    booking = models.OneToOneField(
        "instruments.Booking", on_delete=models.PROTECT, null=True, blank=True, related_name="voucher_use"
    )

    class Meta:
        ordering = ["used_on", "id"]

    def __str__(self) -> str:
        return f"{self.voucher_id} {self.provider_name} {self.amount}"


class Redemption(models.Model):
    """A redemption claim (兑付申请) for a use, reviewed by 省创新办."""

    class State(models.TextChoices):
        CLAIMED = "claimed", "待审核"
        PAID = "paid", "已兑付"
        RETURNED = "returned", "已退回"

    use = models.OneToOneField(Use, on_delete=models.PROTECT, related_name="redemption")
    amount = models.DecimalField(max_digits=14, decimal_places=4)  # 万元
    state = models.CharField(max_length=20, choices=State.choices, default=State.CLAIMED)
    reason = models.TextField(blank=True)
    claimed_on = models.DateField()
    paid_on = models.DateField(null=True, blank=True)
    # who filed it: the provider (通兑) or the holder (通用), as the scheme's redemption model says
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.use_id} {self.get_state_display()}"


class ClaimDocument(RawFile):
    """A document of a redemption claim (合同, 发票, 付款凭证, 服务确认单), kept exactly as uploaded."""

    class Kind(models.TextChoices):
        CONTRACT = "contract", "服务合同"
        INVOICE = "invoice", "发票"
        PAYMENT = "payment", "付款凭证"
        DELIVERY = "delivery", "服务确认单"

    redemption = models.ForeignKey(Redemption, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["redemption", "kind", "uploaded_at", "id"]


class RelatedParty(models.Model):
    """A related party an enterprise declared (关联方: shareholder, subsidiary, same controller …) by its
    统一社会信用代码; a voucher use with a listed provider is flagged for the reviewer."""

    enterprise = models.ForeignKey("collection.Enterprise", on_delete=models.PROTECT, related_name="related_parties")
    credit_code = models.CharField(max_length=18)
    name = models.CharField(max_length=200)
    relation = models.CharField(max_length=200, blank=True)  # e.g. 控股股东, 同一实际控制人
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["enterprise", "credit_code"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "credit_code"], name="vouchers_related_party_unique")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} ↔ {self.credit_code}"
