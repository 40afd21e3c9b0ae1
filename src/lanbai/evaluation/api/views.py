"""REST API of third-party evaluation (login required; scoped through the selectors and services)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services
from ..models import Assignment


class AssignmentListApi(APIView):
    """The assignments the user sees (省创新办: all; an evaluator: its organisations' live ones)."""

    class InputSerializer(serializers.Serializer):
        year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)

    def get(self, request):
        q = self.InputSerializer(data=request.query_params)
        q.is_valid(raise_exception=True)
        reports = {r.assignment_id: r for r in selectors.reports_for(request.user)}
        return Response(
            [
                {
                    "id": a.id,
                    "organisation": a.organisation.name,
                    "year": a.year,
                    "units": sorted(u.code for u in a.units.all()),
                    "measures": sorted(m.code for m in a.measures.all()),
                    "retired": a.retired,
                    "report_state": reports[a.id].state if a.id in reports else None,
                }
                for a in selectors.assignments_for(request.user, year=q.validated_data.get("year"))
            ]
        )


class ReportSubmitApi(APIView):
    """A member submits the assignment's report; answers its state."""

    class InputSerializer(serializers.Serializer):
        pass

    def post(self, request, pk: int):
        self.InputSerializer(data=request.data).is_valid(raise_exception=True)
        a = get_object_or_404(Assignment, pk=pk)
        report = services.report_submit(request.user, a)
        return Response({"id": report.id, "state": report.state, "submissions": report.submissions})
