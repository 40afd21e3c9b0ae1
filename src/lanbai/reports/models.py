"""Numbered releases: bulletins, inspection notices, annual reports and open-data releases."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lanbai.common.models import TimeStampedModel


class ReleaseKind(models.TextChoices):
    BULLETIN = "bulletin", _("季度监测数据")
    INSPECTION = "inspection", _("半年检查通报")
    ANNUAL = "annual", _("年度评估报告")
    OPEN_DATA = "open_data", _("开放数据")
    SURVEY = "survey", _("创新调查报告")


class ReleaseStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class Release(TimeStampedModel):
    """One numbered publication with the snapshot of the figures it used and its files.

    A correction is a new release that ``supersedes`` the earlier one; the earlier one stays
    downloadable, and ``diff`` records what changed.
    """

    kind = models.CharField(_("类型"), max_length=16, choices=ReleaseKind.choices)
    number = models.CharField(_("文号"), max_length=40, unique=True)  # 兰白监测〔2018〕第2号
    year = models.PositiveIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("序号"))
    period = models.CharField(_("报告期"), max_length=8)  # 2018Q2, or 2019 for annual
    title = models.CharField(_("标题"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=12, choices=ReleaseStatus.choices, default=ReleaseStatus.DRAFT
    )
    issued_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    data_cutoff = models.DateTimeField(_("数据截止时间"))
    approved_count = models.PositiveIntegerField(_("已审核报表数"), default=0)
    pending_count = models.PositiveIntegerField(_("待审核报表数"), default=0)
    content = models.JSONField(_("数据快照"), default=dict)
    html = models.TextField(_("HTML"), blank=True)
    pdf = models.BinaryField(_("PDF"), blank=True, null=True)
    xlsx = models.BinaryField(_("XLSX"), blank=True, null=True)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    correction_note = models.TextField(_("更正说明"), blank=True)
    diff = models.JSONField(_("更正内容"), default=list, blank=True)
    created_by = models.CharField(_("创建人"), max_length=150, blank=True)

    class Meta:
        ordering = ["-year", "kind", "-seq"]
        constraints = [models.UniqueConstraint(fields=["kind", "year", "seq"], name="release_unique_seq")]
        indexes = [models.Index(fields=["status", "kind", "period"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_current(self) -> bool:
        """False once a correction has superseded this release."""
        try:
            self.superseded_by  # noqa: B018
        except Release.DoesNotExist:
            return True
        return False
