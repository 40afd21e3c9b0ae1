from django.contrib import admin

from .models import AssessmentRun, AssessmentScheme, AssessmentScore


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(admin.ModelAdmin):
    list_display = ("version", "name", "content_hash", "created_at")
    readonly_fields = ("version", "name", "content_hash", "document", "source_file")


class AssessmentScoreInline(admin.TabularInline):
    model = AssessmentScore
    fields = ("unit_name", "kind", "total", "own_total", "zones_total", "grade")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(AssessmentRun)
class AssessmentRunAdmin(admin.ModelAdmin):
    list_display = ("year", "scheme", "computed_at", "computed_by", "indicator_period")
    list_filter = ("year",)
    readonly_fields = ("year", "scheme", "computed_at", "computed_by", "indicator_period", "note")
    inlines = [AssessmentScoreInline]
