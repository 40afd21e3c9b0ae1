"""Choice sets of the collection app (UI terms as in domain.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    ZONE_APPROVED = "zone_approved", _("园区已审核")
    APPROVED = "approved", _("已审核")
    RETURNED = "returned", _("已退回")


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
