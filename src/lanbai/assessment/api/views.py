"""REST API of the annual assessment (login required; scores scoped by the access policy)."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services


class AssessmentResultApi(APIView):
    """The year's result: every unit the user may read, with score, grade, breakdown and evidence."""

    class InputSerializer(serializers.Serializer):
        evidence = serializers.BooleanField(required=False, default=True)

    def get(self, request, year: int):
        q = self.InputSerializer(data=request.query_params)
        q.is_valid(raise_exception=True)
        data = selectors.assessment_for(request.user, year, evidence=q.validated_data["evidence"])
        if data is None:  # not assessed yet: no run, no units
            return Response({"year": year, "assessed": False, "units": []})
        return Response(data | {"assessed": True})


class AssessmentUnitApi(APIView):
    def get(self, request, year: int, code: str):
        return Response(selectors.assessment_unit_for(request.user, year, code))


class AssessmentComputeApi(APIView):
    """Compute the year's assessment (省创新办); answers the new result."""

    class InputSerializer(serializers.Serializer):
        rescore = serializers.BooleanField(required=False, default=False)

    def post(self, request, year: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = services.assessment_compute(request.user, year=year, rescore=data.validated_data["rescore"])
        return Response(selectors.assessment_for(request.user, run.year, evidence=False), status=201)
