"""Serializers of the registry API (explicit fields; zones and parks by org-unit code)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework import serializers

from .. import selectors
from ..models import Alliance, Candidate, Cluster, EnterpriseProfile, Incubator, RdPlatform, Recognition

if TYPE_CHECKING:  # the other apps' models are read through their selectors
    from lanbai.collection.models import Enterprise
    from lanbai.plans.models import OrgUnit

_REGISTERED = ["id", "name", "zone", "park", "industry", "valid_from", "valid_to", "source", "is_simulated"]


class _UnitField(serializers.SlugRelatedField):
    """A unit of the plan in force, by code."""

    def __init__(self, **kw):
        super().__init__(slug_field="code", required=False, allow_null=True, **kw)

    def get_queryset(self):
        from lanbai.plans.selectors import orgunit_list, plan_current

        return orgunit_list(plan=plan_current())


class _EnterpriseField(serializers.SlugRelatedField):
    """A registered enterprise, by credit code."""

    def __init__(self, **kw):
        super().__init__(slug_field="credit_code", **kw)

    def get_queryset(self):
        return selectors.enterprise_list()


class _RegisteredSerializer(serializers.ModelSerializer):
    zone = _UnitField()
    park = _UnitField()


class RdPlatformSerializer(_RegisteredSerializer):
    class Meta:
        model = RdPlatform
        fields = [*_REGISTERED, "kind", "level", "host"]


class AllianceSerializer(_RegisteredSerializer):
    class Meta:
        model = Alliance
        fields = [*_REGISTERED, "field_name", "lead"]


class IncubatorSerializer(_RegisteredSerializer):
    class Meta:
        model = Incubator
        fields = [*_REGISTERED, "kind", "level", "area_m2"]


class ClusterSerializer(_RegisteredSerializer):
    class Meta:
        model = Cluster
        fields = [
            *_REGISTERED,
            "category",
            "size_band",
            "parks",
            "key_enterprises",
            "chains",
            "directions",
            "planned_counts",
        ]


class RecognitionSerializer(serializers.ModelSerializer):
    enterprise = _EnterpriseField()

    class Meta:
        model = Recognition
        fields = ["id", "enterprise", "kind", "valid_from", "valid_to", "reference"]


class CandidateSerializer(serializers.ModelSerializer):
    zone: serializers.SlugRelatedField[OrgUnit] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    enterprise: serializers.SlugRelatedField[Enterprise] = serializers.SlugRelatedField(
        slug_field="credit_code", read_only=True
    )

    class Meta:
        model = Candidate
        fields = ["id", "seq", "name", "zone", "group", "source", "enterprise"]


PROFILE_FIELDS = [
    "park",
    "ownership",
    "main_business",
    "main_business_kind",
    "independent_legal_person",
    "hightech_certificate_no",
    "hightech_valid_from",
    "hightech_valid_to",
    "invention_patents",
    "valid_patents",
    "new_drug_certificates",
    "software_copyrights",
    "trademarks",
    "plant_varieties",
    "origin_protections",
    "quality_certified",
    "has_rd_institution",
    "staff",
    "rd_staff",
    "rd_staff_senior_or_master",
    "credit_good",
    "policy_fit",
    "candidate_seq",
]


class EnterpriseProfileSerializer(serializers.ModelSerializer):
    credit_code = serializers.CharField(source="enterprise.credit_code", read_only=True)
    name = serializers.CharField(source="enterprise.name", read_only=True)
    zone = serializers.CharField(source="enterprise.zone.code", read_only=True)
    park = _UnitField()

    class Meta:
        model = EnterpriseProfile
        fields = ["credit_code", "name", "zone", *PROFILE_FIELDS]
