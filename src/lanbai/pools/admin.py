from django.contrib import admin

from .models import Project, Talent


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("title", "unit", "stage", "cluster")


@admin.register(Talent)
class TalentAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "id_masked")
    exclude = ("id_fingerprint",)
