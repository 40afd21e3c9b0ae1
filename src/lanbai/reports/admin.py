"""Numbered releases in the admin: read only (built, published and corrected by the reports services)."""

from django.contrib import admin

from .models import Release


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "period", "title", "status", "issued_at", "approved_count", "pending_count"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["number", "title"]

    # a published release is a public record: a correction is a new release (``release_correct``), not an edit
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
