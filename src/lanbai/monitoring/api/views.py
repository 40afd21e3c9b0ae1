"""Monitoring REST API: the same rows as ``lanbai monitor`` (computed on read from approved figures)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from lanbai.access.policy import Action, can
from lanbai.common.exceptions import PermissionDeniedError
from lanbai.common.periods import QuarterSerializerField
from lanbai.core.progress import METHODS

from .. import diagnosis as diag
from ..selectors import (
    figure_unit_codes,
    indicator_series,
    monitoring_table,
    preview_scope,
    reviewable_unit_codes,
)
from . import serializers as s

PREVIEW_DENIED = "只有省创新办或园区审核员可以预览未审核数据 / only reviewers may preview unapproved figures"


def _query(request, serializer_class) -> dict:
    q = serializer_class(data=request.query_params)
    q.is_valid(raise_exception=True)
    return dict(q.validated_data)


def _check_preview(request, q: dict) -> None:
    """Refuse ``preview`` to non-reviewers, then narrow it to the units the user reviews."""
    if q.get("preview") and not can(request.user, Action.PREVIEW):
        raise PermissionDeniedError(PREVIEW_DENIED)
    q["preview"] = preview_scope(request.user, bool(q.get("preview")))
    q["unit_codes"] = figure_unit_codes(request.user)


class MonitoringResultsApi(APIView):
    permission_classes = [permissions.IsAuthenticated]
    OutputSerializer = s.MonitoringRowSerializer

    class InputSerializer(serializers.Serializer):
        period = QuarterSerializerField()
        unit = serializers.CharField(required=False, allow_blank=True)
        method = serializers.ChoiceField(choices=METHODS, default="path")
        preview = serializers.BooleanField(default=False)

    @extend_schema(parameters=[InputSerializer], responses=s.MonitoringRowSerializer(many=True))
    def get(self, request):
        """Every indicator of a period (one unit or all): value, unit, target, expected value, status, rule."""
        q = _query(request, self.InputSerializer)
        _check_preview(request, q)
        rows = monitoring_table(
            period=q["period"], unit=q.get("unit") or None, method=q["method"], preview=q["preview"],
            unit_codes=q["unit_codes"],
        )
        return Response(self.OutputSerializer([r.as_dict() for r in rows], many=True).data)


class IndicatorSeriesApi(APIView):
    permission_classes = [permissions.IsAuthenticated]
    OutputSerializer = s.MonitoringRowSerializer

    class InputSerializer(serializers.Serializer):
        indicator = serializers.CharField()
        unit = serializers.CharField(required=False, allow_blank=True)
        method = serializers.ChoiceField(choices=METHODS, default="path")
        preview = serializers.BooleanField(default=False)

    @extend_schema(parameters=[InputSerializer], responses=s.MonitoringRowSerializer(many=True))
    def get(self, request):
        """One indicator over every period with figures (value against its expected path)."""
        q = _query(request, self.InputSerializer)
        _check_preview(request, q)
        rows = indicator_series(
            indicator=q["indicator"], unit=q.get("unit") or None, method=q["method"], preview=q["preview"],
            unit_codes=q["unit_codes"],
        )
        return Response(self.OutputSerializer([r.as_dict() for r in rows], many=True).data)


class DiagnosisApi(APIView):
    permission_classes = [permissions.IsAuthenticated]
    OutputSerializer = s.DiagnosisSerializer

    class InputSerializer(MonitoringResultsApi.InputSerializer):
        indicator = serializers.CharField()

    @extend_schema(parameters=[InputSerializer], responses=s.DiagnosisSerializer)
    def get(self, request):
        """Contributions of member zones and of inputs (numerator / denominator) to an indicator's gap."""
        q = _query(request, self.InputSerializer)
        _check_preview(request, q)
        res = diag.diagnosis(
            period=q["period"],
            indicator=q["indicator"],
            unit=q.get("unit") or None,
            method=q["method"],
            preview=q["preview"],
            unit_codes=q["unit_codes"],
        )
        return Response(self.OutputSerializer(res).data)


class OutlierListApi(APIView):
    permission_classes = [permissions.IsAuthenticated]
    OutputSerializer = s.OutlierSerializer

    class InputSerializer(serializers.Serializer):
        period = QuarterSerializerField()
        form = serializers.CharField(required=False, allow_blank=True)
        method = serializers.ChoiceField(choices=["mad", "sd"], default="mad")
        k = serializers.FloatField(default=3.0, min_value=0.5, max_value=10)
        preview = serializers.BooleanField(default=True)
        all = serializers.BooleanField(default=False)

    @extend_schema(parameters=[InputSerializer], responses=s.OutlierSerializer(many=True))
    def get(self, request):
        """Reviewers' list: reported figures breaking a robust z-score or their unit's min–max range."""
        q = _query(request, self.InputSerializer)
        if not can(request.user, Action.PREVIEW):
            raise PermissionDeniedError("只有省创新办或园区审核员可以查看异常值清单 / reviewers only")
        rows = diag.outlier_list(
            period=q["period"],
            form=q.get("form") or None,
            unit_codes=reviewable_unit_codes(request.user),
            preview=q["preview"],
            method=q["method"],
            k=q["k"],
            flagged_only=not q["all"],
        )
        return Response(self.OutputSerializer(rows, many=True).data)
