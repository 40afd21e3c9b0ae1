"""Development index API: computed on read from approved figures (any signed-in role)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from lanbai.common.exceptions import ApplicationError

from ..models import IndexRun
from ..selectors import IndexUnavailable, index_results
from . import serializers as s


class ResultsView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[s.ResultsQuery], responses=s.IndexResultsSerializer)
    def get(self, request):
        """Each zone's index for a year (2014 = 100), rank and Monte Carlo rank band; the series to that year."""
        q = s.ResultsQuery(data=request.query_params)
        q.is_valid(raise_exception=True)
        try:
            res = index_results(
                q.validated_data["year"], runs=q.validated_data["runs"], seed=q.validated_data["seed"]
            )
        except (IndexUnavailable, LookupError) as exc:
            raise ApplicationError(str(exc.args[0] if exc.args else exc)) from None
        return Response(s.IndexResultsSerializer(res).data)


class RunsView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=s.IndexRunSerializer(many=True))
    def get(self, request):
        """Stored index runs (``lanbai index compute --year Y --save``), newest first; ``?year=`` filters."""
        qs = IndexRun.objects.all()
        year = request.query_params.get("year")
        if year:
            if not year.isdigit():
                raise ApplicationError("year 应为整数 / year must be an integer")
            qs = qs.filter(year=int(year))
        return Response(s.IndexRunSerializer(qs[:50], many=True).data)
