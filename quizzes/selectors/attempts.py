"""Reads of attempts: the owner's view and HR's results (never answers)."""

from __future__ import annotations

from django.db.models import QuerySet

from training.selectors import scope_department_ids

from ..models import Attempt, AttemptStatus


def attempt_for_owner(*, attempt_id, user, fields: tuple[str, ...] | None = None) -> Attempt | None:
    """The attempt if ``user`` is the person who took it, else None (a 404 for everyone else, HR and admins too)."""
    qs = Attempt.objects.filter(pk=attempt_id, person__user_id=user.pk)
    if fields:
        qs = qs.only(*fields)
    return qs.first()


def results_for(*, user, quiz_id: int | None = None, person_id: int | None = None) -> QuerySet[Attempt]:
    """Submitted attempts of the people an HR or admin user may see: scores, pass/fail and times."""
    ids = scope_department_ids(user)
    qs = (
        Attempt.objects.filter(status=AttemptStatus.SUBMITTED)
        .select_related("quiz", "person", "person__department")
        .defer("paper", "marks")
        .order_by("-finished_at", "id")
    )
    if ids is not None:
        qs = qs.filter(person__department_id__in=ids)
    if quiz_id:
        qs = qs.filter(quiz_id=quiz_id)
    if person_id:
        qs = qs.filter(person_id=person_id)
    return qs
