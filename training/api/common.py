"""What the training API views share: role checks that answer 403 / 404 as API.md says, serializers of refs."""

from __future__ import annotations

from django.http import Http404
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from ..models import Person, TrainingSession
from ..roles import ADMIN, HR, has_role
from ..selectors import people_in_scope, person_for, sessions_visible_to
from .me import DepartmentRefSerializer as DepartmentRef  # noqa: F401 - one schema component


def require_person(request) -> Person:
    person = person_for(request.user)
    if person is None:
        raise Http404
    return person


def require_role(request, *roles: str) -> None:
    if not has_role(request.user, *roles):
        raise PermissionDenied()


def visible_session(request, pk: int) -> TrainingSession:
    """A session the caller may see, else 404 (never 403 for what they cannot see)."""
    session = sessions_visible_to(request.user, person_for(request.user)).filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


def admin_session(request, pk: int) -> TrainingSession:
    """A session an admin manages: 404 if unseen, 403 if seen but not an admin."""
    session = visible_session(request, pk)
    require_role(request, ADMIN)
    return session


def person_in_scope(request, pk: int, *, allow_self: bool = False) -> Person:
    """A person the HR/admin caller may see (or the caller themselves), else 404."""
    me = person_for(request.user)
    if allow_self and me is not None and me.pk == int(pk):
        return Person.objects.select_related("department").get(pk=pk)
    if not has_role(request.user, HR, ADMIN):
        raise Http404
    person = people_in_scope(request.user).select_related("department").filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


class PersonBrief(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    staff_number = serializers.CharField()


class ErrorsOnly(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    detail = serializers.JSONField(allow_null=True)
