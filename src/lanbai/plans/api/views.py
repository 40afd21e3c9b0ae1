"""Read-only API of the plan (public: the plan is a published document).

URLs and bodies as DRF's router gave them: ``org-units/`` and ``org-units/<code>/``, ``indicators/`` and
``indicators/<code>/``, ``targets/`` (``?indicator=&org_unit=&kind=&source=``) and ``targets/<pk>/``.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from lanbai.common.exceptions import NotFoundError

from .. import selectors
from .serializers import IndicatorSerializer, OrgUnitSerializer, TargetSerializer


class _PublicApi(APIView):
    permission_classes = [permissions.AllowAny]


def _found(lookup, key, **kwargs):
    """The object ``lookup`` finds, or DRF's own 404 (the body the router's views gave)."""
    try:
        return lookup(key, **kwargs)
    except NotFoundError:
        raise NotFound() from None


class OrgUnitListApi(_PublicApi):
    OutputSerializer = OrgUnitSerializer

    @extend_schema(responses=OrgUnitSerializer(many=True))
    def get(self, request):
        units = selectors.orgunit_list_public(plan=selectors.plan_current())
        return Response(self.OutputSerializer(units, many=True).data)


class OrgUnitDetailApi(_PublicApi):
    OutputSerializer = OrgUnitSerializer

    @extend_schema(responses=OrgUnitSerializer)
    def get(self, request, code: str):
        unit = _found(selectors.orgunit_get_by_code, code, plan=selectors.plan_current())
        return Response(self.OutputSerializer(unit).data)


class IndicatorListApi(_PublicApi):
    OutputSerializer = IndicatorSerializer

    @extend_schema(responses=IndicatorSerializer(many=True))
    def get(self, request):
        indicators = selectors.indicator_list_public(plan=selectors.plan_current())
        return Response(self.OutputSerializer(indicators, many=True).data)


class IndicatorDetailApi(_PublicApi):
    OutputSerializer = IndicatorSerializer

    @extend_schema(responses=IndicatorSerializer)
    def get(self, request, code: str):
        indicator = _found(selectors.indicator_get_by_code, code, plan=selectors.plan_current())
        return Response(self.OutputSerializer(indicator).data)


class TargetListApi(_PublicApi):
    OutputSerializer = TargetSerializer

    class InputSerializer(serializers.Serializer):
        indicator = serializers.CharField(required=False, allow_blank=True, default="")
        org_unit = serializers.CharField(required=False, allow_blank=True, default="")
        kind = serializers.CharField(required=False, allow_blank=True, default="")
        # a field named "source": drf-stubs take it for Field.source (the attribute path of every field)
        source = serializers.CharField(required=False, allow_blank=True, default="")  # type: ignore[assignment]

    @extend_schema(parameters=[InputSerializer], responses=TargetSerializer(many=True))
    def get(self, request):
        q = self.InputSerializer(data=request.query_params)
        q.is_valid(raise_exception=True)
        targets = selectors.target_list(plan=selectors.plan_current(), **q.validated_data)
        return Response(self.OutputSerializer(targets, many=True).data)


class TargetDetailApi(_PublicApi):
    OutputSerializer = TargetSerializer

    @extend_schema(responses=TargetSerializer)
    def get(self, request, pk: str):
        target = _found(selectors.target_get, pk, plan=selectors.plan_current())
        return Response(self.OutputSerializer(target).data)
