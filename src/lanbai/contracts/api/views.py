"""Contracts API: the register, one endpoint per transition, and the 成交额 reconciliation.

APIViews named ``<Entity><Action>Api``: parse the input, call one service or selector, render.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from lanbai.common.periods import QuarterSerializerField

from .. import selectors, services
from . import serializers as s


def _detail(request, contract) -> dict[str, Any]:
    data = dict(s.ContractOutputSerializer(contract).data)
    data["history"] = s.HistoryOutputSerializer(selectors.contract_history(contract), many=True).data
    data["actions"] = selectors.contract_actions(user=request.user, contract=contract)
    return data


class ContractListApi(APIView):
    """GET: the register as the user may see it (filters); POST: file a draft (the seller)."""

    class InputSerializer(serializers.Serializer):
        status = serializers.CharField(required=False, allow_blank=True, default="")
        contract_type = serializers.CharField(required=False, allow_blank=True, default="")
        zone = serializers.CharField(required=False, allow_blank=True, default="")
        year = serializers.IntegerField(required=False, allow_null=True, default=None)

    def get(self, request):
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = selectors.contract_list(user=request.user, **params.validated_data)
        return Response(s.ContractOutputSerializer(rows, many=True).data)

    def post(self, request):
        body = s.ContractInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        contract = services.contract_create(user=request.user, data=dict(body.validated_data))
        return Response(_detail(request, contract), status=201)


class ContractDetailApi(APIView):
    def get(self, request, pk: int):
        return Response(_detail(request, selectors.contract_get(user=request.user, pk=pk)))


class _ContractTransitionApi(APIView):
    """POST: one transition of the contract (the body: the service's arguments)."""

    input_class: ClassVar[type[serializers.Serializer]] = s.ReasonInputSerializer

    def call(self, user, contract, data: dict[str, Any]):  # pragma: no cover - overridden
        raise NotImplementedError

    def post(self, request, pk: int):
        contract = selectors.contract_get(user=request.user, pk=pk)
        body = self.input_class(data=request.data)
        body.is_valid(raise_exception=True)
        contract = self.call(request.user, contract, dict(body.validated_data))
        return Response(_detail(request, contract))


class ContractSubmitApi(_ContractTransitionApi):
    def call(self, user, contract, data):
        return services.contract_submit(user=user, contract=contract)


class ContractAcceptApi(_ContractTransitionApi):
    def call(self, user, contract, data):
        return services.contract_accept(user=user, contract=contract)


class ContractReturnApi(_ContractTransitionApi):
    def call(self, user, contract, data):
        return services.contract_return(user=user, contract=contract, reason=data["reason"])


class ContractRegisterApi(_ContractTransitionApi):
    class InputSerializer(serializers.Serializer):
        equipment_cost = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
        materials_cost = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
        other_non_tech_cost = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)

    input_class = InputSerializer

    def call(self, user, contract, data):
        return services.contract_register(user=user, contract=contract, costs=data or None)


class ContractRefuseApi(_ContractTransitionApi):
    input_class = s.RefuseInputSerializer

    def call(self, user, contract, data):
        return services.contract_refuse(user=user, contract=contract, ground=data["ground"], reason=data["reason"])


class ContractAmendApi(_ContractTransitionApi):
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(required=False, allow_blank=True, default="")
        changes = serializers.DictField()

    input_class = InputSerializer

    def call(self, user, contract, data):
        return services.contract_amend(user=user, contract=contract, changes=data["changes"], reason=data["reason"])


class ContractRevokeApi(_ContractTransitionApi):
    def call(self, user, contract, data):
        return services.contract_revoke(user=user, contract=contract, reason=data["reason"])


class ContractTurnoverApi(APIView):
    """GET ?period=2019Q4: per zone the registered 成交额 / 技术交易额 / 吸纳 beside the reported figure."""

    class InputSerializer(serializers.Serializer):
        period = QuarterSerializerField()

    def get(self, request):
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = selectors.turnover(period=params.validated_data["period"], user=request.user)
        return Response(s.TurnoverOutputSerializer(rows, many=True).data)
