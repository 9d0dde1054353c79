"""Reads of attempts: the owner's view and HR's results (never answers)."""

from __future__ import annotations

import json

from django.db.models import QuerySet
from django.db.models.fields.json import KeyTextTransform, KeyTransform

from training.selectors import scope_department_ids

from ..models import Attempt, AttemptStatus


def attempt_for_owner(*, attempt_id, user, fields: tuple[str, ...] | None = None) -> Attempt | None:
    """The attempt if ``user`` is the person who took it, else None (a 404 for everyone else, HR and admins too)."""
    qs = Attempt.objects.filter(pk=attempt_id, person__user_id=user.pk)
    if fields:
        qs = qs.only(*fields)
    return qs.first()


def attempt_for_answer(*, attempt_id, user, question_id: int) -> Attempt | None:
    """What an answer save needs of the owner's attempt, without loading the paper:
    its state and the one paper entry (type and keys) of the question, read in
    the database from the paper's index."""
    row = (
        Attempt.objects.filter(pk=attempt_id, person__user_id=user.pk)
        .annotate(
            entry=KeyTransform(str(question_id), KeyTransform("index", "paper")),
            kind=KeyTextTransform("kind", "paper"),
        )
        .values("id", "person_id", "status", "deadline", "entry", "kind")
        .first()
    )
    if row is None:
        return None
    entry = row["entry"]
    if isinstance(entry, str):
        entry = json.loads(entry)
    index = {str(question_id): entry} if entry else {}
    return Attempt(
        id=row["id"],
        person_id=row["person_id"],
        status=row["status"],
        deadline=row["deadline"],
        paper={"kind": row["kind"], "index": index},
    )


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
