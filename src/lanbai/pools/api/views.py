"""Pools API: the project reserve (list, propose) and the talent register (list, masked numbers only).

APIViews named ``<Entity><Action>Api``: parse the input, call one service or selector, render."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from lanbai.access.policy import Action
from lanbai.common.exceptions import ValidationFailed

from .. import selectors, services


class ProjectOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    field = serializers.CharField()
    budget_wan = serializers.DecimalField(max_digits=14, decimal_places=2)
    responsible_person = serializers.CharField()
    expected_outputs = serializers.CharField()
    stage = serializers.CharField()
    stage_label = serializers.CharField(source="get_stage_display")
    cluster = serializers.CharField()


class TalentOutputSerializer(serializers.Serializer):
    """A talent as the API shows it: the masked number only, never the fingerprint."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    gender = serializers.CharField()
    birth_year = serializers.IntegerField(allow_null=True)
    research_fields = serializers.CharField(source="fields")
    title = serializers.CharField()
    id_masked = serializers.CharField()
    consent_version = serializers.CharField()
    consent_at = serializers.DateTimeField(allow_null=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True)


class ProjectListApi(APIView):
    """GET: the reserve as the user may see it (?stage, ?zone, ?cluster); POST: propose a project."""

    class InputSerializer(serializers.Serializer):
        stage = serializers.CharField(required=False, allow_blank=True, default="")
        zone = serializers.CharField(required=False, allow_blank=True, default="")
        cluster = serializers.CharField(required=False, allow_blank=True, default="")

    class ProposeInputSerializer(serializers.Serializer):
        unit = serializers.CharField()
        title = serializers.CharField()
        field = serializers.CharField()
        budget_wan = serializers.DecimalField(max_digits=14, decimal_places=2)
        responsible_person = serializers.CharField()
        expected_outputs = serializers.CharField(required=False, allow_blank=True, default="")
        cluster = serializers.CharField(required=False, allow_blank=True, default="")

    def get(self, request):
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = selectors.project_filtered(user=request.user, **params.validated_data)
        return Response(ProjectOutputSerializer(rows, many=True).data)

    def post(self, request):
        body = self.ProposeInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        unit = (
            selectors.writable_units(user=request.user, action=Action.REPORT)
            .filter(code=data.pop("unit"))
            .first()
        )
        if unit is None:
            raise ValidationFailed("unit：不是您可以申报的单位", field="unit")
        project = services.project_propose(user=request.user, unit=unit, data=data)
        return Response(ProjectOutputSerializer(project).data, status=201)


class TalentListApi(APIView):
    """GET: the talents the user may handle, with the masked 身份证号 only."""

    def get(self, request):
        return Response(TalentOutputSerializer(selectors.talent_list(user=request.user), many=True).data)
