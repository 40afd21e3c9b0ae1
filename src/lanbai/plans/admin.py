from django.contrib import admin

from .models import Indicator, OrgUnit, OrgUnitLink, PlanRecord, PlanVersion, Target


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "start_year", "end_year", "updated_at")


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "valid_from", "valid_to", "source")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(OrgUnitLink)
class OrgUnitLinkAdmin(admin.ModelAdmin):
    list_display = ("unit", "parent", "valid_from", "valid_to")


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "unit", "direction", "source")
    search_fields = ("code", "name")


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("indicator", "org_unit", "kind", "category", "year", "value", "comparator", "approx", "source")
    list_filter = ("kind", "source")


@admin.register(PlanRecord)
class PlanRecordAdmin(admin.ModelAdmin):
    list_display = ("section", "key", "source")
    list_filter = ("section",)
