"""The innovation survey (创新调查): a round per year, its drawn sample, one response per sampled enterprise.

Answers are confidential enterprise data: read only by the enterprise, its zone's staff and 省创新办
(``Action.READ_CONFIDENTIAL`` on the enterprise's unit).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from lanbai.common.models import TimeStampedModel


class SurveyRound(TimeStampedModel):
    """The survey of one year: the design used (as data), the questionnaire version, the seed, when drawn."""

    year = models.PositiveSmallIntegerField(_("调查年度"), unique=True)
    design = models.JSONField(_("抽样设计"))
    questionnaire_version = models.CharField(_("问卷版本"), max_length=80)
    seed = models.BigIntegerField(_("随机种子"))
    is_simulated = models.BooleanField(_("模拟数据"), default=False)
    frame_size = models.PositiveIntegerField(_("抽样框企业数"), default=0)
    drawn_at = models.DateTimeField(_("抽样时间"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("抽样人"),
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("调查轮次")
        verbose_name_plural = _("调查轮次")

    def __str__(self) -> str:
        return f"{self.year} {self.questionnaire_version}"


class SampleUnit(models.Model):
    """A sampled enterprise of a round, with its stratum, the stratum's population and its inclusion probability."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="units")
    enterprise = models.ForeignKey("plans.OrgUnit", on_delete=models.PROTECT, related_name="+")
    zone = models.ForeignKey("plans.OrgUnit", on_delete=models.PROTECT, related_name="+")
    stratum = models.CharField(_("层"), max_length=80)
    employees = models.PositiveIntegerField(_("从业人员"), default=0)
    population = models.PositiveIntegerField(_("层总体企业数"))  # N_h
    sample_size = models.PositiveIntegerField(_("层样本量"))  # n_h
    inclusion_probability = models.FloatField(_("入样概率"))
    take_all = models.BooleanField(_("全面调查层"), default=False)

    class Meta:
        ordering = ["round", "stratum", "enterprise__code"]
        verbose_name = _("样本企业")
        verbose_name_plural = _("样本企业")
        constraints = [models.UniqueConstraint(fields=["round", "enterprise"], name="sampleunit_unique")]

    def __str__(self) -> str:
        return f"{self.round.year} {self.stratum} {self.enterprise_id}"

    @property
    def credit_code(self) -> str:
        """The enterprise's 统一社会信用代码 (the URLs and sheets name it), else its unit code."""
        try:
            return str(self.enterprise.enterprise.credit_code)  # the registry's record of this unit
        except ObjectDoesNotExist:  # a unit without a registry record
            return str(self.enterprise.code)


class ResponseState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")


class Response(TimeStampedModel):
    """One sampled enterprise's answers (validated by the questionnaire); a draft until submitted."""

    unit = models.OneToOneField(SampleUnit, on_delete=models.CASCADE, related_name="response")
    answers = models.JSONField(_("答卷"), default=dict)
    state = models.CharField(
        _("状态"), max_length=10, choices=ResponseState.choices, default=ResponseState.DRAFT
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("调查答卷")
        verbose_name_plural = _("调查答卷")

    def __str__(self) -> str:
        return f"{self.unit} {self.state}"
