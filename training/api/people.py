"""People (HR/admin, scoped), progress (own or in scope), people import (admins)."""

from __future__ import annotations

import django_filters
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from ..errors import ImportInvalid
from ..models import Category, Department, HoursEntry, Person
from ..roles import ADMIN, HR
from ..selectors import people_in_scope, progress, progress_for_people, subtree_ids
from ..selectors.progress import today
from ..services.people import import_people
from .attendance import FileIn
from .common import DepartmentRef, person_in_scope, require_person, require_role


class RuleOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    required_hours = serializers.DecimalField(max_digits=7, decimal_places=1)
    earned_hours = serializers.DecimalField(max_digits=7, decimal_places=1)
    earned_days = serializers.DecimalField(max_digits=7, decimal_places=2)
    remaining_hours = serializers.DecimalField(max_digits=7, decimal_places=1)
    expected_hours = serializers.DecimalField(max_digits=7, decimal_places=1)
    on_pace = serializers.BooleanField()
    by_category = serializers.DictField(child=serializers.DecimalField(max_digits=7, decimal_places=1))


class EntryOut(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    category = serializers.CharField()
    hours = serializers.DecimalField(max_digits=6, decimal_places=1)
    source = serializers.CharField()  # type: ignore[assignment]  # a field, popped by the metaclass
    source_ref = serializers.CharField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class ProgressOut(serializers.Serializer):
    year = serializers.IntegerField()
    as_of = serializers.DateField()
    standing = serializers.CharField()
    rules = RuleOut(many=True)
    entries = EntryOut(many=True)


class StandingOut(serializers.Serializer):
    standing = serializers.ChoiceField(choices=["done", "on_pace", "behind"])
    rules = RuleOut(many=True)


class PersonOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    staff_number = serializers.CharField()
    department = DepartmentRef()
    category = serializers.ChoiceField(choices=Category.choices)
    is_enforcement_officer = serializers.BooleanField()
    enforcement_domain = serializers.CharField()
    is_active = serializers.BooleanField()
    joined_on = serializers.DateField(allow_null=True)
    left_on = serializers.DateField(allow_null=True)


class PersonRowOut(PersonOut):
    progress = StandingOut()


def _year(request) -> int:
    raw = request.query_params.get("year")
    if raw is None or raw == "":
        return today().year
    try:
        year = int(raw)
    except ValueError:
        raise serializers.ValidationError({"year": ["a year such as 2026"]}) from None
    if not 2000 <= year <= 2100:
        raise serializers.ValidationError({"year": ["a year such as 2026"]})
    return year


def progress_payload(*, person: Person, year: int) -> dict:
    prog = progress(person=person, year=year)
    entries = HoursEntry.objects.filter(person=person, year=year).order_by("created_at", "id")
    return {
        "year": year,
        "as_of": prog.as_of,
        "standing": prog.standing,
        "rules": [r.__dict__ for r in prog.rules],
        "entries": list(
            entries.values("id", "year", "category", "hours", "source", "source_ref", "reason", "created_at")
        ),
    }


YEAR = OpenApiParameter("year", int, description="the year (default: this year)")


class MyProgressView(APIView):
    @extend_schema(parameters=[YEAR], responses={200: ProgressOut}, operation_id="me_progress")
    def get(self, request):
        person = require_person(request)
        return Response(ProgressOut(progress_payload(person=person, year=_year(request))).data)


class PersonFilter(django_filters.FilterSet):
    department = django_filters.NumberFilter(method="in_department", label="department (with its subtree)")
    category = django_filters.ChoiceFilter(choices=Category.choices)
    is_enforcement_officer = django_filters.BooleanFilter()
    is_active = django_filters.BooleanFilter()

    def in_department(self, queryset, name, value):
        try:
            return queryset.filter(department_id__in=subtree_ids(int(value)))
        except (Department.DoesNotExist, ValueError):
            return queryset.none()


class PeopleListView(ListAPIView):
    """People of the caller's scope with this year's standing (HR, admins): the department page."""

    serializer_class = PersonRowOut
    filterset_class = PersonFilter
    search_fields = ["name", "staff_number"]
    ordering_fields = ["staff_number", "name"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Person.objects.none()
        require_role(self.request, HR, ADMIN)
        return people_in_scope(self.request.user).select_related("department").order_by("staff_number")

    @extend_schema(parameters=[YEAR], operation_id="people_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        year = _year(request)
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        people = list(page)
        progress_by_id = progress_for_people(people=Person.objects.filter(pk__in=[p.pk for p in people]), year=year)
        rows = []
        for p in people:
            prog = progress_by_id[p.pk]
            p.progress = {"standing": prog.standing, "rules": [r.__dict__ for r in prog.rules]}
            rows.append(p)
        return self.get_paginated_response(PersonRowOut(rows, many=True).data)


class PersonDetailView(APIView):
    @extend_schema(responses={200: PersonOut}, operation_id="people_retrieve")
    def get(self, request, pk: int):
        return Response(PersonOut(person_in_scope(request, pk, allow_self=True)).data)


class PersonProgressView(APIView):
    @extend_schema(parameters=[YEAR], responses={200: ProgressOut}, operation_id="people_progress")
    def get(self, request, pk: int):
        person = person_in_scope(request, pk, allow_self=True)
        return Response(ProgressOut(progress_payload(person=person, year=_year(request))).data)


class PeopleImportView(APIView):
    """xlsx with sheets 部门 (编码, 名称, 上级编码) and 人员 (工号, 姓名, 部门编码, 类别, 执法人员, 执法领域, 手机, 入职日期)."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": FileIn},
        responses={
            200: inline_serializer(
                "PeopleImported",
                {
                    "departments_created": serializers.IntegerField(),
                    "people_created": serializers.IntegerField(),
                    "people_updated": serializers.IntegerField(),
                },
            )
        },
        operation_id="people_import",
    )
    def post(self, request):
        require_role(request, ADMIN)
        from ..selectors import scope_department_ids

        if scope_department_ids(request.user) is not None:
            raise Http404  # importing the organisation is for admins of the whole organisation
        upload = request.FILES.get("file")
        if upload is None or upload.size > 10 * 1024 * 1024:
            raise ImportInvalid(detail={"errors": [{"sheet": "", "line": 0, "message": "file missing or too large"}]})
        return Response(import_people(actor=request.user, content=upload.read(), filename=upload.name or ""))
