"""Read-mostly admin of the collection app (writes go through services and the pages)."""

from django.contrib import admin

from .models import (
    ApprovedFigure,
    Enterprise,
    LateRequest,
    LockException,
    Notification,
    SoftRuleWarning,
    Submission,
    SubmissionVersion,
    Upload,
)


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["credit_code", "name", "zone", "is_simulated"]
    list_filter = ["zone", "is_simulated"]
    search_fields = ["credit_code", "name"]


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = ["filename", "channel", "outcome", "uploaded_by", "uploaded_at", "size"]
    list_filter = ["outcome", "channel"]
    exclude = ["content"]
    readonly_fields = [
        "filename",
        "channel",
        "sha256",
        "size",
        "uploaded_by",
        "outcome",
        "form_code",
        "period",
        "problems",
        "message",
    ]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["form_code", "org_unit", "period", "status", "lock_version", "is_simulated"]
    list_filter = ["status", "form_code", "period"]


@admin.register(SubmissionVersion)
class SubmissionVersionAdmin(admin.ModelAdmin):
    list_display = ["submission", "number", "created_by", "created_at"]


@admin.register(LockException)
class LockExceptionAdmin(admin.ModelAdmin):
    list_display = ["org_unit", "period", "until", "granted_by"]


@admin.register(SoftRuleWarning)
class SoftRuleWarningAdmin(admin.ModelAdmin):
    list_display = ["submission", "version", "rule_key", "field", "bound", "explained_by", "explained_at"]
    list_filter = ["rule_key"]


@admin.register(LateRequest)
class LateRequestAdmin(admin.ModelAdmin):
    list_display = ["org_unit", "period", "form_code", "status", "requested_by", "requested_at", "grant"]
    list_filter = ["status", "period"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "form_code", "org_unit", "period", "sender", "created_at", "emailed"]
    list_filter = ["kind", "form_code", "period"]


@admin.register(ApprovedFigure)
class ApprovedFigureAdmin(admin.ModelAdmin):
    """Derived data (written with each final approval): read only."""

    list_display = ["org_unit", "period", "form_code", "field", "value", "value_text", "version_number"]
    list_filter = ["period", "form_code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
