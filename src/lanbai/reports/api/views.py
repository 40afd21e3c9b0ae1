"""Read-only public API of the published data (no login).

Filters and ordering work on the published rows only (``selectors.published_values``), so they
cannot reveal anything unpublished; an unknown release is a 404 that looks exactly like an
unpublished one, and a bad ``ordering`` is a 400 that names only the allowed fields.
"""

from __future__ import annotations

from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors

ORDERING = ("period", "org_unit", "indicator", "value", "status")
FILTERS = ("period", "unit", "indicator", "status", "release")


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
    def get(self, request):
        kind = request.query_params.get("kind") or None
        return Response([_release_dict(r, request) for r in selectors.published_releases(kind=kind)])


class ReleaseDetailApi(PublicApi):
    def get(self, request, pk: int):
        rel = selectors.release_get_published(pk)
        if rel is None:
            return Response({"message": "未找到 / not found", "extra": {}}, status=404)
        data = _release_dict(rel, request)
        data["diff"] = rel.diff
        data["rows"] = rel.content.get("rows", [])
        return Response(data)


class ValueListApi(PublicApi):
    def get(self, request):
        rows = selectors.published_values()
        q = request.query_params
        for name, key in (
            ("period", "period"),
            ("unit", "org_unit"),
            ("indicator", "indicator"),
            ("status", "status"),
            ("release", "release"),
        ):
            if q.get(name):
                rows = [r for r in rows if r[key] == q[name]]
        ordering = q.get("ordering")
        if ordering:
            field = ordering.removeprefix("-")
            if field not in ORDERING:
                return Response(
                    {
                        "message": f"ordering 只能是 {', '.join(ORDERING)} / allowed: {', '.join(ORDERING)}",
                        "extra": {},
                    },
                    status=400,
                )
            present = [r for r in rows if r[field] is not None]
            absent = [r for r in rows if r[field] is None]
            rows = sorted(present, key=lambda r: r[field], reverse=ordering.startswith("-")) + absent
        return Response({"count": len(rows), "results": rows})


class DictionaryApi(PublicApi):
    def get(self, request):
        return Response(
            [{"name": n, "type": t, "unit": u, "description": d} for n, t, u, d in selectors.COLUMNS]
        )
