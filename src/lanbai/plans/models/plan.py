"""The plan version, its indicators and targets, and every other plan record."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lanbai.common.models import TimeStampedModel


class PlanVersion(TimeStampedModel):
    """A plan loaded from its data directory (``lanbai init``)."""

    code = models.CharField(_("代码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    start_year = models.PositiveIntegerField(_("起始年"))
    end_year = models.PositiveIntegerField(_("终止年"))
    baseline_year = models.PositiveIntegerField(_("基期年"))
    content_hash = models.CharField(_("数据摘要"), max_length=64)
    meta = models.JSONField(default=dict)
    # The validated plan (``Plan.model_dump(mode="json")``) and its index framework (YAML text), stored
    # at load time so that nothing reads the plan directory at run time.  Empty in a database loaded
    # before they existed until ``lanbai init`` runs again.
    document = models.JSONField(default=dict, blank=True)
    index_framework = models.TextField(_("指数框架"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("规划")
        verbose_name_plural = _("规划")

    def __str__(self) -> str:
        return self.name


class Indicator(TimeStampedModel):
    """An indicator of the plan (name as written in the plan)."""

    class Direction(models.TextChoices):
        INCREASE = "increase", _("越高越好")
        DECREASE = "decrease", _("越低越好")

    plan = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="indicators")
    code = models.CharField(_("代码"), max_length=64)
    name = models.CharField(_("指标名称"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    aliases = models.JSONField(_("别名"), default=list, blank=True)
    unit = models.CharField(_("计量单位"), max_length=40)
    direction = models.CharField(_("方向"), max_length=10, choices=Direction.choices)
    kind = models.CharField(_("类别"), max_length=20)
    definition = models.TextField(_("定义"), blank=True)
    source = models.CharField(_("出处"), max_length=40)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="indicator_unique_code_per_plan")]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


class Target(TimeStampedModel):
    """A numeric target of the plan with its source (专栏/附件/section)."""

    class Kind(models.TextChoices):
        TARGET = "target", _("目标值")
        ANNUAL = "annual", _("年度目标")
        PERIOD_TOTAL = "period_total", _("期间合计")
        PHASE = "phase", _("阶段目标")

    plan = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="targets")
    key = models.CharField(max_length=200)  # stable identity for idempotent loading
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets")
    org_unit = models.ForeignKey("plans.OrgUnit", on_delete=models.PROTECT, related_name="targets")
    label = models.CharField(_("指标名称（原文）"), max_length=200, blank=True)
    category = models.CharField(_("产业分类"), max_length=20, blank=True)
    year = models.PositiveIntegerField(_("年份"), null=True, blank=True)
    from_year = models.PositiveIntegerField(_("起始年"), null=True, blank=True)
    value = models.DecimalField(_("目标值"), max_digits=20, decimal_places=6)
    comparator = models.CharField(_("比较"), max_length=2, default="=")
    approx = models.BooleanField(_("约数（左右）"), default=False)
    baseline_year = models.PositiveIntegerField(_("基期年"), null=True, blank=True)
    baseline_value = models.DecimalField(_("基期值"), max_digits=20, decimal_places=6, null=True, blank=True)
    stated_growth_pct = models.DecimalField(_("年均增长（%）"), max_digits=10, decimal_places=4, null=True, blank=True)
    source = models.CharField(_("出处"), max_length=40)

    class Meta:
        ordering = ["indicator__order", "org_unit__order", "year"]
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="target_unique_key_per_plan")]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.indicator} {self.year}: {self.value}"


class PlanRecord(TimeStampedModel):
    """Any other record of the plan (measures, programmes, annexes …), kept as validated JSON."""

    plan = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="records")
    section = models.CharField(_("部分"), max_length=40)
    key = models.CharField(_("键"), max_length=120)
    data = models.JSONField()
    source = models.CharField(_("出处"), max_length=40, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["section", "order"]
        verbose_name = _("规划条目")
        verbose_name_plural = _("规划条目")
        constraints = [
            models.UniqueConstraint(fields=["plan", "section", "key"], name="planrecord_unique_key_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.section}:{self.key}"
