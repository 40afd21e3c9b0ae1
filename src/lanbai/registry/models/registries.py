"""Registries of the zone's S&T management platform (科聚网): enterprises, platforms, alliances, incubators, clusters.

Every registered object is linked to a zone, optionally a park and an industry, and carries the
dates it is valid for so that counts against the plan's targets can be read for any date (history).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lanbai.common.models import TimeStampedModel

from ..choices import IncubatorKind, Level, PlatformKind


class _Registered(TimeStampedModel):
    name = models.CharField(_("名称"), max_length=200)
    zone = models.ForeignKey(
        "plans.OrgUnit", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    park = models.ForeignKey(
        "plans.OrgUnit", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    industry = models.CharField(_("产业"), max_length=60, blank=True)
    valid_from = models.DateField(_("认定/成立日期"), null=True, blank=True)
    valid_to = models.DateField(_("撤销/终止日期"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=60, blank=True, help_text=_("规划附件或登记来源"))
    is_simulated = models.BooleanField(_("模拟数据"), default=False)
    plan_key = models.CharField(
        _("规划条目键"),
        max_length=160,
        blank=True,
        db_index=True,
        help_text=_("由规划数据生成时的条目键（幂等播种）"),
    )

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EnterpriseProfile(TimeStampedModel):
    """Registry profile of a reporting enterprise (the enterprise itself lives in collection)."""

    enterprise = models.OneToOneField(
        "collection.Enterprise", on_delete=models.CASCADE, related_name="profile"
    )
    park = models.ForeignKey(
        "plans.OrgUnit", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    ownership = models.CharField(_("所有制"), max_length=40, blank=True)
    main_business = models.CharField(_("主营业务"), max_length=200, blank=True)
    main_business_kind = models.CharField(
        _("主营业务类型"),
        max_length=40,
        blank=True,
        help_text=_("如 软件开发、技术开发、技术服务、技术转移、创意经营"),
    )
    hightech_certificate_no = models.CharField(_("高新技术企业证书编号"), max_length=40, blank=True)
    hightech_valid_from = models.DateField(_("高企证书发证日期"), null=True, blank=True)
    hightech_valid_to = models.DateField(_("高企证书有效期至"), null=True, blank=True)
    invention_patents = models.PositiveIntegerField(_("有效发明专利"), null=True, blank=True)
    valid_patents = models.PositiveIntegerField(_("有效专利（全部）"), null=True, blank=True)
    new_drug_certificates = models.PositiveIntegerField(_("新药证书"), null=True, blank=True)
    software_copyrights = models.PositiveIntegerField(_("软件著作权登记"), null=True, blank=True)
    trademarks = models.PositiveIntegerField(_("注册商标"), null=True, blank=True)
    plant_varieties = models.PositiveIntegerField(_("植物新品种"), null=True, blank=True)
    origin_protections = models.PositiveIntegerField(_("原产地保护产品"), null=True, blank=True)
    quality_certified = models.BooleanField(_("通过质量管理体系认证"), null=True, blank=True)
    has_rd_institution = models.BooleanField(_("设有研发机构"), null=True, blank=True)
    staff = models.PositiveIntegerField(_("从业人员"), null=True, blank=True)
    rd_staff = models.PositiveIntegerField(_("研发人员"), null=True, blank=True)
    rd_staff_senior_or_master = models.PositiveIntegerField(
        _("高级职称或硕士以上研发人员"), null=True, blank=True
    )
    independent_legal_person = models.BooleanField(_("独立法人企业"), null=True, blank=True)
    credit_good = models.BooleanField(_("信用良好、近两年无重大问题（审核确认）"), null=True, blank=True)
    policy_fit = models.BooleanField(_("符合产业政策（审核确认）"), null=True, blank=True)
    candidate_seq = models.PositiveIntegerField(_("附件7序号"), null=True, blank=True)

    class Meta:
        ordering = ["enterprise__name"]
        verbose_name = _("企业档案")
        verbose_name_plural = _("企业档案")

    def __str__(self) -> str:
        return str(self.enterprise)


class Recognition(TimeStampedModel):
    """A recognition of an enterprise (创新型企业, 高新技术企业, 知识产权优势企业 …) with dates."""

    class Kind(models.TextChoices):
        INNOVATIVE = "innovative", _("创新型企业")
        HIGH_TECH = "high_tech", _("高新技术企业")
        IP_ADVANTAGE = "ip_advantage", _("知识产权优势企业")

    enterprise = models.ForeignKey(
        "collection.Enterprise", on_delete=models.CASCADE, related_name="recognitions"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    valid_from = models.DateField(_("认定日期"))
    valid_to = models.DateField(_("有效期至"), null=True, blank=True)
    reference = models.CharField(_("文号/证书号"), max_length=80, blank=True)

    class Meta:
        ordering = ["enterprise", "kind", "valid_from"]
        verbose_name = _("企业认定")
        verbose_name_plural = _("企业认定")

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_kind_display()} {self.valid_from}"


class RdPlatform(_Registered):
    """An R&D platform (附件6 kinds: 重点实验室, 工程技术研究中心, 技术中心 …)."""

    kind = models.CharField(_("类型"), max_length=30, choices=PlatformKind.choices)
    level = models.CharField(_("级别"), max_length=12, choices=Level.choices, default=Level.PROVINCIAL)
    host = models.CharField(_("依托单位"), max_length=200, blank=True)

    class Meta(_Registered.Meta):
        verbose_name = _("研发平台")
        verbose_name_plural = _("研发平台")


class Alliance(_Registered):
    """An industrial technology innovation strategic alliance (产业技术创新战略联盟, 附件5)."""

    field_name = models.CharField(_("领域"), max_length=100, blank=True)
    lead = models.CharField(_("牵头单位"), max_length=200, blank=True)

    class Meta(_Registered.Meta):
        verbose_name = _("产业技术创新战略联盟")
        verbose_name_plural = _("产业技术创新战略联盟")


class Incubator(_Registered):
    """A technology business incubator, maker space (众创空间) or accelerator."""

    kind = models.CharField(_("类型"), max_length=20, choices=IncubatorKind.choices)
    level = models.CharField(_("级别"), max_length=12, choices=Level.choices, default=Level.PROVINCIAL)
    area_m2 = models.DecimalField(_("面积（平方米）"), max_digits=12, decimal_places=1, null=True, blank=True)

    class Meta(_Registered.Meta):
        verbose_name = _("孵化载体")
        verbose_name_plural = _("孵化载体")


class Cluster(_Registered):
    """An industrial cluster planned in 附件4 (zone × category × industry, size band)."""

    category = models.CharField(_("产业分类"), max_length=20)
    size_band = models.CharField(_("规模"), max_length=20)
    parks = models.JSONField(_("重点园区"), default=list, blank=True)
    key_enterprises = models.JSONField(_("重点企业"), default=list, blank=True)
    chains = models.JSONField(_("重点产业链条"), default=list, blank=True)
    directions = models.JSONField(_("重点方向"), default=list, blank=True)
    planned_counts = models.JSONField(_("规划集群数（按规模）"), default=dict, blank=True)

    class Meta(_Registered.Meta):
        verbose_name = _("产业集群")
        verbose_name_plural = _("产业集群")


class Candidate(TimeStampedModel):
    """An enterprise of the first candidate list for innovative enterprises (附件7), linked when it reports."""

    plan = models.ForeignKey(
        "plans.PlanVersion", on_delete=models.CASCADE, related_name="registry_candidates"
    )
    seq = models.PositiveIntegerField(_("附件7序号"))
    name = models.CharField(_("企业名称"), max_length=200)
    zone = models.ForeignKey(
        "plans.OrgUnit", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    group = models.CharField(_("名单分组"), max_length=100, blank=True)
    source = models.CharField(_("来源"), max_length=60, blank=True)
    enterprise = models.ForeignKey(
        "collection.Enterprise", on_delete=models.SET_NULL, null=True, blank=True, related_name="candidacies"
    )

    class Meta:
        ordering = ["plan", "seq"]
        verbose_name = _("创新型企业培育备选")
        verbose_name_plural = _("创新型企业培育备选")
        constraints = [models.UniqueConstraint(fields=["plan", "seq"], name="candidate_unique_seq_per_plan")]

    def __str__(self) -> str:
        return f"{self.seq}. {self.name}"
