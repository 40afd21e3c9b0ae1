"""Read-only public API of the published data (no login).

Filters and ordering work on the published rows only (``selectors.published_values``), so they
cannot reveal anything unpublished; an unknown release is a 404 that looks exactly like an
unpublished one, and a bad ``ordering`` is a 400 that names only the allowed fields.
"""

from __future__ import annotations

from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors
from ..disclosure import public_row
from ..survey_report import public_cell


def _release_dict(rel, request) -> dict:
    base = request.build_absolute_uri(f"/reports/{rel.pk}/")
    return {
        "id": rel.pk,
        "number": rel.number,
        "kind": rel.kind,
        "title": rel.title,
        "period": rel.period,
        "issued_at": rel.issued_at.isoformat() if rel.issued_at else None,
        "data_cutoff": rel.data_cutoff.isoformat(),
        "approved_count": rel.approved_count,
        "pending_count": rel.pending_count,
        "supersedes": rel.supersedes.number if rel.supersedes else None,
        "current": rel.is_current,
        "correction_note": rel.correction_note,
        "files": {f: f"{base}file.{f}" for f in ("pdf", "xlsx", "html")},
    }


class PublicApi(APIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]


class ReleaseListApi(PublicApi):
    class InputSerializer(serializers.Serializer):
        kind = serializers.CharField(required=False)

    def get(self, request):
        query = self.InputSerializer(data={k: v for k, v in request.query_params.items() if v})
        query.is_valid(raise_exception=True)
        releases = selectors.published_releases(kind=query.validated_data.get("kind"))
        return Response([_release_dict(r, request) for r in releases])


class ReleaseDetailApi(PublicApi):
    def get(self, request, pk: int):
        rel = selectors.release_get_published(pk)
        data = _release_dict(rel, request)
        data["diff"] = rel.diff
        # suppressed cells (disclosure control) leave with their values emptied and obs_status C
        data["rows"] = [public_row(r) for r in rel.content.get("rows", [])]
        data["stage"] = rel.content.get("stage_label", "")
        data["missing"] = rel.content.get("missing_text", "")
        data["simulated"] = bool(rel.content.get("simulated"))
        if rel.kind == "survey":  # the survey report's cells, suppressed ones emptied (obs_status C)
            data["cells"] = [public_cell(c) for c in rel.content.get("cells", [])]
        return Response(data)


class ValueListApi(PublicApi):
    """The published values, filtered on exact values and ordered by a column of ``selectors.VALUE_ORDERING``."""

    class InputSerializer(serializers.Serializer):
        period = serializers.CharField(required=False)
        unit = serializers.CharField(required=False)
        indicator = serializers.CharField(required=False)
        status = serializers.CharField(required=False)
        release = serializers.CharField(required=False)
        ordering = serializers.CharField(required=False)

    def get(self, request):
        query = self.InputSerializer(data={k: v for k, v in request.query_params.items() if v})
        query.is_valid(raise_exception=True)
        rows = selectors.published_value_list(**query.validated_data)
        return Response({"count": len(rows), "results": rows})


class DictionaryApi(PublicApi):
    def get(self, request):
        return Response(
            [{"name": n, "type": t, "unit": u, "description": d} for n, t, u, d in selectors.COLUMNS]
        )


class SurveyReportApi(PublicApi):
    """The published 创新调查报告 of a year: design, response and every cell (estimate, SE, 95 % CI; suppressed
    cells emptied with obs_status C).  404 until one is published."""

    def get(self, request, year: int):
        from rest_framework.exceptions import NotFound

        rel = selectors.current_survey_release(year)
        if rel is None:
            raise NotFound(f"{year} 年创新调查报告尚未发布 / no published survey report for {year}")
        data = _release_dict(rel, request)
        data["design"] = rel.content.get("design", {})
        data["simulated"] = bool(rel.content.get("simulated"))
        data["legend"] = rel.content.get("disclosure", {}).get("legend")
        data["cells"] = [public_cell(c) for c in rel.content.get("cells", [])]
        return Response(data)
