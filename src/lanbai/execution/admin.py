from django.contrib import admin

from .models import Evidence, Measure, Milestone, ProgressReport, ResponsibleUnit


@admin.register(ResponsibleUnit)
class ResponsibleUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "lead_department", "org_unit")
    list_filter = ("kind",)
    filter_horizontal = ("members",)


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "kind", "group", "lead", "source")
    list_filter = ("kind", "group")
    search_fields = ("code", "title", "text")


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ("measure", "year", "unit", "text", "target_value", "simulated")
    list_filter = ("year", "simulated")


class EvidenceInline(admin.TabularInline):
    model = Evidence
    fields = ("filename", "sha256", "size", "uploaded_at")
    readonly_fields = fields
    extra = 0


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ("measure", "unit", "period", "status", "pct", "state", "submitted_at")
    list_filter = ("period", "state", "status")
    inlines = [EvidenceInline]
