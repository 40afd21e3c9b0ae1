"""In-app notices for the people who report (催报 reminders) — each one also leaves an audit event."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message to one user shown on their 工作台 (a reminder to report, for now)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lanbai_notifications"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=20, default="reminder")
    org_unit = models.ForeignKey("plans.OrgUnit", on_delete=models.PROTECT, related_name="+")
    form_code = models.CharField(_("表号"), max_length=40)
    period = models.CharField(_("报告期"), max_length=8)
    message = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed = models.BooleanField(_("已发邮件"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")

    def __str__(self) -> str:
        return f"{self.recipient} · {self.form_code} {self.period}"
