"""Reads of the training app that other code may rely on."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet, Sum

from ..models import Audience, Department, HoursEntry, Person
from ..roles import ADMIN, HR, has_role


def person_for(user) -> Person | None:
    """The person behind a user, or None (a superuser without a staff record)."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.person
    except ObjectDoesNotExist:
        return None


def subtree_ids(department: Department | int) -> list[int]:
    """Ids of a department and everything below it."""
    if isinstance(department, int):
        department = Department.objects.only("path").get(pk=department)
    return list(Department.objects.filter(path__startswith=department.path).values_list("id", flat=True))


def scope_department_ids(user) -> list[int] | None:
    """The departments whose people an HR or admin user may see.

    None means the whole organisation; an empty list means nobody (the user
    holds neither role). A scope follows the department tree, so moving a
    department moves who its HR sees.
    """
    if not has_role(user, HR, ADMIN):
        return []
    person = person_for(user)
    if person is None or person.scope_department_id is None:
        return None
    return subtree_ids(person.scope_department_id)


def people_in_scope(user) -> QuerySet[Person]:
    """People an HR or admin user may see (none for anyone else)."""
    ids = scope_department_ids(user)
    people = Person.objects.all()
    if ids is None:
        return people
    return people.filter(department_id__in=ids)


def in_scope(user, person: Person) -> bool:
    ids = scope_department_ids(user)
    return ids is None or person.department_id in ids


def _audience_filter(audience: Audience) -> Q:
    department_ids: set[int] = set()
    for department in audience.departments.all():
        department_ids.update(subtree_ids(department))
    narrowing = Q()
    narrowed = False
    if department_ids:
        narrowing &= Q(department_id__in=department_ids)
        narrowed = True
    if audience.categories:
        narrowing &= Q(category__in=list(audience.categories))
        narrowed = True
    if audience.enforcement_only:
        narrowing &= Q(is_enforcement_officer=True)
        narrowed = True
    named = Q(pk__in=audience.people.values("pk"))
    if narrowed:
        return narrowing | named
    if audience.people.exists():
        return named
    return Q()  # nobody narrowed, nobody named: everyone


def audience_members(audience: Audience) -> QuerySet[Person]:
    """Active people in an audience, expanded now (so a newcomer is included)."""
    return Person.objects.filter(is_active=True).filter(_audience_filter(audience))


def audience_includes(audience: Audience, person: Person) -> bool:
    return audience_members(audience).filter(pk=person.pk).exists()


def hours_earned(*, person: Person | int, year: int, categories: Iterable[str] | None = None) -> Decimal:
    """学时 credited to a person in a year, from the ledger, optionally only some content categories."""
    entries = HoursEntry.objects.filter(person=person, year=year)
    if categories is not None:
        entries = entries.filter(category__in=list(categories))
    total = entries.aggregate(total=Sum("hours"))["total"]
    return total if total is not None else Decimal("0.0")
