"""Roles of the platform's users (UI terms as in domain.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ENTERPRISE_REPORTER = "enterprise_reporter", _("企业填报员")
    ZONE_REPORTER = "zone_reporter", _("园区填报员")
    ZONE_REVIEWER = "zone_reviewer", _("园区审核员")
    PROVINCE = "province", _("省创新办")
    CITY = "city", _("市创新办")
    EVALUATOR = "evaluator", _("第三方评估")
    CONTRACT_REGISTRAR = "contract_registrar", _("技术合同登记机构")
