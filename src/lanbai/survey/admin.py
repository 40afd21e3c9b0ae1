from django.contrib import admin

from .models import SampleUnit, SurveyRound


@admin.register(SurveyRound)
class SurveyRoundAdmin(admin.ModelAdmin):
    list_display = ("year", "questionnaire_version", "seed", "frame_size", "drawn_at")
    readonly_fields = (
        "year",
        "design",
        "questionnaire_version",
        "seed",
        "frame_size",
        "drawn_at",
        "drawn_by",
    )


@admin.register(SampleUnit)
class SampleUnitAdmin(admin.ModelAdmin):
    # answers are confidential enterprise data: not shown in the admin
    list_display = ("round", "stratum", "enterprise", "population", "sample_size", "take_all")
    list_filter = ("round__year", "take_all")
    readonly_fields = (
        "round",
        "enterprise",
        "zone",
        "stratum",
        "employees",
        "population",
        "sample_size",
        "inclusion_probability",
        "take_all",
    )
