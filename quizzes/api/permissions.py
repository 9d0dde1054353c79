from rest_framework.permissions import BasePermission

from training.roles import ADMIN, HR, OFFICER, has_role


class IsAdminRole(BasePermission):
    """Training administrators: the bank, quizzes, statistics."""

    def has_permission(self, request, view):
        return has_role(request.user, ADMIN)


class IsHROrAdmin(BasePermission):
    def has_permission(self, request, view):
        return has_role(request.user, HR, ADMIN)


class IsOfficer(BasePermission):
    """Anyone with a person record: only people take quizzes."""

    def has_permission(self, request, view):
        return has_role(request.user, OFFICER)
