"""A stored computation of the development index, so the annual report can cite it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexRun(models.Model):
    """One computation of an index for a year: the framework's hash, when, by whom, and every result."""

    framework_code = models.CharField(_("指数框架"), max_length=100)
    framework_hash = models.CharField(_("框架哈希"), max_length=64)
    plan_hash = models.CharField(_("规划版本哈希"), max_length=64, blank=True)
    year = models.PositiveIntegerField(_("年份"))
    runs = models.PositiveIntegerField(_("蒙特卡洛次数"), default=0)
    seed = models.IntegerField(_("随机种子"), default=0)
    computed_at = models.DateTimeField(_("计算时间"), auto_now_add=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    results = models.JSONField(_("结果"), default=dict)

    class Meta:
        ordering = ["-computed_at", "-id"]
        verbose_name = _("指数计算记录")
        verbose_name_plural = _("指数计算记录")
        indexes = [models.Index(fields=["framework_code", "year"])]

    def __str__(self) -> str:
        return f"{self.framework_code} {self.year} @ {self.computed_at:%Y-%m-%d %H:%M}"
