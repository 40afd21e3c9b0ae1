"""Third-party evaluation (第三方评估, 专栏26): evaluator organisations, their yearly assignments, conflicts.

An :class:`Assignment` is the one source of truth for an evaluator's scope: the services create the
members' ``UserScope(role=evaluator)`` rows from it and retire them with it, so the access policy (which
reads UserScope) needs no second path.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluatorOrganisation(models.Model):
    name = models.CharField(_("评估机构名称"), max_length=200, unique=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    contact = models.CharField(_("联系方式"), max_length=200, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="evaluator_organisations", blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("第三方评估机构")
        verbose_name_plural = _("第三方评估机构")

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    organisation = models.ForeignKey(
        EvaluatorOrganisation, on_delete=models.PROTECT, related_name="assignments"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    units = models.ManyToManyField("plans.OrgUnit", related_name="+", blank=True)
    # plan measures (专栏 items) to evaluate: their approved half-year reports and evidence
    measures = models.ManyToManyField("execution.Measure", related_name="+", blank=True)
    retired = models.BooleanField(_("已撤销"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "organisation"]
        verbose_name = _("评估委托")
        verbose_name_plural = _("评估委托")

    def __str__(self) -> str:
        return f"{self.organisation} · {self.year}"


class ConflictDeclaration(models.Model):
    organisation = models.ForeignKey(
        EvaluatorOrganisation, on_delete=models.PROTECT, related_name="conflicts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # with an organisation unit (a zone, a park, a city) or with a responsible unit (a working group,
    # a 管委会 …: a measure's lead); exactly one of the two
    unit = models.ForeignKey("plans.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    responsible_unit = models.ForeignKey(
        "execution.ResponsibleUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    nature = models.TextField(_("利益冲突情况"))
    declared_at = models.DateTimeField(_("申报时间"), auto_now_add=True)

    class Meta:
        ordering = ["-declared_at"]
        verbose_name = _("利益冲突申报")
        verbose_name_plural = _("利益冲突申报")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False, responsible_unit__isnull=True)
                | models.Q(unit__isnull=True, responsible_unit__isnull=False),
                name="conflict_one_party",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.party}"

    @property
    def party(self) -> str:
        """The name of the unit or responsible unit the conflict is declared with."""
        party = self.unit or self.responsible_unit
        return party.name if party is not None else ""


class EvaluationScheme(models.Model):
    """One version of the evaluation scheme (``plans/<plan>/evaluation/scheme.yaml``), stored as validated.

    A version number names one content: a changed file needs a new number, so reports scored with an
    earlier version keep it.
    """

    version = models.PositiveIntegerField(_("版本"), unique=True)
    name = models.CharField(_("名称"), max_length=200)
    content_hash = models.CharField(_("内容哈希"), max_length=64)
    document = models.JSONField(_("评估指标体系"))
    source_file = models.CharField(_("文件"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version"]
        verbose_name = _("评估指标体系")
        verbose_name_plural = _("评估指标体系")

    def __str__(self) -> str:
        return f"v{self.version} {self.name}"


class EvaluationReport(models.Model):
    """The organisation's report on one assignment: 草稿 → 已提交 → 已接受, or 退回 (with reason) → resubmitted."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        ACCEPTED = "accepted", _("已接受")
        RETURNED = "returned", _("已退回")

    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="report")
    scheme = models.ForeignKey(EvaluationScheme, on_delete=models.PROTECT, related_name="reports")
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.DRAFT)
    return_reason = models.TextField(_("退回理由"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    submissions = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("评估报告")
        verbose_name_plural = _("评估报告")

    def __str__(self) -> str:
        return f"{self.assignment} · {self.get_state_display()}"


class Evaluation(models.Model):
    """One unit's (or one measure's) evaluation in a report: a score per criterion of the scheme's part
    (units: ``criteria``; measures: ``measure_criteria``), the weighted total, comment, findings."""

    report = models.ForeignKey(EvaluationReport, on_delete=models.CASCADE, related_name="evaluations")
    unit = models.ForeignKey("plans.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    measure = models.ForeignKey(
        "execution.Measure", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scores = models.JSONField(_("各指标得分"), default=dict)
    total = models.DecimalField(_("加权总分"), max_digits=6, decimal_places=2)
    comment = models.TextField(_("评语"), blank=True)
    findings = models.TextField(_("评估发现"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit__code", "measure__code"]
        constraints = [
            models.UniqueConstraint(fields=["report", "unit"], name="evaluation_one_per_unit"),
            models.UniqueConstraint(fields=["report", "measure"], name="evaluation_one_per_measure"),
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False, measure__isnull=True)
                | models.Q(unit__isnull=True, measure__isnull=False),
                name="evaluation_unit_or_measure",
            ),
        ]
        verbose_name = _("单位评估")
        verbose_name_plural = _("单位评估")

    def __str__(self) -> str:
        return f"{self.report.assignment} · {self.unit or self.measure}"
