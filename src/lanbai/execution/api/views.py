"""REST API of plan execution: measures, progress reports, review, the half-year check (login required)."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from lanbai.common.periods import QuarterSerializerField

from .. import selectors, services


class MeasureListApi(APIView):
    class InputSerializer(serializers.Serializer):
        unit = serializers.CharField(required=False)
        status = serializers.CharField(required=False)
        kind = serializers.CharField(required=False)

    def get(self, request):
        q = self.InputSerializer(data=request.query_params)
        q.is_valid(raise_exception=True)
        return Response(selectors.measure_rows(request.user, **q.validated_data))


class MeasureDetailApi(APIView):
    def get(self, request, code: str):
        return Response(selectors.measure_detail_data(request.user, code))


class ProgressReportSaveApi(APIView):
    class InputSerializer(serializers.Serializer):
        unit = serializers.CharField()
        period = QuarterSerializerField()
        status = serializers.CharField()
        pct = serializers.DecimalField(max_digits=5, decimal_places=1, required=False, allow_null=True)
        narrative = serializers.CharField(required=False, allow_blank=True, default="")
        late_reason = serializers.CharField(required=False, allow_blank=True, default="")
        submit = serializers.BooleanField(required=False, default=False)

    def post(self, request, code: str):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        report = services.report_api_save(request.user, code=code, unit_code=d["unit"], period=d["period"],
                                          status=d["status"], pct=d.get("pct"), narrative=d["narrative"],
                                          late_reason=d["late_reason"], submit=d["submit"])
        return Response(selectors.report_row(report), status=201)


class ProgressReportReviewApi(APIView):
    class InputSerializer(serializers.Serializer):
        decision = serializers.ChoiceField(choices=["approve", "return"])
        reason = serializers.CharField(required=False, allow_blank=True, default="")

    def post(self, request, pk: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        report = services.report_review(request.user, pk=pk, approve=d["decision"] == "approve", reason=d["reason"])
        return Response(selectors.report_row(report))


class ProgressReportQueueApi(APIView):
    def get(self, request):
        return Response([selectors.report_row(r) for r in selectors.review_queue(request.user)])


class HalfYearInspectionApi(APIView):
    def get(self, request, period):
        return Response(selectors.half_year_inspection_for(request.user, period))
