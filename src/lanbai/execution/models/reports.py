"""Half-year progress reports on measures and their evidence attachments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lanbai.common.models import RawFile, TimeStampedModel

from ..choices import Progress, ReportState


class ProgressReport(TimeStampedModel):
    """A responsible unit's report on one measure for one half year (period: its Q2 or Q4)."""

    measure = models.ForeignKey("execution.Measure", on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey("execution.ResponsibleUnit", on_delete=models.PROTECT, related_name="reports")
    period = models.CharField(_("报告期"), max_length=8)  # str(Quarter): 2019Q2 上半年, 2019Q4 全年
    status = models.CharField(_("进展"), max_length=12, choices=Progress.choices, default=Progress.IN_PROGRESS)
    pct = models.DecimalField(_("完成比例（%）"), max_digits=5, decimal_places=1, null=True, blank=True)
    # quantitative measures: the platform's own figure on the period's last day, not a typed number
    measured_value = models.DecimalField(_("平台数据"), max_digits=14, decimal_places=2, null=True, blank=True)
    measured_source = models.CharField(_("数据来源"), max_length=200, blank=True)
    narrative = models.TextField(_("进展情况"), blank=True)
    late_reason = models.TextField(_("滞后原因"), blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT)
    return_reason = models.TextField(_("退回原因"), blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["measure", "period", "unit"]
        verbose_name = _("举措进展报告")
        verbose_name_plural = _("举措进展报告")
        constraints = [
            models.UniqueConstraint(fields=["measure", "unit", "period"], name="progressreport_unique")
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.unit} {self.period}"


class Evidence(RawFile):
    """An evidence file exactly as received (bytes, SHA-256, size), like collection uploads."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")

    class Meta:
        ordering = ["report", "uploaded_at"]
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
