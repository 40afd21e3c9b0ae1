from typing import ClassVar

from django.contrib import admin

from .models import Alliance, Candidate, Cluster, EnterpriseProfile, Incubator, RdPlatform, Recognition

_REGISTERED_LIST = ("name", "zone", "park", "industry", "valid_from", "valid_to", "source", "is_simulated")


class _RegisteredAdmin(admin.ModelAdmin):
    # tuples of any length: the subclasses add their own columns and filters
    list_display: tuple[str, ...] = _REGISTERED_LIST
    list_filter: ClassVar[tuple[str, ...]] = ("zone", "is_simulated", "source")
    search_fields = ("name", "industry")
    date_hierarchy = "valid_from"


@admin.register(RdPlatform)
class RdPlatformAdmin(_RegisteredAdmin):
    list_display = (*_REGISTERED_LIST, "kind", "level")
    list_filter = ("kind", "level", *_RegisteredAdmin.list_filter)


@admin.register(Alliance)
class AllianceAdmin(_RegisteredAdmin):
    list_display = (*_REGISTERED_LIST, "field_name")


@admin.register(Incubator)
class IncubatorAdmin(_RegisteredAdmin):
    list_display = (*_REGISTERED_LIST, "kind", "level")
    list_filter = ("kind", "level", *_RegisteredAdmin.list_filter)


@admin.register(Cluster)
class ClusterAdmin(_RegisteredAdmin):
    list_display = (*_REGISTERED_LIST, "category", "size_band")
    list_filter = ("category", "size_band", *_RegisteredAdmin.list_filter)


@admin.register(EnterpriseProfile)
class EnterpriseProfileAdmin(admin.ModelAdmin):
    list_display = (
        "enterprise",
        "park",
        "main_business_kind",
        "hightech_valid_to",
        "credit_good",
        "policy_fit",
        "candidate_seq",
    )
    list_filter = ("enterprise__zone", "quality_certified", "has_rd_institution", "credit_good", "policy_fit")
    search_fields = ("enterprise__name", "enterprise__credit_code")
    raw_id_fields = ("enterprise",)


@admin.register(Recognition)
class RecognitionAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "kind", "valid_from", "valid_to", "reference")
    list_filter = ("kind", "enterprise__zone")
    search_fields = ("enterprise__name", "enterprise__credit_code", "reference")
    raw_id_fields = ("enterprise",)


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ("seq", "name", "zone", "group", "enterprise")
    list_filter = ("plan", "zone")
    search_fields = ("name",)
    raw_id_fields = ("enterprise",)
