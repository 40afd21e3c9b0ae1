"""Reporting units, uploads kept raw, submissions with versions, late-reporting permissions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lanbai.common.models import TextJSONField, TimeStampedModel

from ..choices import Channel, LateRequestStatus, Status, UploadOutcome


class Enterprise(TimeStampedModel):
    """An enterprise that reports (企业季报).  Its place in the tree is its ``org_unit`` (kind enterprise)."""

    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("企业名称"), max_length=200)
    org_unit = models.OneToOneField("plans.OrgUnit", on_delete=models.PROTECT, related_name="enterprise")
    zone = models.ForeignKey("plans.OrgUnit", on_delete=models.PROTECT, related_name="zone_enterprises")
    industry = models.CharField(_("行业"), max_length=60, blank=True)
    category = models.CharField(_("产业分类"), max_length=20, blank=True)
    is_simulated = models.BooleanField(_("模拟数据"), default=False)
    registered_on = models.DateField(_("入区日期"), null=True, blank=True)
    left_on = models.DateField(_("退出日期"), null=True, blank=True)

    class Meta:
        ordering = ["credit_code"]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")

    def __str__(self) -> str:
        return f"{self.name}（{self.credit_code}）"


class Upload(models.Model):
    """A file (or API/web payload) exactly as received, stored before it is parsed."""

    filename = models.CharField(_("文件名"), max_length=255)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    content = models.BinaryField(
        _("原始内容")
    )  # PostgreSQL: STORAGE EXTERNAL (migration 0002): xlsx is zipped
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("字节数"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="uploads"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    outcome = models.CharField(
        _("结果"), max_length=12, choices=UploadOutcome.choices, default=UploadOutcome.RECEIVED
    )
    form_code = models.CharField(_("表号"), max_length=40, blank=True)
    period = models.CharField(_("报告期"), max_length=8, blank=True)
    problems = models.JSONField(_("问题清单"), default=list, blank=True)
    message = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("上传文件")
        verbose_name_plural = _("上传文件")

    def __str__(self) -> str:
        return f"{self.filename} ({self.uploaded_at:%Y-%m-%d %H:%M})"


class Submission(TimeStampedModel):
    """A report of one form by one reporting unit for one period, with its review status."""

    form_code = models.CharField(_("表号"), max_length=40)
    # Indexes: a 100,000-row import writes every index of every row, so only the ones queries use
    # exist.  The unique (org_unit, period, form_code) serves lookups by unit; the pointers to versions
    # and users are followed from this row, never searched.
    #
    # Loose foreign keys (db_constraint=False, as GitLab's "loose foreign keys" and Sentry's
    # FlexibleForeignKey do for high-volume tables): PostgreSQL checks a foreign key row by row,
    # locking the referenced row (a WAL record each) — 0.5–0.95 s per key per 100,000 reports imported
    # or approved, measured; with four keys that was more than reading the whole file.  Integrity holds
    # by construction and is verified: a report and its versions are one aggregate written only by the
    # service layer, together, in one transaction; org units, reports, versions and uploads are never
    # deleted (on_delete=PROTECT in the ORM, no delete path); an import takes its org units from
    # Enterprise rows, whose own key to the org unit is a real constraint.
    # ``selectors.dangling_references()`` counts any reference that does not resolve (tests assert 0).
    org_unit = models.ForeignKey(
        "plans.OrgUnit",
        on_delete=models.PROTECT,
        related_name="submissions",
        db_index=False,
        db_constraint=False,
    )
    period = models.CharField(_("报告期"), max_length=8)  # 2018Q2
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    # pointers into this report's own versions: loose foreign keys (see org_unit)
    current_version = models.ForeignKey(
        "collection.SubmissionVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    approved_version = models.ForeignKey(
        "collection.SubmissionVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("the version that 省创新办 approved last; monitoring reads it"),
        db_index=False,
        db_constraint=False,
    )
    lock_version = models.PositiveIntegerField(_("版本号（并发控制）"), default=0)
    submitted_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    approved_at = models.DateTimeField(_("审核通过时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True)
    is_simulated = models.BooleanField(_("模拟数据"), default=False)

    class Meta:
        ordering = ["period", "form_code", "org_unit"]
        verbose_name = _("报表")
        verbose_name_plural = _("报表")
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "period", "form_code"], name="submission_unique_unit_period"
            )
        ]
        # partial: the queries by status look for reports under review or approved, never drafts, and a
        # 100,000-row import of drafts then adds nothing to this index (one key for all of them)
        indexes = [
            models.Index(
                fields=["period", "status"], condition=~models.Q(status="draft"), name="submission_in_review"
            ),
            # the figures' freshness key (latest approval, latest change: selectors.submission_freshness)
            # is read on every dashboard request; without these it was a scan of every report (33 ms at
            # 28,000 reports on SQLite, called a dozen times per page set)
            models.Index(
                fields=["-approved_at"], condition=models.Q(approved_at__isnull=False), name="submission_approved_at"
            ),
            models.Index(fields=["-updated_at"], name="submission_updated_at"),
        ]

    def __str__(self) -> str:
        return f"{self.form_code} {self.org_unit} {self.period} [{self.get_status_display()}]"


class SubmissionVersion(models.Model):
    """One version of a submission's figures; a corrected re-submission adds a version, never overwrites."""

    # indexed by the unique (submission, number); a loose foreign key (see Submission.org_unit)
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="versions", db_index=False, db_constraint=False
    )
    number = models.PositiveIntegerField(_("版本"))
    # Provenance (which upload, who): loose foreign keys (see Submission.org_unit) without an index —
    # every row of an import names the same upload and user, and a btree of one key costs ~0.3 s per
    # 100,000 rows; users are deactivated, never deleted.
    upload = models.ForeignKey(
        Upload,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="versions",
        db_index=False,
        db_constraint=False,
    )
    # field code -> value (numbers as strings of decimals); json, not jsonb, on PostgreSQL (see TextJSONField)
    values = TextJSONField(_("填报数值"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["submission", "number"]
        verbose_name = _("报表版本")
        verbose_name_plural = _("报表版本")
        constraints = [models.UniqueConstraint(fields=["submission", "number"], name="version_unique_number")]

    def __str__(self) -> str:
        return f"{self.submission} v{self.number}"


class LockException(models.Model):
    """省创新办 allows a unit to report into a locked period until a date."""

    org_unit = models.ForeignKey("plans.OrgUnit", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("报告期"), max_length=8)
    until = models.DateTimeField(_("截止时间"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(_("原因"))

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("逾期填报许可")
        verbose_name_plural = _("逾期填报许可")

    def __str__(self) -> str:
        return f"{self.org_unit} {self.period} → {self.until:%Y-%m-%d}"


class SoftRuleWarning(models.Model):
    """A soft rule (核实性审核) that a version breaks: kept with the version, explained before 上报.

    ``rule_key`` is the form's rule code (``revenue_yoy``); ``bound`` the limit broken (``±50%``, an
    expression); ``explanation`` the reporter's written reason, required by ``submission_submit``.
    """

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="soft_warnings")
    version = models.ForeignKey(SubmissionVersion, on_delete=models.PROTECT, related_name="soft_warnings")
    rule_key = models.CharField(_("规则"), max_length=60)
    rule = models.CharField(_("规则类型"), max_length=40)  # the problem's rule code (yoy.change …)
    field = models.CharField(_("字段"), max_length=60, blank=True)
    value = models.CharField(_("填报值"), max_length=200, blank=True)
    bound = models.CharField(_("限度"), max_length=200, blank=True)
    message_zh = models.TextField(_("提示"))
    message_en = models.TextField(blank=True)
    explanation = models.TextField(_("说明"), blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    explained_at = models.DateTimeField(_("说明时间"), null=True, blank=True)

    class Meta:
        ordering = ["version", "rule_key", "id"]
        verbose_name = _("核实性审核提示")
        verbose_name_plural = _("核实性审核提示")

    def __str__(self) -> str:
        return f"{self.version} {self.rule_key}"


class LateRequest(models.Model):
    """申请逾期填报: a zone asks the 省创新办 to open a locked period; a grant is a LockException."""

    org_unit = models.ForeignKey("plans.OrgUnit", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("报告期"), max_length=8)
    form_code = models.CharField(_("表号"), max_length=40, blank=True)
    reason = models.TextField(_("申请理由"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=LateRequestStatus.choices, default=LateRequestStatus.PENDING
    )
    grant = models.ForeignKey(
        LockException, on_delete=models.PROTECT, null=True, blank=True, related_name="requests"
    )

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("逾期填报申请")
        verbose_name_plural = _("逾期填报申请")

    def __str__(self) -> str:
        return f"{self.org_unit} {self.period} [{self.get_status_display()}]"
