"""Stored index computations in the admin: read only (written by ``index_run_save``, cited by reports)."""

from django.contrib import admin

from .models import IndexRun


@admin.register(IndexRun)
class IndexRunAdmin(admin.ModelAdmin):
    list_display = ["framework_code", "year", "runs", "seed", "computed_at", "computed_by", "framework_hash"]
    list_filter = ["framework_code", "year"]

    # a stored run is the evidence a published report cites: changing it by hand would falsify that
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
