"""Serializers of the contracts API: inputs are plain serializers, outputs list their fields."""

from __future__ import annotations

from rest_framework import serializers

from ..choices import ContractType, RefusalGround


class ContractInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    contract_type = serializers.ChoiceField(choices=ContractType.choices)
    signed_on = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True)
    seller_name = serializers.CharField(max_length=200)
    seller_credit_code = serializers.CharField(max_length=18)
    seller_region = serializers.CharField(max_length=6)
    seller_zone = serializers.CharField()
    buyer_name = serializers.CharField(max_length=200)
    buyer_credit_code = serializers.CharField(max_length=18)
    buyer_region = serializers.CharField(max_length=6)
    buyer_zone = serializers.CharField(required=False, allow_blank=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    equipment_cost = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    materials_cost = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    other_non_tech_cost = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    supplement_of = serializers.CharField(required=False, allow_blank=True)


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class RefuseInputSerializer(serializers.Serializer):
    ground = serializers.ChoiceField(choices=RefusalGround.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ContractOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    registration_number = serializers.CharField(allow_null=True)
    title = serializers.CharField()
    contract_type = serializers.CharField()
    status = serializers.CharField()
    signed_on = serializers.DateField()
    seller_name = serializers.CharField()
    seller_credit_code = serializers.CharField()
    seller_region = serializers.CharField()
    seller_zone = serializers.CharField(source="seller_zone.code")
    buyer_name = serializers.CharField()
    buyer_credit_code = serializers.CharField()
    buyer_region = serializers.CharField()
    buyer_zone = serializers.CharField(source="buyer_zone.code", allow_null=True, default=None)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    tech_amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    equipment_cost = serializers.DecimalField(max_digits=14, decimal_places=2)
    materials_cost = serializers.DecimalField(max_digits=14, decimal_places=2)
    other_non_tech_cost = serializers.DecimalField(max_digits=14, decimal_places=2)
    supplement_of = serializers.IntegerField(source="supplement_of_id", allow_null=True)
    accepted_on = serializers.DateField(allow_null=True)
    registered_on = serializers.DateField(allow_null=True)
    refusal_ground = serializers.CharField()
    is_simulated = serializers.BooleanField()


class HistoryOutputSerializer(serializers.Serializer):
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    user = serializers.CharField(source="user.username", allow_null=True, default=None)
    at = serializers.DateTimeField()
    reason = serializers.CharField()


class TurnoverOutputSerializer(serializers.Serializer):
    zone = serializers.CharField()
    zone_name = serializers.CharField()
    period = serializers.CharField()
    contracts = serializers.IntegerField()
    turnover = serializers.DecimalField(max_digits=16, decimal_places=2)
    tech_turnover = serializers.DecimalField(max_digits=16, decimal_places=2)
    absorbed = serializers.DecimalField(max_digits=16, decimal_places=2)
    turnover_yi = serializers.DecimalField(max_digits=16, decimal_places=4)
    reported = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    difference = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
