"""创新券 API: scheme list, application create, report. APIViews named ``<Entity><Action>Api``."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services


def _wan(value) -> str:
    return f"{value:.4f}"


class SchemeListApi(APIView):
    """GET: schemes with budget, committed and remaining (万元); staff only."""

    def get(self, request):
        return Response(
            [
                {
                    "code": s.code,
                    "name": s.name,
                    "year": s.year,
                    "budget_wan": _wan(s.budget),
                    "committed_wan": _wan(s.committed),
                    "remaining_wan": _wan(s.remaining),
                }
                for s in selectors.scheme_list(user=request.user)
            ]
        )


class ApplicationCreateApi(APIView):
    """POST: the enterprise applies for itself."""

    class InputSerializer(serializers.Serializer):
        scheme = serializers.CharField()  # scheme code
        credit_code = serializers.CharField()
        price = serializers.DecimalField(max_digits=14, decimal_places=4)
        requested = serializers.DecimalField(max_digits=14, decimal_places=4)
        service = serializers.CharField()
        provider_code = serializers.CharField()

    def post(self, request):
        body = self.InputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        ent = selectors.own_enterprises(user=request.user, credit_code=d["credit_code"]).first()
        scheme = selectors.scheme_by_code(d["scheme"])
        if ent is None or scheme is None:
            raise NotFound("没有这个企业或券种，或您无权为其申领")
        app = services.application_submit(
            user=request.user,
            scheme_id=scheme.pk,
            enterprise=ent,
            price=d["price"],
            requested=d["requested"],
            service=d["service"],
            provider_code=d["provider_code"],
        )
        return Response(
            {"id": app.pk, "state": app.state, "state_label": app.get_state_display()}, status=201
        )


class VoucherReportApi(APIView):
    """GET ?year=: issued / used / redeemed / expired per zone and scheme (万元); staff only."""

    class InputSerializer(serializers.Serializer):
        year = serializers.IntegerField(required=False, allow_null=True, default=None)

    def get(self, request):
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = selectors.report(user=request.user, year=params.validated_data["year"])
        return Response(
            [{k: _wan(v) if hasattr(v, "quantize") else v for k, v in row.items()} for row in rows]
        )
