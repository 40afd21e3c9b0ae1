"""Choices of the execution app (UI terms of issue 16)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeasureKind(models.TextChoices):
    ACTION = "action", _("“3510”行动")  # one of 三大计划, 五大工程, 十项改革 (a programme of measures)
    ITEM = "item", _("专栏事项")  # one item of a 专栏 (or its opening sentence)


class Progress(models.TextChoices):
    NOT_STARTED = "not_started", _("未启动")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")
    LAGGING = "lagging", _("滞后")
    ADJUSTED = "adjusted", _("调整")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    APPROVED = "approved", _("已审核")
    RETURNED = "returned", _("已退回")
