"""Public supervision (issue 16 item 6): released half-year progress and the public's feedback."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Progress


class ProgressRelease(models.Model):
    """The 省创新办 releases the measures' half-year progress of a period: nothing public before it."""

    plan = models.ForeignKey("plans.PlanVersion", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("报告期"), max_length=8)
    released_at = models.DateTimeField(_("发布时间"))
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["plan", "-period"]
        verbose_name = _("举措进展发布")
        verbose_name_plural = _("举措进展发布")
        constraints = [models.UniqueConstraint(fields=["plan", "period"], name="progressrelease_unique")]

    def __str__(self) -> str:
        return f"{self.period}"


class ReleasedProgress(models.Model):
    """A measure's progress as released: a frozen copy of its lead's accepted report (later edits stay out)."""

    release = models.ForeignKey(ProgressRelease, on_delete=models.CASCADE, related_name="rows")
    measure = models.ForeignKey("execution.Measure", on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(
        "execution.ProgressReport", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    report_period = models.CharField(_("报告期"), max_length=8)
    status = models.CharField(_("进展"), max_length=12, choices=Progress.choices)
    pct = models.DecimalField(_("完成比例（%）"), max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["release", "measure"]
        verbose_name = _("已发布举措进展")
        verbose_name_plural = _("已发布举措进展")
        constraints = [models.UniqueConstraint(fields=["release", "measure"], name="releasedprogress_unique")]

    def __str__(self) -> str:
        return f"{self.release_id} {self.measure_id} {self.status}"


class Feedback(models.Model):
    """A message from the public on a measure, queued for the measure's lead unit."""

    measure = models.ForeignKey("execution.Measure", on_delete=models.PROTECT, related_name="feedback")
    unit = models.ForeignKey("execution.ResponsibleUnit", on_delete=models.PROTECT, related_name="feedback")
    name = models.CharField(_("姓名"), max_length=60, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    message = models.TextField(_("留言"))
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("留言时间"), auto_now_add=True)
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("公众留言")
        verbose_name_plural = _("公众留言")

    def __str__(self) -> str:
        return f"{self.measure.code} {self.created_at:%Y-%m-%d}"
