"""Explicit serializers of monitoring results (field by field: the API is a contract)."""

from __future__ import annotations

from rest_framework import serializers

from lanbai.common.periods import QuarterSerializerField
from lanbai.core.progress import METHODS


class ResultsQuery(serializers.Serializer):
    period = QuarterSerializerField()
    unit = serializers.CharField(required=False, allow_blank=True)
    method = serializers.ChoiceField(choices=METHODS, default="path")
    preview = serializers.BooleanField(default=False)


class SeriesQuery(serializers.Serializer):
    indicator = serializers.CharField()
    unit = serializers.CharField(required=False, allow_blank=True)
    method = serializers.ChoiceField(choices=METHODS, default="path")
    preview = serializers.BooleanField(default=False)


class DiagnosisQuery(ResultsQuery):
    indicator = serializers.CharField()


class OutliersQuery(serializers.Serializer):
    period = QuarterSerializerField()
    form = serializers.CharField(required=False, allow_blank=True)
    method = serializers.ChoiceField(choices=["mad", "sd"], default="mad")
    k = serializers.FloatField(default=3.0, min_value=0.5, max_value=10)
    preview = serializers.BooleanField(default=True)
    all = serializers.BooleanField(default=False)


class MonitoringRowSerializer(serializers.Serializer):
    period = serializers.CharField()
    org_unit = serializers.CharField()
    org_unit_name = serializers.CharField()
    indicator = serializers.CharField()
    indicator_name = serializers.CharField()
    unit = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    not_computable_reason = serializers.CharField(allow_null=True)
    yoy_pct = serializers.FloatField(allow_null=True)
    assessed_value = serializers.FloatField(allow_null=True)
    baseline_year = serializers.IntegerField(allow_null=True)
    baseline_value = serializers.FloatField(allow_null=True)
    target_year = serializers.IntegerField(allow_null=True)
    target_value = serializers.FloatField(allow_null=True)
    comparator = serializers.CharField()
    target_source = serializers.CharField(allow_blank=True)
    expected = serializers.FloatField(allow_null=True)
    status = serializers.CharField()
    rule = serializers.CharField()
    method = serializers.CharField()
    ratio = serializers.FloatField(allow_null=True)
    category = serializers.CharField(allow_blank=True)
    preview = serializers.BooleanField()


class ZoneContributionSerializer(serializers.Serializer):
    member = serializers.CharField()
    member_name = serializers.CharField(allow_null=True)
    reported = serializers.BooleanField()
    value = serializers.FloatField(allow_null=True, required=False)
    share = serializers.FloatField(allow_null=True, required=False)
    expected_part = serializers.FloatField(allow_null=True, required=False)
    numerator = serializers.FloatField(allow_null=True, required=False)
    denominator = serializers.FloatField(allow_null=True, required=False)
    ratio = serializers.FloatField(allow_null=True, required=False)
    weight = serializers.FloatField(allow_null=True, required=False)
    contribution = serializers.FloatField()
    share_of_gap = serializers.FloatField(allow_null=True)


class InputSplitSerializer(serializers.Serializer):
    reference_period = serializers.CharField()
    numerator = serializers.CharField()
    denominator = serializers.CharField()
    numerator_0 = serializers.FloatField(allow_null=True)
    denominator_0 = serializers.FloatField(allow_null=True)
    numerator_1 = serializers.FloatField(allow_null=True)
    denominator_1 = serializers.FloatField(allow_null=True)
    ratio_0 = serializers.FloatField(allow_null=True)
    ratio_1 = serializers.FloatField(allow_null=True)
    change = serializers.FloatField(allow_null=True)
    num_growth = serializers.FloatField(allow_null=True)
    den_growth = serializers.FloatField(allow_null=True)
    log_num = serializers.FloatField(allow_null=True)
    log_den = serializers.FloatField(allow_null=True)
    contrib_num = serializers.FloatField(allow_null=True)
    contrib_den = serializers.FloatField(allow_null=True)
    reason = serializers.CharField(allow_null=True)


class UnitDiagnosisSerializer(serializers.Serializer):
    org_unit = serializers.CharField()
    org_unit_name = serializers.CharField()
    value = serializers.FloatField()
    unit = serializers.CharField()
    expected = serializers.FloatField(allow_null=True)
    gap = serializers.FloatField(allow_null=True)
    status = serializers.CharField()
    rule = serializers.CharField()
    zones = ZoneContributionSerializer(many=True)
    zones_rule = serializers.CharField(allow_blank=True)
    zones_reason = serializers.CharField(allow_blank=True)
    unexplained = serializers.FloatField(allow_null=True, required=False)
    inputs = InputSplitSerializer(allow_null=True)


class DiagnosisSerializer(serializers.Serializer):
    period = serializers.CharField()
    indicator = serializers.CharField()
    indicator_name = serializers.CharField()
    structure = serializers.CharField()
    structure_reason = serializers.CharField(allow_blank=True)
    numerator = serializers.CharField(allow_null=True)
    denominator = serializers.CharField(allow_null=True)
    reference_period = serializers.CharField()
    units = UnitDiagnosisSerializer(many=True)


class OutlierSerializer(serializers.Serializer):
    org_unit = serializers.CharField()
    org_unit_name = serializers.CharField()
    period = serializers.CharField()
    form = serializers.CharField()
    field = serializers.CharField()
    field_label = serializers.CharField()
    field_unit = serializers.CharField(allow_blank=True)
    value = serializers.FloatField()
    status = serializers.CharField()
    reporters = serializers.IntegerField()
    median = serializers.FloatField(allow_null=True)
    mad = serializers.FloatField(allow_null=True)
    z = serializers.FloatField(allow_null=True)
    z_method = serializers.CharField(allow_null=True)
    z_outlier = serializers.BooleanField()
    z_reason = serializers.CharField(allow_null=True)
    history = serializers.ListField(child=serializers.ListField())
    history_n = serializers.IntegerField()
    range_method = serializers.CharField()
    lower = serializers.FloatField(allow_null=True)
    upper = serializers.FloatField(allow_null=True)
    range_outlier = serializers.BooleanField()
    bound = serializers.CharField(allow_null=True)
    range_reason = serializers.CharField(allow_null=True)
    rule = serializers.CharField(allow_blank=True)
