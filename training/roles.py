"""Roles: every user with a person is an officer; HR and admin are Django
groups, limited to ``Person.scope_department``'s subtree when it is set."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist

OFFICER = "officer"
HR = "hr"
ADMIN = "admin"
STAFF_ROLES = (HR, ADMIN)


def roles_of(user) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_xuefa_roles", None)
    if cached is not None:
        return cached
    groups = {g.name for g in user.groups.all()}
    roles = []
    if _person(user) is not None:
        roles.append(OFFICER)
    if HR in groups:
        roles.append(HR)
    if ADMIN in groups or user.is_superuser:
        roles.append(ADMIN)
    user._xuefa_roles = roles
    return roles


def has_role(user, *roles: str) -> bool:
    return any(role in roles_of(user) for role in roles)


def _person(user):
    try:
        return user.person
    except ObjectDoesNotExist:
        return None
