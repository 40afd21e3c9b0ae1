"""Choice sets of the collection app (UI terms as in domain.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# One word per report status on every page (工作台, report page, queue, entry, API): the labels of
# :class:`Status` are these words, and the 工作台 compares them untranslated as stable keys.
STATUS_WORDS: dict[str | None, str] = {
    None: gettext_noop("未填报"),  # no report yet
    "draft": gettext_noop("草稿"),
    "submitted": gettext_noop("已上报"),
    "zone_approved": gettext_noop("园区已审核"),
    "approved": gettext_noop("已审核"),
    "returned": gettext_noop("已退回"),
}


class Status(models.TextChoices):
    DRAFT = "draft", _(STATUS_WORDS["draft"])
    SUBMITTED = "submitted", _(STATUS_WORDS["submitted"])
    ZONE_APPROVED = "zone_approved", _(STATUS_WORDS["zone_approved"])
    APPROVED = "approved", _(STATUS_WORDS["approved"])
    RETURNED = "returned", _(STATUS_WORDS["returned"])


class Channel(models.TextChoices):
    XLSX = "xlsx", _("Excel 模板")
    CSV = "csv", _("CSV")
    API = "api", _("接口（JSON）")
    WEB = "web", _("网页填报")


class UploadOutcome(models.TextChoices):
    RECEIVED = "received", _("已接收（待解析）")
    ACCEPTED = "accepted", _("已导入")
    REFUSED = "refused", _("已拒绝")
    DUPLICATE = "duplicate", _("重复上传（未改变）")
    VALIDATED = "validated", _("已校验（试运行，未保存）")


class LateRequestStatus(models.TextChoices):
    PENDING = "pending", _("待批准")
    GRANTED = "granted", _("已准予")
    DECLINED = "declined", _("未准予")
