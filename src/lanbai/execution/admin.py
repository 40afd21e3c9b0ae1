from django.contrib import admin

from .models import (
    Evidence,
    Feedback,
    Measure,
    Milestone,
    ProgressRelease,
    ProgressReport,
    ReleasedProgress,
    ResponsibleUnit,
)


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


class ReleasedProgressInline(admin.TabularInline):
    model = ReleasedProgress
    extra = 0
    can_delete = False
    readonly_fields = ("measure", "report", "report_period", "status", "pct")


@admin.register(ProgressRelease)
class ProgressReleaseAdmin(admin.ModelAdmin):
    """Read-only: a release is made by the 省创新办 on /measures/releases/ and never changes."""

    list_display = ("period", "plan", "released_at", "released_by")
    inlines = [ReleasedProgressInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("measure", "unit", "created_at", "handled_at")
    list_filter = ("unit",)
    readonly_fields = ("measure", "unit", "name", "contact", "message", "ip", "handled_at", "handled_by")
