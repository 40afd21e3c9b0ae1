"""Serializers of the collection API (Input/Output pairs live beside each view; these are shared)."""

from __future__ import annotations

from rest_framework import serializers

from ..models import Submission, SubmissionVersion


class SubmissionOutputSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="org_unit.code")
    unit_name = serializers.CharField(source="org_unit.name")
    status_label = serializers.CharField(source="get_status_display")
    current_version = serializers.IntegerField(source="current_version.number", default=None)
    approved_version = serializers.IntegerField(source="approved_version.number", default=None)

    class Meta:
        model = Submission
        fields = [
            "id",
            "form_code",
            "unit",
            "unit_name",
            "period",
            "status",
            "status_label",
            "lock_version",
            "current_version",
            "approved_version",
            "submitted_at",
            "approved_at",
            "return_reason",
            "is_simulated",
        ]


class VersionOutputSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", default=None)
    upload = serializers.CharField(source="upload.filename", default=None)

    class Meta:
        model = SubmissionVersion
        fields = ["number", "values", "created_by", "created_at", "upload", "note"]


class AuditOutputSerializer(serializers.Serializer):
    """An entry of :func:`lanbai.collection.selectors.audit_for`."""

    at = serializers.DateTimeField()
    user = serializers.CharField(source="user.username", default=None)
    action = serializers.CharField()
    field = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()
    reason = serializers.CharField()


class ProblemOutputSerializer(serializers.Serializer):
    file = serializers.CharField()
    sheet = serializers.CharField(allow_null=True)
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_null=True)
    field = serializers.CharField(allow_null=True)
    rule = serializers.CharField()
    value = serializers.CharField(allow_null=True)
    message_zh = serializers.CharField()
    message_en = serializers.CharField()
