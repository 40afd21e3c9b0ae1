"""Instruments API: the public catalogue, booking creation, the annual sharing table.

APIViews named ``<Entity><Action>Api``: parse the input, call one service or selector, render.
"""

from __future__ import annotations

from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from lanbai.common.exceptions import NotFoundError, ValidationFailed
from lanbai.core.instruments import format_ratio

from .. import selectors, services


class InstrumentOutputSerializer(serializers.Serializer):
    """Catalogue fields only (the national platform's public register)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    model_number = serializers.CharField()
    classification_code = serializers.CharField()
    location = serializers.CharField()
    owner_unit = serializers.CharField(source="owner_unit.name")
    sharing_mode = serializers.CharField()
    fee_basis = serializers.CharField()
    fee_rate = serializers.DecimalField(max_digits=14, decimal_places=2)
    fee_minimum = serializers.DecimalField(max_digits=14, decimal_places=2)
    status = serializers.CharField()
    is_simulated = serializers.BooleanField()


class InstrumentListApi(APIView):
    """GET: the public catalogue of large research instruments."""

    permission_classes = [permissions.AllowAny]

    def get(self, request):
        return Response(InstrumentOutputSerializer(selectors.instrument_list(), many=True).data)


class BookingCreateApi(APIView):
    """POST: book an instrument for one of the user's units (409 when the slot overlaps)."""

    class InputSerializer(serializers.Serializer):
        instrument = serializers.IntegerField()
        requester_unit = serializers.IntegerField()
        start = serializers.DateTimeField()
        end = serializers.DateTimeField()
        kind = serializers.ChoiceField(choices=services.BOOKING_KINDS, default="机时")
        samples = serializers.IntegerField(min_value=0, default=0)
        purpose = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)

    def post(self, request):
        body = self.InputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = dict(body.validated_data)
        inst = selectors.instrument_get(pk=d.pop("instrument"))
        unit = next(
            (u for u in selectors.bookable_units(user=request.user) if u.pk == d["requester_unit"]), None
        )
        if unit is None:
            raise NotFoundError(f"预约单位（requester_unit）#{d['requester_unit']} 不是本人所属单位")
        d.pop("requester_unit")
        b = services.booking_create(user=request.user, instrument=inst, requester_unit=unit, **d)
        return Response(
            {
                "id": b.pk,
                "instrument": inst.pk,
                "state": b.state,
                "start": b.start.isoformat(),
                "end": b.end.isoformat(),
            },
            status=201,
        )


class SharingTableApi(APIView):
    """GET ?year=: 有效工作机时, 对外服务机时 (hours) and 共享率 per instrument the user may read."""

    class InputSerializer(serializers.Serializer):
        year = serializers.IntegerField(min_value=2000, max_value=2100)

    def get(self, request):
        params = self.InputSerializer(data=request.query_params)
        if not params.is_valid():
            raise ValidationFailed("年度（year）：必填，四位数字", field="year")
        rows = selectors.sharing_table(user=request.user, year=params.validated_data["year"])
        return Response([r | {"sharing_rate_text": format_ratio(r["sharing_rate"])} for r in rows])
