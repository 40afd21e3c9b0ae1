"""REST API of statistical direct reporting (HackSoft style: one APIView per action, services do the work).

A forbidden write is 403 and changes nothing; an object outside the user's scope is 404; a stale
``lock_version`` (body field or ``If-Match`` header) is 409.
"""

from __future__ import annotations

import json

from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from lanbai.common.exceptions import NotFoundError, ValidationFailed
from lanbai.common.periods import QuarterSerializerField
from lanbai.common.uploads import upload_refusal
from lanbai.plans.selectors import orgunit_get

from .. import selectors, services
from ..intake import ImportResult, import_records
from .serializers import AuditOutputSerializer, SubmissionOutputSerializer, VersionOutputSerializer


def _lock_version(request, data) -> int | None:
    """The lock_version the client saw: body field, else the If-Match header (a bare or quoted integer)."""
    if data.get("lock_version") is not None:
        return data["lock_version"]
    header = request.headers.get("If-Match", "").strip().strip("W/").strip('"')
    return int(header) if header.isdigit() else None


def _unit_code(text: str) -> str:
    """The code of the unit named ``text``; an unknown unit is a 400 (a bad request field, as before)."""
    try:
        return orgunit_get(text).code
    except NotFoundError as exc:
        raise ValidationFailed(exc.message, field="unit") from exc


def _import_response(res: ImportResult) -> Response:
    body = {
        "upload": res.upload.pk,
        "outcome": res.outcome,
        "message": res.message,
        "form_code": res.form_code,
        "period": res.period,
        "unit": res.unit.code if res.unit else None,
        "rows": res.rows,
        "submissions": res.submissions,
        "unchanged": res.unchanged,
        "problems": [p.to_dict() for p in res.problems],
        # soft rules broken (核实性审核): the file is accepted; 上报 needs an explanation per rule
        "warnings": [p.to_dict() for p in res.warnings],
    }
    return Response(body, status=status.HTTP_201_CREATED if res.accepted else status.HTTP_400_BAD_REQUEST)


class ReportSubmitJsonApi(APIView):
    """POST a report as JSON records: the same validation engine and import path as a file."""

    class InputSerializer(serializers.Serializer):
        form_code = serializers.CharField()
        period = QuarterSerializerField()
        unit = serializers.CharField()
        records = serializers.ListField(child=serializers.DictField(), allow_empty=False)
        lock_version = serializers.IntegerField(required=False, allow_null=True)
        dry_run = serializers.BooleanField(default=False)
        submit = serializers.BooleanField(default=False)
        explanations = serializers.DictField(child=serializers.CharField(), required=False)

    def post(self, request):
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        unit = _unit_code(d["unit"])
        res = import_records(
            user=request.user,
            filename=f"api-{d['form_code']}-{unit}-{d['period']}.json",
            content=json.dumps(request.data, ensure_ascii=False, default=str).encode(),
            channel="api",
            records=d["records"],
            expected_form=d["form_code"],
            expected_period=d["period"],
            expected_unit=unit,
            dry_run=d["dry_run"],
            submit=d["submit"],
            expected_lock_version=_lock_version(request, d),
            explanations=d.get("explanations"),
        )
        return _import_response(res)


class UploadCreateApi(APIView):
    """POST a filled template (multipart ``file``); CSV needs form_code, period and unit."""

    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField()
        form_code = serializers.CharField(required=False)
        period = serializers.CharField(required=False)
        unit = serializers.CharField(required=False)
        dry_run = serializers.BooleanField(default=False)
        submit = serializers.BooleanField(default=False)
        explanations = serializers.DictField(child=serializers.CharField(), required=False)

    def post(self, request):
        refused = upload_refusal(request)  # over the size limit: stopped while reading, 413
        if refused is not None:
            services.upload_refuse_oversize(
                user=request.user, filename=refused.filename, size_seen=refused.size_seen, limit=refused.limit
            )
            raise refused
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        unit = _unit_code(d["unit"]) if d.get("unit") else None
        f = d["file"]
        res = import_records(
            user=request.user,
            filename=f.name,
            content=f.read(),
            dry_run=d["dry_run"],
            expected_form=d.get("form_code"),
            expected_period=d.get("period"),
            expected_unit=unit,
            submit=d["submit"],
        )
        return _import_response(res)


class SubmissionListApi(APIView):
    def get(self, request):
        qs = selectors.submission_list(
            user=request.user,
            period=request.query_params.get("period"),
            status=request.query_params.get("status"),
            form_code=request.query_params.get("form_code"),
        )
        return Response(SubmissionOutputSerializer(qs[:1000], many=True).data)


class SubmissionDetailApi(APIView):
    """A report with every version and its audit trail."""

    def get(self, request, pk: int):
        sub = selectors.submission_get(user=request.user, pk=pk)
        body = SubmissionOutputSerializer(sub).data
        body["versions"] = VersionOutputSerializer(selectors.submission_versions(sub), many=True).data
        body["audit"] = AuditOutputSerializer(selectors.audit_for(sub), many=True).data
        return Response(body, headers={"ETag": f'"{sub.lock_version}"'})


class _LockInput(serializers.Serializer):
    lock_version = serializers.IntegerField(required=False, allow_null=True)


class _SubmitInput(_LockInput):
    # rule code -> written explanation of each soft rule (核实性审核) the report breaks
    explanations = serializers.DictField(child=serializers.CharField(), required=False)


class SubmissionSubmitApi(APIView):
    InputSerializer = _SubmitInput

    def post(self, request, pk: int):
        sub = selectors.submission_get(user=request.user, pk=pk)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        sub = services.submission_submit(
            user=request.user,
            submission=sub,
            expected_lock_version=_lock_version(request, s.validated_data),
            explanations=s.validated_data.get("explanations"),
        )
        return Response(SubmissionOutputSerializer(sub).data)


class SubmissionReviewApi(APIView):
    """The zone reviewer approves or returns (with a reason)."""

    class InputSerializer(_LockInput):
        approve = serializers.BooleanField()
        reason = serializers.CharField(required=False, allow_blank=True, default="")

    final = False

    def post(self, request, pk: int):
        sub = selectors.submission_get(user=request.user, pk=pk)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        fn = services.submission_final_approve if self.final else services.submission_review
        sub = fn(
            user=request.user,
            submission=sub,
            approve=d["approve"],
            reason=d["reason"],
            expected_lock_version=_lock_version(request, d),
        )
        return Response(SubmissionOutputSerializer(sub).data)


class SubmissionFinalApproveApi(SubmissionReviewApi):
    """省创新办's final approval (or return with a reason)."""

    final = True


class ReviewQueueApi(APIView):
    def get(self, request):
        qs = selectors.review_queue(user=request.user)
        return Response(SubmissionOutputSerializer(qs[:1000], many=True).data)


class CompletenessApi(APIView):
    """Expected, received, on time, late, missing, 报送率 and 及时率 per zone for a period and form."""

    class InputSerializer(serializers.Serializer):
        period = QuarterSerializerField()
        form_code = serializers.CharField(default="兰白统Q2表")

    def get(self, request):
        s = self.InputSerializer(data=request.query_params)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        return Response(
            selectors.completeness_table(user=request.user, period=d["period"], form_code=d["form_code"])
        )
