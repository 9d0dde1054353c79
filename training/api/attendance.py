"""Attendance of a session: list (HR/admin, scoped), admin edits, bulk import."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from ..errors import ImportInvalid
from ..models import Attendance, AttendanceStatus
from ..roles import ADMIN, HR
from ..selectors import people_in_scope
from ..services.attendance import edit_attendance, import_attendance
from .common import PersonBrief, admin_session, require_role, visible_session

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class AttendanceOut(serializers.Serializer):
    session = serializers.IntegerField(source="session_id")
    person = PersonBrief()
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)
    reason = serializers.CharField()
    checked_in_at = serializers.DateTimeField(allow_null=True)
    credited_hours = serializers.DecimalField(max_digits=5, decimal_places=1)


class AttendanceListView(ListAPIView):
    """Who came to a session (HR and admins; people of their scope only)."""

    serializer_class = AttendanceOut
    filterset_fields = ["status"]
    search_fields = ["person__name", "person__staff_number"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Attendance.objects.none()
        session = visible_session(self.request, self.kwargs["pk"])
        require_role(self.request, HR, ADMIN)
        return (
            Attendance.objects.filter(session=session, person__in=people_in_scope(self.request.user))
            .select_related("person")
            .order_by("person__staff_number")
        )


class AttendancePatch(serializers.Serializer):
    status = serializers.ChoiceField(choices=AttendanceStatus.choices, required=False)
    credited_hours = serializers.DecimalField(max_digits=8, decimal_places=2, required=False)
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class AttendanceDetailView(APIView):
    @extend_schema(request=AttendancePatch, responses={200: AttendanceOut}, operation_id="attendance_update")
    def patch(self, request, pk: int, person_id: int):
        session = admin_session(request, pk)
        person = people_in_scope(request.user).filter(pk=person_id).first()
        if person is None:
            raise Http404
        data = AttendancePatch(data=request.data)
        data.is_valid(raise_exception=True)
        attendance = edit_attendance(session=session, person=person, actor=request.user, **data.validated_data)
        return Response(AttendanceOut(attendance).data)


class FileIn(serializers.Serializer):
    file = serializers.FileField()


class AttendanceImportView(APIView):
    """xlsx or csv with columns 工号, 状态, 学时, 原因; checked whole (400 ``import_invalid`` names every bad row)."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": FileIn},
        responses={200: inline_serializer("AttendanceImported", {"updated": serializers.IntegerField()})},
        operation_id="attendance_import",
    )
    def post(self, request, pk: int):
        session = admin_session(request, pk)
        upload = request.FILES.get("file")
        if upload is None or upload.size > MAX_IMPORT_BYTES:
            raise ImportInvalid(detail={"errors": [{"line": 0, "message": "file missing or larger than 5 MB"}]})
        updated = import_attendance(
            session=session,
            actor=request.user,
            content=upload.read(),
            filename=upload.name or "",
            allowed_people=people_in_scope(request.user),
        )
        return Response({"updated": updated})
