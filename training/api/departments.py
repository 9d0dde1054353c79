"""Departments with their subtree's standing, and the organisation's targets (HR and admins, scoped)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import Department
from ..roles import ADMIN, HR
from ..selectors import department_rollup, organisation_targets, scope_department_ids
from .common import require_role
from .people import YEAR, _year


class RollupOut(serializers.Serializer):
    department_id = serializers.IntegerField()
    name = serializers.CharField()
    parent_id = serializers.IntegerField(allow_null=True)
    people = serializers.IntegerField()
    done = serializers.IntegerField()
    on_pace = serializers.IntegerField()
    behind = serializers.IntegerField()


class DepartmentsOut(serializers.Serializer):
    year = serializers.IntegerField()
    results = RollupOut(many=True)


class DepartmentRollupView(APIView):
    """Every department of the caller's scope, each counting its whole subtree: people done, on pace, behind."""

    @extend_schema(parameters=[YEAR], responses={200: DepartmentsOut}, operation_id="departments_rollup")
    def get(self, request):
        require_role(request, HR, ADMIN)
        year = _year(request)
        scope = scope_department_ids(request.user)
        departments = Department.objects.all() if scope is None else Department.objects.filter(pk__in=scope)
        parents = dict(departments.values_list("id", "parent_id"))
        rows = department_rollup(department_ids=list(parents), year=year)
        for row in rows:
            row["parent_id"] = parents.get(row["department_id"])
        return Response(DepartmentsOut({"year": year, "results": rows}).data)


class TargetOut(serializers.Serializer):
    held = serializers.IntegerField()
    target = serializers.IntegerField()
    expected = serializers.DecimalField(max_digits=5, decimal_places=1)
    on_pace = serializers.BooleanField()


class TargetsOut(serializers.Serializer):
    year = serializers.IntegerField()
    as_of = serializers.DateField()
    central_group_study = TargetOut()
    thematic_legal_training = TargetOut()


class OrganisationTargetsView(APIView):
    """Central-group studies (vs 8) and thematic legal trainings (vs 6) held this year, and expected by today."""

    @extend_schema(parameters=[YEAR], responses={200: TargetsOut}, operation_id="organisation_targets")
    def get(self, request):
        require_role(request, HR, ADMIN)
        return Response(TargetsOut(organisation_targets(year=_year(request))).data)
