"""Choices of the technology-contract register (《技术合同认定规则》, 民法典 第二十章)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractType(models.TextChoices):
    """合同类型 with its sub-type; 技术培训 and 技术中介 are registered as 技术服务 (办法 第二条 参照)."""

    DEVELOPMENT_COMMISSIONED = "development_commissioned", _("技术开发（委托开发）")
    DEVELOPMENT_COOPERATIVE = "development_cooperative", _("技术开发（合作开发）")
    TRANSFER = "transfer", _("技术转让")
    LICENSING = "licensing", _("技术许可")
    CONSULTING = "consulting", _("技术咨询")
    SERVICE = "service", _("技术服务")
    TRAINING = "training", _("技术服务（技术培训）")
    INTERMEDIARY = "intermediary", _("技术服务（技术中介）")


# the five categories of the statistics (成交额 by 合同类型)
CATEGORY = {
    ContractType.DEVELOPMENT_COMMISSIONED: "技术开发",
    ContractType.DEVELOPMENT_COOPERATIVE: "技术开发",
    ContractType.TRANSFER: "技术转让",
    ContractType.LICENSING: "技术许可",
    ContractType.CONSULTING: "技术咨询",
    ContractType.SERVICE: "技术服务",
    ContractType.TRAINING: "技术服务",
    ContractType.INTERMEDIARY: "技术服务",
}


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("退回补正")
    ACCEPTED = "accepted", _("已受理（审查认定中）")
    REGISTERED = "registered", _("已登记")
    REFUSED = "refused", _("不予登记")
    REVOKED = "revoked", _("已撤销")


class RefusalGround(models.TextChoices):
    """不予登记 grounds as listed by 《技术合同认定规则》 第六条 (see docs/contracts.md)."""

    INVALID = "invalid", _("无效合同或未生效的合同")
    NOT_TECHNOLOGY = "not_technology", _("非技术合同")
    UNCLEAR = "unclear", _("合同主体、技术标的、价款、报酬以及使用费约定不明确")
    APPROVAL_MISSING = "approval_missing", _("国家规定需要审批的合同未办理审批手续")
    NAME_MISMATCH = "name_mismatch", _("合同名称与权利义务关系不一致且当事人未予补正")
    RESTRICTIVE = "restrictive", _("含有非法垄断技术、妨碍技术进步等不合理限制条款")
    CERTIFICATES = "certificates", _("当事人不出具或所出具的证明文件不符合要求")
    SEALS = "seals", _("印章不齐全或印章与书写名称不一致")
    OTHER = "other", _("其他不应认定登记的")


class HistoryAction(models.TextChoices):
    CREATE = "create", _("填报")
    SUBMIT = "submit", _("提交")
    ACCEPT = "accept", _("受理")
    RETURN = "return", _("退回补正")
    REGISTER = "register", _("认定登记")
    REFUSE = "refuse", _("不予登记")
    AMEND = "amend", _("变更")
    REVOKE = "revoke", _("撤销")
    EDIT = "edit", _("修改")
