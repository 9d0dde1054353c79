from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ..roles import roles_of
from ..selectors import person_for


class DepartmentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    staff_number = serializers.CharField()
    department = DepartmentRefSerializer()
    category = serializers.CharField()
    is_enforcement_officer = serializers.BooleanField()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.ChoiceField(choices=["officer", "hr", "admin"]))
    person = PersonRefSerializer(allow_null=True)
    scope_department_id = serializers.IntegerField(allow_null=True)


class MeView(APIView):
    """Who the caller is: user, roles, the person record and the HR/admin scope."""

    @extend_schema(responses={200: MeSerializer}, operation_id="me")
    def get(self, request):
        user = request.user
        person = person_for(user)
        data = {
            "id": user.pk,
            "username": user.get_username(),
            "roles": roles_of(user),
            "person": person
            and {
                "id": person.pk,
                "name": person.name,
                "staff_number": person.staff_number,
                "department": {"id": person.department_id, "name": person.department.name},
                "category": person.category,
                "is_enforcement_officer": person.is_enforcement_officer,
            },
            "scope_department_id": person.scope_department_id if person else None,
        }
        return Response(MeSerializer(data).data)
