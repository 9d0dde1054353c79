from rest_framework.permissions import BasePermission

from training.roles import ADMIN, HR, has_role


class IsAdminRole(BasePermission):
    """Training administrators: the bank, quizzes, statistics."""

    def has_permission(self, request, view):
        return has_role(request.user, ADMIN)


class IsHROrAdmin(BasePermission):
    def has_permission(self, request, view):
        return has_role(request.user, HR, ADMIN)


class IsOfficer(BasePermission):
    """Anyone with a person record: only people take quizzes. (The person is
    what the officer role means; reading it here caches it on the user for the
    view, where the group query of ``roles_of`` would be one query more per start.)"""

    def has_permission(self, request, view):
        from training.selectors import person_for

        return person_for(request.user) is not None
