from __future__ import annotations

from rest_framework import serializers

from ..models import Indicator, OrgUnit, Target


class OrgUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["code", "name", "short_name", "name_en", "kind", "valid_from", "valid_to", "admin_code",
                  "area_km2", "leading_industries", "source"]


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["code", "name", "name_en", "aliases", "unit", "direction", "kind", "definition", "source"]


class TargetSerializer(serializers.ModelSerializer):
    indicator: serializers.SlugRelatedField[Indicator] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    org_unit: serializers.SlugRelatedField[OrgUnit] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit = serializers.CharField(source="indicator.unit", read_only=True)

    class Meta:
        model = Target
        fields = ["indicator", "org_unit", "kind", "label", "category", "from_year", "year", "value", "unit",
                  "comparator", "approx", "baseline_year", "baseline_value", "stated_growth_pct", "source"]
