"""External training records: officers submit with evidence; HR (scoped) approves or rejects."""

from __future__ import annotations

from django.db.models import Q
from django.http import FileResponse, Http404
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import ContentCategory, ExternalRecord, ExternalStatus
from ..roles import ADMIN, HR, has_role
from ..selectors import people_in_scope, person_for
from ..services.external import approve_external_record, reject_external_record, submit_external_record
from .common import PersonBrief, require_person, require_role
from .sessions import ReasonIn


class ExternalOut(serializers.Serializer):
    id = serializers.IntegerField()
    person = PersonBrief()
    title = serializers.CharField()
    provider = serializers.CharField()
    content_category = serializers.ChoiceField(choices=ContentCategory.choices)
    hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    completed_on = serializers.DateField()
    status = serializers.ChoiceField(choices=ExternalStatus.choices)
    decision_reason = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)
    evidence_url = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_evidence_url(self, obj) -> str | None:
        from django.urls import reverse

        return reverse("api:external-record-evidence", kwargs={"pk": obj.pk}) if obj.evidence else None


class ExternalIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    provider = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    content_category = serializers.ChoiceField(choices=ContentCategory.choices)
    hours = serializers.DecimalField(max_digits=8, decimal_places=2)
    completed_on = serializers.DateField()
    evidence = serializers.FileField(required=False)


def records_visible_to(user):
    """Own records; HR and admins also those of their scope."""
    person = person_for(user)
    own = Q(person=person) if person is not None else Q(pk__in=[])
    if has_role(user, HR, ADMIN):
        return ExternalRecord.objects.filter(own | Q(person__in=people_in_scope(user)))
    return ExternalRecord.objects.filter(own)


class ExternalListView(ListAPIView):
    serializer_class = ExternalOut
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filterset_fields = ["status", "person"]
    search_fields = ["title", "person__name", "person__staff_number"]

    def get_queryset(self):
        return records_visible_to(self.request.user).select_related("person").order_by("-created_at", "-id")

    @extend_schema(
        request={"multipart/form-data": ExternalIn}, responses={201: ExternalOut}, operation_id="external_create"
    )
    def post(self, request):
        person = require_person(request)
        data = ExternalIn(data=request.data)
        data.is_valid(raise_exception=True)
        row = submit_external_record(person=person, actor=request.user, **data.validated_data)
        return Response(ExternalOut(row).data, status=status.HTTP_201_CREATED)


def _decidable(request, pk: int) -> ExternalRecord:
    row = records_visible_to(request.user).filter(pk=pk).select_related("person").first()
    if row is None:
        raise Http404
    require_role(request, HR, ADMIN)
    if row.person_id not in set(people_in_scope(request.user).filter(pk=row.person_id).values_list("pk", flat=True)):
        raise Http404  # HR deciding their own record outside their scope
    return row


class ExternalApproveView(APIView):
    @extend_schema(request=None, responses={200: ExternalOut}, operation_id="external_approve")
    def post(self, request, pk: int):
        row = approve_external_record(external_record=_decidable(request, pk), actor=request.user)
        return Response(ExternalOut(ExternalRecord.objects.select_related("person").get(pk=row.pk)).data)


class ExternalRejectView(APIView):
    @extend_schema(request=ReasonIn, responses={200: ExternalOut}, operation_id="external_reject")
    def post(self, request, pk: int):
        row = _decidable(request, pk)
        data = ReasonIn(data=request.data)
        data.is_valid(raise_exception=True)
        row = reject_external_record(external_record=row, actor=request.user, reason=data.validated_data["reason"])
        return Response(ExternalOut(ExternalRecord.objects.select_related("person").get(pk=row.pk)).data)


class ExternalEvidenceView(APIView):
    """The evidence file, only to its owner, HR of the scope and admins (never from a public URL)."""

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}, operation_id="external_evidence")
    def get(self, request, pk: int):
        row = records_visible_to(request.user).filter(pk=pk).first()
        if row is None or not row.evidence:
            raise Http404
        response = FileResponse(row.evidence.open("rb"), content_type=row.evidence_type or "application/octet-stream")
        response["Content-Disposition"] = (
            f'attachment; filename="evidence-{row.pk}.{row.evidence.name.rsplit(".", 1)[-1]}"'
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
