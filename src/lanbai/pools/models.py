"""储备项目库 and 人才库 (plan 七（二）): reserve projects with an append-only stage history, and talents.

A talent's 身份证号 is never stored in clear: only its masked form (display) and a keyed HMAC fingerprint
(duplicate detection) are kept; see docs/pools.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanbai.common.models import TimeStampedModel


class Stage(models.TextChoices):
    RESERVE = "reserve", _("储备")
    APPROVED = "approved", _("立项")
    IMPLEMENTING = "implementing", _("实施")
    ACCEPTED = "accepted", _("验收")
    TERMINATED = "terminated", _("终止")


class Project(TimeStampedModel):
    """A project proposed by a unit into the reserve pool."""

    unit = models.ForeignKey(
        "plans.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("申报单位")
    )
    title = models.CharField(_("项目名称"), max_length=200)
    field = models.CharField(_("领域"), max_length=100)
    budget_wan = models.DecimalField(_("预算（万元）"), max_digits=14, decimal_places=2)
    expected_outputs = models.TextField(_("预期成果"), blank=True)
    responsible_person = models.CharField(_("负责人"), max_length=60)
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices, default=Stage.RESERVE)
    cluster = models.CharField(_("产业集群（附件4）"), max_length=64, blank=True)
    measures = models.ManyToManyField(
        "execution.Measure", blank=True, related_name="+", verbose_name=_("关联举措")
    )

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title


class ProjectStageChange(models.Model):
    """Append-only history of a project's stages (who moved it, when, from where to where)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="history")
    from_stage = models.CharField(max_length=20, blank=True)
    to_stage = models.CharField(max_length=20)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)  # when the change was recorded
    # the day the stage took effect (a 验收 decided on 15 May and entered later counts on 15 May)
    effective_on = models.DateField(_("生效日期"), default=timezone.localdate)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.from_stage or '-'} → {self.to_stage}"


class Talent(TimeStampedModel):
    """A person in the talent register, held only with consent."""

    name = models.CharField(_("姓名"), max_length=60)
    gender = models.CharField(_("性别"), max_length=4, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    fields = models.CharField(_("领域"), max_length=200, blank=True)
    title = models.CharField(_("职称"), max_length=60, blank=True)
    unit = models.ForeignKey(
        "plans.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所在单位")
    )
    consent_at = models.DateTimeField(_("同意时间"), null=True, blank=True)
    consent_version = models.CharField(_("同意书版本"), max_length=20, blank=True)
    id_masked = models.CharField(_("身份证号"), max_length=18, blank=True)
    id_fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_fingerprint"],
                condition=~models.Q(id_fingerprint=""),
                name="pools_talent_unique_id",
            )
        ]

    def __str__(self) -> str:
        return self.name
