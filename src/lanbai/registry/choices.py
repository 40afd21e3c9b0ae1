from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    MUNICIPAL = "municipal", _("市级")
    OTHER = "other", _("其他")


class PlatformKind(models.TextChoices):
    """Kinds of R&D platform as the columns of 附件6 name them."""

    KEY_LAB_ST = "key_lab_st", _("重点实验室（科技）")
    ENG_TECH_CENTER = "eng_tech_center", _("工程技术研究中心（科技）")
    KEY_LAB_EDU = "key_lab_edu", _("重点实验室（教育）")
    COLLAB_2011 = "collab_2011", _("2011协同中心")
    ENG_INSTITUTE = "eng_institute", _("工程研究院（发改委）")
    ENG_RESEARCH_CENTER = "eng_research_center", _("工程研究中心（发改委）")
    ENG_LAB = "eng_lab", _("工程实验室（发改委）")
    ENTERPRISE_TECH_CENTER = "enterprise_tech_center", _("技术中心（工信委）")
    INDUSTRIAL_DESIGN_CENTER = "industrial_design_center", _("工业设计中心（工信委）")
    OTHER = "other", _("其他")


class IncubatorKind(models.TextChoices):
    INCUBATOR = "incubator", _("科技企业孵化器")
    MAKER_SPACE = "maker_space", _("众创空间")
    ACCELERATOR = "accelerator", _("加速器")
    UNIVERSITY_PARK = "university_park", _("大学科技园")
