"""创新券 schemes (one per year, rules kept as validated data) and the vouchers issued against their budget."""

from __future__ import annotations

from decimal import Decimal

from django.db import models


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

    class Meta:
        ordering = ["scheme", "number"]

    def __str__(self) -> str:
        return self.number
