"""Development index API: computed on read from approved figures (any signed-in role)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ..selectors import index_results, index_run_list
from . import serializers as s


class IndexResultsApi(APIView):
    permission_classes = [permissions.IsAuthenticated]
    OutputSerializer = s.IndexResultsSerializer

    class InputSerializer(serializers.Serializer):
        year = serializers.IntegerField(min_value=2014, max_value=2100)
        runs = serializers.IntegerField(default=200, min_value=0, max_value=5000)
        seed = serializers.IntegerField(default=0)

    @extend_schema(parameters=[InputSerializer], responses=s.IndexResultsSerializer)
    def get(self, request):
        """Each zone's index for a year (2014 = 100), rank and Monte Carlo rank band; the series to that year."""
        q = self.InputSerializer(data=request.query_params)
        q.is_valid(raise_exception=True)
        res = index_results(q.validated_data["year"], runs=q.validated_data["runs"], seed=q.validated_data["seed"])
        return Response(self.OutputSerializer(res).data)


class IndexRunListApi(APIView):
    permission_classes = [permissions.IsAuthenticated]
    OutputSerializer = s.IndexRunSerializer

    class InputSerializer(serializers.Serializer):
        year = serializers.CharField(required=False, allow_blank=True)

    @extend_schema(responses=s.IndexRunSerializer(many=True))
    def get(self, request):
        """Stored index runs (``lanbai index compute --year Y --save``), newest first; ``?year=`` filters."""
        q = self.InputSerializer(data=request.query_params)
        q.is_valid(raise_exception=True)
        runs = index_run_list(year=q.validated_data.get("year") or None)
        return Response(self.OutputSerializer(runs, many=True).data)
