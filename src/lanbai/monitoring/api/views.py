"""Monitoring REST API: the same rows as ``lanbai monitor`` (computed on read from approved figures)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from lanbai.access.policy import Action, can
from lanbai.common.exceptions import PermissionDeniedError

from .. import diagnosis as diag
from ..selectors import indicator_series, monitoring_table, reviewable_unit_codes
from . import serializers as s

PREVIEW_DENIED = "只有省创新办或园区审核员可以预览未审核数据 / only reviewers may preview unapproved figures"


def _query(request, serializer_class) -> dict:
    q = serializer_class(data=request.query_params)
    q.is_valid(raise_exception=True)
    return dict(q.validated_data)


def _check_preview(request, q: dict) -> None:
    if q.get("preview") and not can(request.user, Action.PREVIEW):
        raise PermissionDeniedError(PREVIEW_DENIED)


class MonitoringResultsApi(APIView):
    permission_classes = [permissions.IsAuthenticated]
    InputSerializer = s.ResultsQuery
    OutputSerializer = s.MonitoringRowSerializer

    @extend_schema(parameters=[s.ResultsQuery], responses=s.MonitoringRowSerializer(many=True))
    def get(self, request):
        """Every indicator of a period (one unit or all): value, unit, target, expected value, status, rule."""
        q = _query(request, self.InputSerializer)
        _check_preview(request, q)
        rows = monitoring_table(
            period=q["period"], unit=q.get("unit") or None, method=q["method"], preview=q["preview"]
        )
        return Response(self.OutputSerializer([r.as_dict() for r in rows], many=True).data)


class IndicatorSeriesApi(APIView):
    permission_classes = [permissions.IsAuthenticated]
    InputSerializer = s.SeriesQuery
    OutputSerializer = s.MonitoringRowSerializer

    @extend_schema(parameters=[s.SeriesQuery], responses=s.MonitoringRowSerializer(many=True))
    def get(self, request):
        """One indicator over every period with figures (value against its expected path)."""
        q = _query(request, self.InputSerializer)
        _check_preview(request, q)
        rows = indicator_series(
            indicator=q["indicator"], unit=q.get("unit") or None, method=q["method"], preview=q["preview"]
        )
        return Response(self.OutputSerializer([r.as_dict() for r in rows], many=True).data)


class DiagnosisApi(APIView):
    permission_classes = [permissions.IsAuthenticated]
    InputSerializer = s.DiagnosisQuery
    OutputSerializer = s.DiagnosisSerializer

    @extend_schema(parameters=[s.DiagnosisQuery], responses=s.DiagnosisSerializer)
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
        )
        return Response(self.OutputSerializer(res).data)


class OutlierListApi(APIView):
    permission_classes = [permissions.IsAuthenticated]
    InputSerializer = s.OutliersQuery
    OutputSerializer = s.OutlierSerializer

    @extend_schema(parameters=[s.OutliersQuery], responses=s.OutlierSerializer(many=True))
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
