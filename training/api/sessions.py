"""Sessions: list, schedule (one or a series), read, change, cancel; check-in code and check-in."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import Category, ContentCategory, Department, Person, SessionKind, SessionStatus, TrainingSession
from ..roles import ADMIN
from ..selectors import person_for, scope_department_ids, sessions_visible_to
from ..services.attendance import check_in, current_code
from ..services.sessions import AudienceSpec, cancel_session, schedule_series, schedule_session, update_session
from .attendance import AttendanceOut
from .common import admin_session, require_person, require_role, visible_session


class AudienceIO(serializers.Serializer):
    departments = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    categories = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    enforcement_only = serializers.BooleanField(required=False, default=False)
    people = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


class SessionOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=SessionKind.choices)
    content_category = serializers.ChoiceField(choices=ContentCategory.choices)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField()
    online_url = serializers.CharField()
    credited_hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    capacity = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=SessionStatus.choices)
    cancel_reason = serializers.CharField()
    series_id = serializers.UUIDField(allow_null=True)
    audience = serializers.SerializerMethodField()

    def get_audience(self, obj) -> dict:
        a = obj.audience
        return {
            "departments": [d.pk for d in a.departments.all()],
            "categories": list(a.categories),
            "enforcement_only": a.enforcement_only,
            "people": [p.pk for p in a.people.all()],
        }


def with_audience(sessions):
    return sessions.select_related("audience").prefetch_related(
        Prefetch("audience__departments", queryset=Department.objects.only("id")),
        Prefetch("audience__people", queryset=Person.objects.only("id")),
    )


class SessionIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=SessionKind.choices)
    content_category = serializers.ChoiceField(choices=ContentCategory.choices)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    online_url = serializers.URLField(required=False, default="", allow_blank=True)
    credited_hours = serializers.DecimalField(max_digits=8, decimal_places=2)
    capacity = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    audience = AudienceIO(required=False)
    recurrence = serializers.CharField(required=False, max_length=500)
    exceptions = serializers.ListField(child=serializers.DateField(), required=False, default=list)


class SessionPatch(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=SessionKind.choices, required=False)
    content_category = serializers.ChoiceField(choices=ContentCategory.choices, required=False)
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    online_url = serializers.URLField(required=False, allow_blank=True)
    credited_hours = serializers.DecimalField(max_digits=8, decimal_places=2, required=False)
    capacity = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    audience = AudienceIO(required=False)


def _audience_spec(request, data: dict | None) -> AudienceSpec:
    """The audience asked for; a scoped admin may only name departments and people inside the scope."""
    data = data or {}
    spec = AudienceSpec(
        departments=list(data.get("departments", [])),
        categories=list(data.get("categories", [])),
        enforcement_only=bool(data.get("enforcement_only", False)),
        people=list(data.get("people", [])),
    )
    scope = scope_department_ids(request.user)
    errors = {}
    found_depts = set(Department.objects.filter(pk__in=spec.departments).values_list("pk", flat=True))
    if set(spec.departments) - found_depts or (scope is not None and found_depts - set(scope)):
        errors["departments"] = ["unknown or out of scope"]
    people = Person.objects.filter(pk__in=spec.people)
    if scope is not None:
        people = people.filter(department_id__in=scope)
    if set(spec.people) - set(people.values_list("pk", flat=True)):
        errors["people"] = ["unknown or out of scope"]
    if set(spec.categories) - set(Category.values):
        errors["categories"] = ["unknown category"]
    if scope is not None and not spec.departments and not spec.people:
        errors["departments"] = ["a scoped admin must name departments or people"]
    if errors:
        raise serializers.ValidationError({"audience": errors})
    return spec


class SessionListView(ListAPIView):
    """Sessions the caller may see (their audiences; HR/admin: their scope). Admins schedule."""

    serializer_class = SessionOut
    filterset_fields = {"kind": ["exact"], "status": ["exact"], "starts_at": ["gte", "lt"], "series_id": ["exact"]}
    search_fields = ["title", "place"]
    ordering_fields = ["starts_at"]

    def get_queryset(self):
        return with_audience(sessions_visible_to(self.request.user, person_for(self.request.user))).order_by(
            "starts_at", "id"
        )

    @extend_schema(
        request=SessionIn,
        responses={
            201: PolymorphicProxySerializer(
                component_name="SessionOrSeries",
                serializers=[
                    SessionOut,
                    inline_serializer(
                        "SeriesCreated", {"series_id": serializers.UUIDField(), "sessions": SessionOut(many=True)}
                    ),
                ],
                resource_type_field_name=None,
            )
        },
        operation_id="sessions_create",
        description='Schedule one session, or a series with "recurrence" (RRULE) and "exceptions" (dates).',
    )
    def post(self, request):
        require_role(request, ADMIN)
        data = SessionIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        spec = _audience_spec(request, v.pop("audience", None))
        recurrence = v.pop("recurrence", None)
        exceptions = v.pop("exceptions", [])
        if recurrence:
            series_id, _sessions = schedule_series(
                actor=request.user, recurrence=recurrence, exceptions=exceptions, audience=spec, **v
            )
            rows = with_audience(TrainingSession.objects.filter(series_id=series_id))
            return Response(
                {"series_id": str(series_id), "sessions": SessionOut(rows, many=True).data},
                status=status.HTTP_201_CREATED,
            )
        session = schedule_session(actor=request.user, audience=spec, **v)
        return Response(SessionOut(with_audience(TrainingSession.objects.filter(pk=session.pk)).get()).data, status=201)


class SessionDetailView(APIView):
    @extend_schema(responses={200: SessionOut}, operation_id="sessions_retrieve")
    def get(self, request, pk: int):
        session = visible_session(request, pk)
        return Response(SessionOut(with_audience(TrainingSession.objects.filter(pk=session.pk)).get()).data)

    @extend_schema(request=SessionPatch, responses={200: SessionOut}, operation_id="sessions_update")
    def patch(self, request, pk: int):
        session = admin_session(request, pk)
        data = SessionPatch(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        audience = _audience_spec(request, v.pop("audience")) if "audience" in v else None
        update_session(session=session, actor=request.user, audience=audience, **v)
        return Response(SessionOut(with_audience(TrainingSession.objects.filter(pk=session.pk)).get()).data)


class ReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class SessionCancelView(APIView):
    @extend_schema(request=ReasonIn, responses={200: SessionOut}, operation_id="sessions_cancel")
    def post(self, request, pk: int):
        session = admin_session(request, pk)
        data = ReasonIn(data=request.data)
        data.is_valid(raise_exception=True)
        cancel_session(session=session, actor=request.user, reason=data.validated_data["reason"])
        return Response(SessionOut(with_audience(TrainingSession.objects.filter(pk=session.pk)).get()).data)


class CheckInCodeOut(serializers.Serializer):
    code = serializers.CharField()
    qr_url = serializers.CharField()
    valid_until = serializers.DateTimeField()


class CheckInCodeView(APIView):
    """The code to show on the projector now (admins, scoped)."""

    @extend_schema(responses={200: CheckInCodeOut}, operation_id="sessions_check_in_code")
    def get(self, request, pk: int):
        session = admin_session(request, pk)
        c = current_code(session=session)
        return Response(CheckInCodeOut({"code": c.code, "qr_url": c.qr_url, "valid_until": c.valid_until}).data)


class CheckInIn(serializers.Serializer):
    code = serializers.CharField(max_length=12)


class CheckInView(APIView):
    """An officer checks in with the code (or the QR link). Again → the same row, 200."""

    @extend_schema(request=CheckInIn, responses={200: AttendanceOut}, operation_id="sessions_check_in")
    def post(self, request, pk: int):
        person = require_person(request)
        session = TrainingSession.objects.filter(pk=pk).select_related("audience").first()
        if session is None:
            raise Http404
        data = CheckInIn(data=request.data)
        data.is_valid(raise_exception=True)
        attendance = check_in(session=session, person=person, code=data.validated_data["code"])
        attendance.person = person
        return Response(AttendanceOut(attendance).data, status=status.HTTP_200_OK)
