"""Profiles the registry rules read: an enterprise, a person or an institution.

Every field is optional: a missing figure is ``None`` and makes the rules that need it *not
decidable* (naming the field), never a silent 0.  Amounts are in 万元, shares in %, durations in
years.  Profiles are immutable and refuse unknown fields.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..collection.creditcode import is_valid as _is_valid_credit_code

EmployerKind = Literal["university", "research_institute", "public_institution", "enterprise", "other"]
StudentStatus = Literal["full_time_enrolled", "enrolled", "graduated", "none"]
InstitutionKind = Literal[
    "university",
    "research_institute",
    "public_institution",
    "incubator",
    "accelerator",
    "tech_bank_branch",
    "tech_investment_institution",
    "other",
]
IncubatorLevel = Literal["national", "provincial", "none"]

NonNegative = Field(default=None, ge=0)


class _Profile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str  # overridden with a Literal in each profile


class EnterpriseProfile(_Profile):
    """An enterprise as the recognition rules (附件7) and the enterprise policies (附件8) see it."""

    kind: Literal["enterprise"] = "enterprise"
    credit_code: str | None = None  # 统一社会信用代码 (GB 32100-2015)
    name: str | None = None
    zone: str | None = None  # org unit code (lzxq, lzgx, lzjj, bygx) or None
    registered_in_zone: bool | None = None  # 兰白试验区境内注册登记
    is_independent_legal_person: bool | None = None  # 独立法人企业
    revenue_wan: float | None = NonNegative  # 年销售收入
    profit_tax_rate_pct: float | None = None  # 年销售利税率; else computed from profit_wan + tax_wan
    profit_wan: float | None = None
    tax_wan: float | None = NonNegative
    main_business_kind: str | None = None  # 软件开发, 技术开发, 技术服务, 技术转移, 创意经营, or another
    rd_staff: int | None = NonNegative  # 研发人员
    rd_staff_senior_or_master: int | None = NonNegative  # of which 高级职称或硕士学历以上
    has_rd_institution: bool | None = None  # 设有研发机构
    rd_expenditure_wan: float | None = NonNegative  # 研究开发投入
    valid_patents: int | None = NonNegative  # 有效专利 (all kinds)
    valid_invention_patents: int | None = NonNegative  # 有效发明专利
    new_drug_certificates: int | None = NonNegative  # 新药证书
    software_copyrights: int | None = NonNegative  # 软件登记
    trademarks: int | None = NonNegative  # 注册商标
    plant_varieties: int | None = NonNegative  # 植物新品种登记
    origin_protections: int | None = NonNegative  # 原产地保护产品
    quality_certified: bool | None = None  # 通过企业质量管理体系认证
    # 附件8 fields
    meets_super_deduction_conditions: bool | None = None
    super_deduction_claimed: bool | None = None
    rd_expense_date: dt.date | None = None
    incubated_years: float | None = NonNegative  # 在孵化器内驻研年限
    paid_taxes_within_2_years: bool | None = None

    @field_validator("credit_code")
    @classmethod
    def _credit_code(cls, value: str | None) -> str | None:
        if value is not None and not _is_valid_credit_code(value):
            raise ValueError(f"credit_code {value!r} is not a valid 统一社会信用代码 (GB 32100-2015)")
        return value

    @model_validator(mode="after")
    def _subsets(self) -> EnterpriseProfile:
        pairs = [
            ("rd_staff_senior_or_master", "rd_staff"),
            ("valid_invention_patents", "valid_patents"),
        ]
        for part, whole in pairs:
            p, w = getattr(self, part), getattr(self, whole)
            if p is not None and w is not None and p > w:
                raise ValueError(f"{part} ({p}) cannot exceed {whole} ({w})")
        return self


class PersonProfile(_Profile):
    """A person (talent, researcher, technician, student) as the policies of 附件8 see them."""

    kind: Literal["person"] = "person"
    name: str | None = None
    is_introduced_talent: bool | None = None  # 引进人才
    has_convertible_achievement: bool | None = None  # judgement in art. 6
    has_promising_research_project: bool | None = None  # judgement in art. 6
    is_urgent_high_level_talent: bool | None = None  # 急需紧缺高层次专业技术人才
    contract_years: float | None = NonNegative  # 劳动合同年限
    employer_kind: EmployerKind | None = None
    part_time_in_zone_enterprise: bool | None = None
    completed_unit_assessment: bool | None = None
    is_professional_technician: bool | None = None  # 专业技术人员
    has_service_achievement_transfer: bool | None = None  # 职务成果转化或出售
    achievement_transfer_income_wan: float | None = NonNegative  # 成果转化和出售收入
    student_status: StudentStatus | None = None
    years_since_graduation: float | None = NonNegative
    starts_business_in_zone_incubator: bool | None = None
    founds_tech_sme_in_zone: bool | None = None  # 在试验区开办/创办科技型中小企业
    original_unit_consent: bool | None = None
    tripartite_agreement_signed: bool | None = None
    founder_investment_wan: float | None = NonNegative  # 技术人员出资额度
    angel_invests_in_student_tech_sme: bool | None = None
    angel_investment_wan: float | None = NonNegative  # 天使投资额度


class InstitutionProfile(_Profile):
    """A university, institute, incubator, bank branch … as the policies of 附件8 see it."""

    kind: Literal["institution"] = "institution"
    name: str | None = None
    institution_kind: InstitutionKind | None = None
    located_in_zone: bool | None = None
    years_since_approval: float | None = NonNegative  # 自批准设立起年数
    incubator_level: IncubatorLevel | None = None  # 认定的国家级 / 省级科技孵化器
    built_per_plan: bool | None = None
    achievement_transfer_income_wan: float | None = NonNegative


Profile = EnterpriseProfile | PersonProfile | InstitutionProfile
PROFILE_MODELS: dict[str, type[_Profile]] = {
    "enterprise": EnterpriseProfile,
    "person": PersonProfile,
    "institution": InstitutionProfile,
}
