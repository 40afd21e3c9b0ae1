"""Innovation survey API: rounds, a sampled enterprise's own response, response status, estimates.

Scoped by :mod:`lanbai.access.policy`: a response only for the enterprise, its zone's staff and 省创新办
(others 404); status for staff (zone staff their zone's strata); the live estimates for 省创新办 only — everyone
else reads the published 创新调查报告 (``/api/reports/survey/<year>/``, disclosure-controlled).
"""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from lanbai.access.policy import Action, can, require

from .. import selectors, services


class RoundListApi(APIView):
    """GET: the survey years; for staff each round's size, for everyone the units they answer and their state."""

    def get(self, request):
        staff = can(request.user, Action.READ_UNPUBLISHED)
        rounds = []
        for year in selectors.round_years():
            r = selectors.round_get(year)
            item: dict = {"year": year, "questionnaire_version": r.questionnaire_version, "simulated": r.is_simulated}
            if staff:
                item["frame_size"] = r.frame_size
            rounds.append(item)
        mine = [
            {"year": u["year"], "credit_code": u["unit"].credit_code, "name": u["unit"].enterprise.name,
             "state": u["state"] or "not_started"}
            for u in selectors.units_to_answer(request.user)
        ]
        return Response({"rounds": rounds, "to_answer": mine})


class RoundStatusApi(APIView):
    """GET: response by stratum (staff; zone staff their zone's strata only)."""

    def get(self, request, year: int):
        return Response(selectors.round_status(request.user, year))


class RoundEstimatesApi(APIView):
    """GET: the live estimates with SE and 95 % CI (省创新办 only; the public reads the published report)."""

    def get(self, request, year: int):
        require(
            request.user,
            Action.MANAGE_SURVEY,
            message="未发布的调查估计仅省创新办可查看；已发布结果见 /api/reports/survey/<year>/ / province only",
        )
        return Response(selectors.round_estimates(request.user, year))


class ResponseApi(APIView):
    """GET: the unit's answers; POST ``{"answers": {...}, "submit": false}``: save a draft or submit."""

    class InputSerializer(serializers.Serializer):
        answers = serializers.DictField()
        submit = serializers.BooleanField(required=False, default=False)

    def _unit(self, request, year: int, credit_code: str):
        unit = selectors.unit_get(year, credit_code)
        if not can(request.user, Action.ANSWER_SURVEY, unit.enterprise):
            raise NotFound("未知样本企业 / unknown sample unit")
        return unit

    def get(self, request, year: int, credit_code: str):
        unit = self._unit(request, year, credit_code)
        return Response({"year": year, "credit_code": credit_code, "response": selectors.response_for(request.user, unit)})

    def post(self, request, year: int, credit_code: str):
        unit = self._unit(request, year, credit_code)
        body = self.InputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        resp = services.response_save(
            request.user, unit, body.validated_data["answers"], submit=body.validated_data["submit"]
        )
        return Response(
            {"year": year, "credit_code": credit_code, "state": resp.state, "answers": resp.answers},
            status=200,
        )
