"""The organisation tree in the database, effective-dated."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lanbai.common.models import TimeStampedModel


class OrgUnitKind(models.TextChoices):
    PILOT_ZONE = "pilot_zone", _("试验区")
    CITY = "city", _("市")
    ZONE = "zone", _("园区（区块）")
    CORE_AREA = "core_area", _("核心创新区")
    PARK = "park", _("分园")
    AGGREGATE = "aggregate", _("合计")
    ENTERPRISE = "enterprise", _("企业")


class OrgUnit(TimeStampedModel):
    """A unit of the organisation tree (pilot zone, city, zone, core area, park, aggregate)."""

    plan = models.ForeignKey("plans.PlanVersion", on_delete=models.PROTECT, related_name="org_units")
    code = models.CharField(_("代码"), max_length=64)
    name = models.CharField(_("名称"), max_length=200)
    short_name = models.CharField(_("简称"), max_length=100, blank=True)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=OrgUnitKind.choices)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    admin_code = models.CharField(_("行政区划代码"), max_length=12, blank=True)
    area_km2 = models.DecimalField(_("面积（平方公里）"), max_digits=12, decimal_places=2, null=True, blank=True)
    leading_industries = models.JSONField(_("主导产业"), default=list, blank=True)
    members = models.JSONField(_("成员（合计单位）"), default=list, blank=True)
    data = models.JSONField(_("规划数据"), default=dict, blank=True)
    source = models.CharField(_("出处"), max_length=40)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("组织单元")
        verbose_name_plural = _("组织单元")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="orgunit_unique_code_per_plan")]

    def __str__(self) -> str:
        return self.name


class OrgUnitLink(models.Model):
    """The parent of a unit over a span of time; a restructuring adds a link, never rewrites one."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="parent_links")
    parent = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="child_links")
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)

    class Meta:
        ordering = ["unit", "valid_from"]
        verbose_name = _("上级关系")
        verbose_name_plural = _("上级关系")
        constraints = [
            models.UniqueConstraint(fields=["unit", "parent", "valid_from"], name="orgunitlink_unique_span")
        ]

    def __str__(self) -> str:
        return f"{self.unit} → {self.parent} ({self.valid_from}–{self.valid_to or ''})"
