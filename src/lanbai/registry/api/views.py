"""Registry API: registries (login required; writes for 省创新办 or the zone's 填报员), counts, screening,
policy matching.

APIViews named ``<Entity><Action>Api``: each parses its input (a nested ``InputSerializer`` for the
query, the entity serializer for a body), calls one selector or service and renders.  Writes go
through :mod:`lanbai.registry.services` (validated, audited, rights checked); refusals are
:mod:`lanbai.common.exceptions` classes rendered by the one API exception handler.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import ValidationError as PydanticError
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from lanbai.core.registry.profiles import PROFILE_MODELS

from .. import selectors, services
from ..models import Alliance, Cluster, Incubator, RdPlatform, Recognition
from . import serializers as s

DATE_MESSAGE = "日期格式应为 YYYY-MM-DD / must be YYYY-MM-DD"


def _query(request) -> dict[str, Any]:
    """The query parameters that carry a value (an empty parameter filters nothing)."""
    return {k: v for k, v in request.query_params.items() if v}


class RegistryFilterSerializer(serializers.Serializer):
    """Filters of a registry list: zone code, choice / text fields, valid on a date."""

    zone = serializers.CharField(required=False)
    kind = serializers.CharField(required=False)
    level = serializers.CharField(required=False)
    industry = serializers.CharField(required=False)
    category = serializers.CharField(required=False)
    on = serializers.DateField(
        required=False, input_formats=["iso-8601"], error_messages={"invalid": DATE_MESSAGE}
    )


# ------------------------------------------------------------------------------------------------
# registries: one small generic pair (list/create, detail/update) over model + serializer + selector


class _RegistryEntryListApi(APIView):
    """GET: the entries (filtered by ``filter_fields`` and ``on``); POST: create one through the service."""

    model: ClassVar[Any]
    serializer_class: ClassVar[type[serializers.ModelSerializer]]
    filter_fields: ClassVar[tuple[str, ...]] = ("zone", "kind", "level", "industry")

    class InputSerializer(RegistryFilterSerializer):
        pass

    def get(self, request):
        query = self.InputSerializer(data=_query(request))
        query.is_valid(raise_exception=True)
        filters = {k: v for k, v in query.validated_data.items() if k in (*self.filter_fields, "on")}
        entries = selectors.registry_entry_list(self.model, **filters)
        return Response(self.serializer_class(entries, many=True).data)

    def post(self, request):
        body = self.serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        entry = services.registry_entry_save(
            user=request.user, instance=self.model(), data=dict(body.validated_data)
        )
        return Response(self.serializer_class(entry).data, status=201)


class _RegistryEntryDetailApi(APIView):
    """GET one entry; PUT / PATCH it through the service."""

    model: ClassVar[Any]
    serializer_class: ClassVar[type[serializers.ModelSerializer]]

    def get(self, request, pk: str):
        return Response(self.serializer_class(selectors.registry_entry_get(self.model, pk=pk)).data)

    def _update(self, request, pk: str, *, partial: bool):
        entry = selectors.registry_entry_get(self.model, pk=pk)
        body = self.serializer_class(entry, data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        entry = services.registry_entry_save(
            user=request.user, instance=entry, data=dict(body.validated_data)
        )
        return Response(self.serializer_class(entry).data)

    def put(self, request, pk: str):
        return self._update(request, pk, partial=False)

    def patch(self, request, pk: str):
        return self._update(request, pk, partial=True)


class RdPlatformListApi(_RegistryEntryListApi):
    model = RdPlatform
    serializer_class = s.RdPlatformSerializer


class RdPlatformDetailApi(_RegistryEntryDetailApi):
    model = RdPlatform
    serializer_class = s.RdPlatformSerializer


class AllianceListApi(_RegistryEntryListApi):
    model = Alliance
    serializer_class = s.AllianceSerializer
    filter_fields = ("zone", "industry")


class AllianceDetailApi(_RegistryEntryDetailApi):
    model = Alliance
    serializer_class = s.AllianceSerializer


class IncubatorListApi(_RegistryEntryListApi):
    model = Incubator
    serializer_class = s.IncubatorSerializer


class IncubatorDetailApi(_RegistryEntryDetailApi):
    model = Incubator
    serializer_class = s.IncubatorSerializer


class ClusterListApi(_RegistryEntryListApi):
    model = Cluster
    serializer_class = s.ClusterSerializer
    filter_fields = ("zone", "industry", "category")


class ClusterDetailApi(_RegistryEntryDetailApi):
    model = Cluster
    serializer_class = s.ClusterSerializer


class RecognitionListApi(_RegistryEntryListApi):
    model = Recognition
    serializer_class = s.RecognitionSerializer
    filter_fields = ("kind",)


class RecognitionDetailApi(_RegistryEntryDetailApi):
    model = Recognition
    serializer_class = s.RecognitionSerializer


# ------------------------------------------------------------------------------------------------
# 附件7 candidates, enterprise profiles


class CandidateListApi(APIView):
    def get(self, request):
        return Response(
            s.CandidateSerializer(selectors.candidate_list(selectors.plan_required()), many=True).data
        )


class CandidateDetailApi(APIView):
    def get(self, request, pk: str):
        candidate = selectors.candidate_get(selectors.plan_required(), pk=pk)
        return Response(s.CandidateSerializer(candidate).data)


class EnterpriseProfileListApi(APIView):
    """Registry profiles (``?zone=``: of that zone's enterprises)."""

    class InputSerializer(serializers.Serializer):
        zone = serializers.CharField(required=False)

    def get(self, request):
        query = self.InputSerializer(data=_query(request))
        query.is_valid(raise_exception=True)
        profiles = selectors.enterprise_profile_list(user=request.user, **query.validated_data)
        return Response(s.EnterpriseProfileSerializer(profiles, many=True).data)


class EnterpriseProfileDetailApi(APIView):
    """One registry profile by credit code; PUT/PATCH creates the profile if the enterprise has none."""

    def get(self, request, credit_code: str):
        profile = selectors.enterprise_profile_get_or_new(user=request.user, credit_code=credit_code)
        return Response(s.EnterpriseProfileSerializer(profile).data)

    def _update(self, request, credit_code: str, *, partial: bool):
        profile = selectors.enterprise_profile_get_or_new(user=request.user, credit_code=credit_code)
        body = s.EnterpriseProfileSerializer(profile, data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        profile = services.enterprise_profile_save(
            user=request.user, enterprise=profile.enterprise, data=dict(body.validated_data)
        )
        return Response(s.EnterpriseProfileSerializer(profile).data)

    def put(self, request, credit_code: str):
        return self._update(request, credit_code, partial=False)

    def patch(self, request, credit_code: str):
        return self._update(request, credit_code, partial=True)


# ------------------------------------------------------------------------------------------------
# counts, screening, policy matching


class RegistryCountsApi(APIView):
    """Counts against the plan's targets on ``?on=`` (default today), with ``?history=1`` year-end counts."""

    class InputSerializer(serializers.Serializer):
        zone = serializers.CharField(required=False)
        history = serializers.CharField(required=False)
        on = serializers.DateField(
            required=False, input_formats=["iso-8601"], error_messages={"invalid": DATE_MESSAGE}
        )

    def get(self, request):
        plan = selectors.plan_required()
        query = self.InputSerializer(data=_query(request))
        query.is_valid(raise_exception=True)
        q = query.validated_data
        zone = selectors.zone_get(plan, q["zone"]) if q.get("zone") else None
        if q.get("history"):
            return Response(selectors.counts_history(plan, zone=zone))
        return Response(selectors.counts_vs_targets(plan, on=q.get("on"), zone=zone))


class EnterpriseScreeningApi(APIView):
    """The 附件7 screening result of one enterprise (registry profile + latest approved figures)."""

    def get(self, request, credit_code: str):
        ent = selectors.enterprise_get(user=request.user, credit_code=credit_code)
        return Response(selectors.screen(selectors.plan_required(), [ent])[0])


class EnterprisePolicyListApi(APIView):
    """The 附件8 articles matched against one enterprise's profile (registry profile + approved figures)."""

    def get(self, request, credit_code: str):
        ent = selectors.enterprise_get(user=request.user, credit_code=credit_code)
        return Response(selectors.enterprise_policy_matches(selectors.plan_required(), ent))


class PolicyMatchApi(APIView):
    """POST a profile (``kind`` enterprise / person / institution + fields) → the 23 articles' results."""

    def post(self, request):
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
        articles = selectors.profile_policy_matches(selectors.plan_required(), profile)
        return Response({"profile_kind": kind, "articles": articles})
