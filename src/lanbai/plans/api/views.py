"""Read-only API of the plan (public: the plan is a published document)."""

from rest_framework import permissions, viewsets

from ..models import Indicator, OrgUnit, Target
from ..selectors import plan_current
from .serializers import IndicatorSerializer, OrgUnitSerializer, TargetSerializer


class _PlanScoped(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.AllowAny]
    lookup_field = "code"

    def get_queryset(self):
        return self.model.objects.filter(plan=plan_current())


class OrgUnitViewSet(_PlanScoped):
    model = OrgUnit
    serializer_class = OrgUnitSerializer


class IndicatorViewSet(_PlanScoped):
    model = Indicator
    serializer_class = IndicatorSerializer


class TargetViewSet(_PlanScoped):
    model = Target
    serializer_class = TargetSerializer
    lookup_field = "pk"

    def get_queryset(self):
        qs = super().get_queryset().select_related("indicator", "org_unit")
        for param, field in (("indicator", "indicator__code"), ("org_unit", "org_unit__code"), ("kind", "kind"),
                             ("source", "source")):
            value = self.request.query_params.get(param)
            if value:
                qs = qs.filter(**{field: value})
        return qs
