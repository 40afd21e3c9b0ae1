"""The annual assessment (目标责任制考核): scheme versions, runs, and each unit's score with its evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lanbai.common.models import TimeStampedModel


class AssessmentScheme(TimeStampedModel):
    """One version of the scoring scheme (``plans/<plan>/assessment/scheme.yaml``), stored as validated.

    A version number names one content: a changed file needs a new number, so the years scored
    with an earlier version keep it (their runs point here).
    """

    version = models.PositiveIntegerField(_("版本"), unique=True)
    name = models.CharField(_("名称"), max_length=200)
    content_hash = models.CharField(_("内容哈希"), max_length=64)
    document = models.JSONField(_("评分办法"))
    source_file = models.CharField(_("文件"), max_length=300, blank=True)

    class Meta:
        ordering = ["version"]
        verbose_name = _("考核评分办法")
        verbose_name_plural = _("考核评分办法")

    def __str__(self) -> str:
        return f"v{self.version} {self.name}"


class AssessmentRun(TimeStampedModel):
    """One computation of a year's assessment; the newest run of a year is its result (runs are kept)."""

    year = models.PositiveSmallIntegerField(_("考核年度"))
    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.PROTECT, related_name="runs",
                               verbose_name=_("评分办法"))
    computed_at = models.DateTimeField(_("计算时间"))
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("计算人"))
    indicator_period = models.CharField(_("指标数据期"), max_length=8, blank=True)  # the quarter read (Q4)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["-year", "-computed_at", "-id"]
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")

    def __str__(self) -> str:
        return f"{self.year} v{self.scheme.version} {self.computed_at:%Y-%m-%d %H:%M}"


class AssessmentScore(models.Model):
    """A city's or a zone's score in one run: total, grade, and the breakdown with its evidence rows."""

    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="scores")
    org_unit = models.ForeignKey("plans.OrgUnit", on_delete=models.PROTECT, related_name="+")
    unit_code = models.CharField(_("单位代码"), max_length=64)
    unit_name = models.CharField(_("单位"), max_length=200)
    kind = models.CharField(_("类型"), max_length=10)  # city / zone
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    own_total = models.DecimalField(_("本级得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    zones_total = models.DecimalField(_("所辖园区得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("等次"), max_length=10, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    breakdown = models.JSONField(_("分项得分与依据"), default=list)  # per component, with its evidence rows

    class Meta:
        ordering = ["run", "order"]
        verbose_name = _("单位得分")
        verbose_name_plural = _("单位得分")
        constraints = [models.UniqueConstraint(fields=["run", "org_unit"], name="assessmentscore_unique")]

    def __str__(self) -> str:
        return f"{self.unit_name} {self.total} {self.grade}"
