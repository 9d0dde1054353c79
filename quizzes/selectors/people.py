"""Who is told about a person: the HR users whose scope covers them."""

from __future__ import annotations

from django.db.models import Q

from training.models import Person


def hr_users_over(person: Person) -> list[int]:
    """User ids of HR people whose scope (a subtree, or the whole organisation) includes the person."""
    ancestors = [int(p) for p in person.department.path.strip("/").split("/") if p]
    return list(
        Person.objects.filter(user__groups__name="hr", user__is_active=True, user__isnull=False)
        .filter(Q(scope_department__isnull=True) | Q(scope_department_id__in=ancestors))
        .values_list("user_id", flat=True)
        .distinct()
    )
