"""Registry API: registries (login required; writes for 省创新办 or the zone's 填报员), counts, screening,
policy matching.  Writes go through :mod:`lanbai.registry.services` (validated, audited, rights checked)."""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationError as PydanticError
from rest_framework import mixins, viewsets
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from lanbai.collection.models import Enterprise
from lanbai.core.registry import match_policies
from lanbai.core.registry.profiles import PROFILE_MODELS
from lanbai.plans.models import OrgUnit
from lanbai.plans.selectors import plan_current

from .. import selectors, services
from ..models import Alliance, Cluster, EnterpriseProfile, Incubator, RdPlatform, Recognition
from ..presenters import match_dict
from . import serializers as s


def _plan():
    plan = plan_current()
    if plan is None:
        raise NotFound("没有已加载的规划 / no plan loaded")
    return plan


class _RegistryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List/detail for any logged-in user; create/update through the registry service."""

    filter_fields: tuple[str, ...] = ("zone", "kind", "level", "industry")

    def get_queryset(self):
        qs = self.queryset.all()
        params = self.request.query_params
        for f in self.filter_fields:
            value = params.get(f)
            if value:
                qs = qs.filter(**({f"{f}__code": value} if f in ("zone", "park") else {f: value}))
        on = params.get("on")
        if on:
            try:
                qs = qs.filter(selectors.valid_on(dt.date.fromisoformat(on)))
            except ValueError as exc:
                raise ValidationError({"on": "日期格式应为 YYYY-MM-DD / must be YYYY-MM-DD"}) from exc
        return qs

    def perform_create(self, serializer):
        serializer.instance = services.registry_save(
            user=self.request.user, instance=self.queryset.model(), data=dict(serializer.validated_data)
        )

    def perform_update(self, serializer):
        serializer.instance = services.registry_save(
            user=self.request.user, instance=serializer.instance, data=dict(serializer.validated_data)
        )


class RdPlatformViewSet(_RegistryViewSet):
    queryset = RdPlatform.objects.select_related("zone", "park")
    serializer_class = s.RdPlatformSerializer


class AllianceViewSet(_RegistryViewSet):
    queryset = Alliance.objects.select_related("zone", "park")
    serializer_class = s.AllianceSerializer
    filter_fields = ("zone", "industry")


class IncubatorViewSet(_RegistryViewSet):
    queryset = Incubator.objects.select_related("zone", "park")
    serializer_class = s.IncubatorSerializer


class ClusterViewSet(_RegistryViewSet):
    queryset = Cluster.objects.select_related("zone", "park")
    serializer_class = s.ClusterSerializer
    filter_fields = ("zone", "industry", "category")


class RecognitionViewSet(_RegistryViewSet):
    queryset = Recognition.objects.select_related("enterprise", "enterprise__zone")
    serializer_class = s.RecognitionSerializer
    filter_fields = ("kind",)


class CandidateViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.CandidateSerializer

    def get_queryset(self):
        return selectors.candidate_list(_plan())


class EnterpriseProfileViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Registry profiles by credit code; PUT/PATCH creates the profile if the enterprise has none."""

    serializer_class = s.EnterpriseProfileSerializer
    lookup_field = "credit_code"

    def get_queryset(self):
        qs = EnterpriseProfile.objects.select_related("enterprise", "enterprise__zone", "park")
        zone = self.request.query_params.get("zone")
        return qs.filter(enterprise__zone__code=zone) if zone else qs

    def get_object(self):
        ent = Enterprise.objects.filter(credit_code=self.kwargs["credit_code"]).first()
        if ent is None:
            raise NotFound("未找到该企业 / no such enterprise")
        return EnterpriseProfile.objects.filter(enterprise=ent).first() or EnterpriseProfile(enterprise=ent)

    def perform_update(self, serializer):
        serializer.instance = services.enterprise_profile_save(
            user=self.request.user,
            enterprise=serializer.instance.enterprise,
            data=dict(serializer.validated_data),
        )


@api_view(["GET"])
def counts(request):
    """Counts against the plan's targets on ``?on=`` (default today), with ``?history=1`` year-end counts."""
    plan = _plan()
    zone = None
    if request.query_params.get("zone"):
        zone = OrgUnit.objects.filter(plan=plan, code=request.query_params["zone"], kind="zone").first()
        if zone is None:
            raise NotFound("未知园区 / unknown zone")
    if request.query_params.get("history"):
        return Response(selectors.counts_history(plan, zone=zone))
    on = request.query_params.get("on")
    try:
        day = dt.date.fromisoformat(on) if on else None
    except ValueError as exc:
        raise ValidationError({"on": "日期格式应为 YYYY-MM-DD / must be YYYY-MM-DD"}) from exc
    return Response(selectors.counts_vs_targets(plan, on=day, zone=zone))


@api_view(["GET"])
def screening(request, credit_code: str):
    """The 附件7 screening result of one enterprise (registry profile + latest approved figures)."""
    ent = Enterprise.objects.filter(credit_code=credit_code).select_related("zone").first()
    if ent is None:
        raise NotFound("未找到该企业 / no such enterprise")
    return Response(selectors.screen(_plan(), [ent])[0])


@api_view(["GET"])
def enterprise_policies(request, credit_code: str):
    """The 附件8 articles matched against one enterprise's profile (registry profile + approved figures)."""
    ent = Enterprise.objects.filter(credit_code=credit_code).select_related("zone").first()
    if ent is None:
        raise NotFound("未找到该企业 / no such enterprise")
    return Response(selectors.enterprise_policy_matches(_plan(), ent))


@api_view(["POST"])
def policy_match(request):
    """POST a profile (``kind`` enterprise / person / institution + fields) → the 23 articles' results."""
    data = request.data if isinstance(request.data, dict) else None
    if data is None:
        raise ValidationError({"profile": "应为 JSON 对象 / must be a JSON object"})
    kind = data.get("kind", "enterprise")
    if kind not in PROFILE_MODELS:
        raise ValidationError({"kind": f"应为 {' | '.join(PROFILE_MODELS)} / unknown profile kind"})
    try:
        profile = PROFILE_MODELS[kind].model_validate(dict(data))
    except PydanticError as exc:
        raise ValidationError(
            {".".join(map(str, e["loc"])) or "profile": [e["msg"]] for e in exc.errors()}
        ) from exc
    articles = selectors.policy_articles(_plan())
    return Response(
        {"profile_kind": kind, "articles": [match_dict(m) for m in match_policies(profile, articles)]}
    )
