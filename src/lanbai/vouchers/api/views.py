"""创新券 API: scheme list, application create, report, a use for an instrument booking, a redemption claim with
its documents. APIViews named ``<Entity><Action>Api``."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from lanbai.common.exceptions import ValidationFailed
from lanbai.common.uploads import upload_refusal

from .. import selectors, services
from ..models import ClaimDocument


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


class VoucherUseInstrumentApi(APIView):
    """POST: pay one of the holder's instrument bookings with the voucher ``number`` (``voucher_use_instrument``:
    the same checks — the holder's own booking, a registered provider, the balance and the fee rule)."""

    class InputSerializer(serializers.Serializer):
        booking = serializers.IntegerField()
        amount = serializers.DecimalField(max_digits=14, decimal_places=4, required=False, allow_null=True)

    def post(self, request, number: str):
        v = selectors.voucher_list(user=request.user).filter(number=number).first()
        if v is None:
            raise NotFound("没有这张创新券，或您无权查看")
        body = self.InputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        booking = selectors.holder_booking(user=request.user, voucher=v, pk=d["booking"])
        if booking is None:
            raise ValidationFailed(f"booking：预约 #{d['booking']} 不是持券企业本单位的预约", field="booking")
        use = services.voucher_use_instrument(user=request.user, voucher=v, booking=booking, amount=d.get("amount"))
        return Response(
            {
                "id": use.pk,
                "voucher": v.number,
                "booking": booking.pk,
                "provider": use.provider_name,
                "provider_code": use.provider_code,
                "amount_wan": _wan(use.amount),
                "used_on": use.used_on.isoformat(),
                "findings": use.findings,
            },
            status=201,
        )


class RedemptionClaimApi(APIView):
    """POST multipart: claim redemption of use ``pk`` with its documents as file fields ``contract``,
    ``invoice``, ``payment``, ``delivery`` (kept raw) and ``claimed_on`` (default today); the scheme's
    redemption model says who files and which documents are required."""

    parser_classes = [MultiPartParser, FormParser]

    def post(self, request, pk: int):
        refused = upload_refusal(request)
        if refused is not None:
            raise refused
        use = selectors.use_for_claim(user=request.user, pk=pk)
        day = request.data.get("claimed_on") or ""
        try:
            on = dt.date.fromisoformat(day) if day else timezone.localdate()
        except ValueError as exc:
            raise ValidationFailed(f"claimed_on：{day!r} 不是有效日期（YYYY-MM-DD）", field="claimed_on") from exc
        docs = [(k, f.name, f.read()) for k in ClaimDocument.Kind.values for f in request.FILES.getlist(k)]
        red = services.redemption_claim(user=request.user, use=use, on=on, documents=docs)
        return Response(
            {
                "id": red.pk,
                "state": red.state,
                "state_label": red.get_state_display(),
                "amount_wan": _wan(red.amount),
                "documents": [
                    {"kind": d.kind, "filename": d.filename, "size": d.size, "sha256": d.sha256}
                    for d in red.documents.all()
                ],
            },
            status=201,
        )
