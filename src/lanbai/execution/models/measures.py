"""The plan's measures as tracked work: responsible units (专栏31–33), measures, annual milestones."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lanbai.common.models import TimeStampedModel

from ..choices import MeasureKind


class ResponsibleUnit(TimeStampedModel):
    """A body carrying out the plan (领导小组, 省创新办, a working group, a city 创新办, a 管委会 …).

    Its own model, not an organisation unit: the working groups of 专栏32 are no part of the
    organisation tree.  The city offices and zone committees stand for an organisation unit
    (``org_unit``), whose UserScope holders act for them; other units' users are their ``members``.
    """

    plan = models.ForeignKey("plans.PlanVersion", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("代码"), max_length=64)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20)
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children")
    lead_department = models.CharField(_("牵头部门"), max_length=100, blank=True)
    org_unit = models.ForeignKey(
        "plans.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    duties = models.TextField(_("职责"), blank=True)
    source = models.CharField(_("出处"), max_length=40)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="responsible_units", verbose_name=_("成员")
    )

    class Meta:
        ordering = ["plan", "id"]
        verbose_name = _("责任单位")
        verbose_name_plural = _("责任单位")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="responsibleunit_unique")]

    def __str__(self) -> str:
        return self.name


class Measure(TimeStampedModel):
    """One measure: a “3510” action (a programme) or one item of a 专栏, with its responsible units."""

    plan = models.ForeignKey("plans.PlanVersion", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("代码"), max_length=64)
    kind = models.CharField(_("类别"), max_length=10, choices=MeasureKind.choices)
    group = models.CharField(_("分组"), max_length=20)  # 三大计划 / 五大工程 / 十项改革 / 空间布局 …
    programme = models.CharField(_("所属计划/工程/改革"), max_length=64)
    programme_name = models.CharField(_("所属计划/工程/改革名称"), max_length=200)
    action = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="items",
        help_text=_("专栏事项所属的“3510”行动"),
    )
    column = models.PositiveSmallIntegerField(_("专栏"), null=True, blank=True)
    title = models.CharField(_("名称"), max_length=200)
    text = models.TextField(_("内容"))
    targets = models.JSONField(_("规划目标"), default=list, blank=True)
    indicators = models.JSONField(_("衡量指标"), default=list, blank=True)  # indicator codes measuring it
    lead = models.ForeignKey(ResponsibleUnit, on_delete=models.PROTECT, related_name="led_measures")
    co_units = models.ManyToManyField(ResponsibleUnit, blank=True, related_name="co_measures")
    order = models.PositiveIntegerField(default=0)
    source = models.CharField(_("出处"), max_length=40)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("举措")
        verbose_name_plural = _("举措")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="measure_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Milestone(TimeStampedModel):
    """What a unit commits to for a measure in a year (年度工作计划), with a quantity where there is one."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="milestones")
    unit = models.ForeignKey(ResponsibleUnit, on_delete=models.PROTECT, related_name="milestones")
    year = models.PositiveSmallIntegerField(_("年度"))
    text = models.TextField(_("年度目标"))
    target_value = models.DecimalField(_("目标值"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_unit = models.CharField(_("计量单位"), max_length=20, blank=True)
    indicator = models.CharField(_("衡量指标"), max_length=64, blank=True)  # the count that measures it
    simulated = models.BooleanField(_("模拟数据"), default=False)  # invented, not transcribed from the plan

    class Meta:
        ordering = ["measure", "year", "unit"]
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")
        constraints = [
            models.UniqueConstraint(fields=["measure", "unit", "year"], name="milestone_unique")
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.year} {self.text}"
