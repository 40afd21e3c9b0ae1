"""Approved figures in analytical form: one row per (unit, period, form, field), kept in step with approvals.

The narrow store monitoring reads instead of re-parsing every approved version's JSON
(docs/scale.md, "The approved-figures store").  It is derived data: the rows of a report are the
fields of its ``approved_version``, rewritten in the same transaction as every final approval or
return (:mod:`lanbai.collection.figures`), so a reader never sees a report approved without its
figures or the reverse.  ``ApprovedFigureChange`` is the change log readers use to update their
caches incrementally (which (unit, period, form) changed since the id they last saw).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApprovedFigure(models.Model):
    """One numeric (``value``) or text (``value_text``) figure of an approved report version."""

    id = models.BigAutoField(primary_key=True)
    # loose foreign keys, as Submission's (see there): integrity holds by construction — only
    # collection.figures writes these rows, in the approval's transaction
    submission = models.ForeignKey(
        "collection.Submission", on_delete=models.DO_NOTHING, related_name="+",
        db_index=False, db_constraint=False,
    )  # fmt: skip
    version = models.ForeignKey(
        "collection.SubmissionVersion", on_delete=models.DO_NOTHING, related_name="+",
        db_index=False, db_constraint=False,
    )  # fmt: skip
    version_number = models.PositiveIntegerField()
    org_unit = models.ForeignKey(
        "plans.OrgUnit", on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )
    period = models.CharField(max_length=8)
    form_code = models.CharField(max_length=40)
    field = models.CharField(max_length=80)
    value = models.FloatField(null=True)
    value_text = models.TextField(null=True)  # noqa: DJ001 - NULL = a numeric figure, as in the core's frames

    class Meta:
        verbose_name = _("已审核数值")
        verbose_name_plural = _("已审核数值")
        indexes = [
            # a period's rows (incremental recompute reads a window of periods) and a report's rows
            # (replacing them on approval: delete by submission)
            models.Index(fields=["period", "org_unit"], name="figure_period_unit"),
            models.Index(fields=["submission"], name="figure_submission"),
            # the catch-up's anti-join: approved versions without rows
            models.Index(fields=["version"], name="figure_version"),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.form_code} {self.field}"


class ApprovedFigureChange(models.Model):
    """A report whose approved figures were rewritten (the readers' change log, an append-only outbox)."""

    id = models.BigAutoField(primary_key=True)
    org_unit = models.ForeignKey(
        "plans.OrgUnit", on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )
    period = models.CharField(max_length=8)
    form_code = models.CharField(max_length=40)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("已审核数值变更")
        verbose_name_plural = _("已审核数值变更")

    def __str__(self) -> str:
        return f"{self.period} {self.form_code} #{self.pk}"
