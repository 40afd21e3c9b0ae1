"""Explicit serializers of the development index."""

from __future__ import annotations

from rest_framework import serializers


class TargetIndicatorSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    name = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    target = serializers.FloatField(allow_null=True)
    target_year = serializers.IntegerField(allow_null=True)
    source = serializers.CharField(allow_blank=True)  # type: ignore[assignment]
    attainment = serializers.FloatField(allow_null=True)
    note = serializers.CharField(allow_blank=True)


class TargetReadingSerializer(serializers.Serializer):
    """Distance to the plan's 2020 targets (0–100, capped; None where the zone has no target)."""

    attainment = serializers.FloatField(allow_null=True)
    covered = serializers.IntegerField()
    indicators = serializers.IntegerField()
    sources = serializers.ListField(child=serializers.CharField())
    target_year = serializers.IntegerField()
    by_indicator = TargetIndicatorSerializer(many=True)


class ZoneIndexSerializer(serializers.Serializer):
    unit = serializers.CharField()
    unit_name = serializers.CharField()
    year = serializers.IntegerField()
    score = serializers.FloatField(allow_null=True)
    index = serializers.FloatField(allow_null=True)
    rank = serializers.IntegerField()
    median_rank = serializers.FloatField(allow_null=True)
    rank_p05 = serializers.FloatField(allow_null=True)
    rank_p95 = serializers.FloatField(allow_null=True)
    pillars = serializers.DictField(child=serializers.FloatField(allow_null=True))
    level = serializers.FloatField(allow_null=True)
    level_rank = serializers.IntegerField(allow_null=True)
    level_pillars = serializers.DictField(child=serializers.FloatField(allow_null=True))
    target = TargetReadingSerializer(required=False)
    base = serializers.CharField()
    base_years = serializers.DictField(child=serializers.IntegerField())
    carried = serializers.IntegerField()


class BaseSourceSerializer(serializers.Serializer):
    unit = serializers.CharField()
    indicator = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    # a field named "source": drf-stubs take it for Field.source (the attribute path of every field)
    source = serializers.CharField()  # type: ignore[assignment]
    base_year = serializers.IntegerField()


class IndexResultsSerializer(serializers.Serializer):
    framework = serializers.CharField()
    framework_name = serializers.CharField()
    framework_hash = serializers.CharField()
    plan_hash = serializers.CharField()
    year = serializers.IntegerField()
    base_year = serializers.IntegerField()
    runs = serializers.IntegerField()
    seed = serializers.IntegerField()
    pillars = serializers.DictField(child=serializers.CharField())
    results = ZoneIndexSerializer(many=True)
    series = ZoneIndexSerializer(many=True)
    base_sources = BaseSourceSerializer(many=True)
    notes = serializers.DictField()


class IndexRunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    framework_code = serializers.CharField()
    framework_hash = serializers.CharField()
    plan_hash = serializers.CharField()
    year = serializers.IntegerField()
    runs = serializers.IntegerField()
    seed = serializers.IntegerField()
    computed_at = serializers.DateTimeField()
    results = serializers.JSONField()
