"""Reads of quizzes: what a person may take, and windows for the reminder jobs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from training.models import LEGAL_CATEGORIES, Audience, Department, HoursEntry, Person

from ..models import Attempt, AttemptStatus, Quiz, QuizKind, QuizOverride


def audience_covers(audience: Audience | None, person: Person) -> bool:
    """Whether an audience includes a person, evaluated in memory (no audience = everyone).

    Same meaning as training.selectors.audience_members: departments (with
    subtrees), categories and "enforcement only" narrow; named people are added.
    """
    if not person.is_active:
        return False
    if audience is None:
        return True
    departments = list(audience.departments.all())
    named = {p.pk for p in audience.people.all()}
    narrowed = bool(departments or audience.categories or audience.enforcement_only)
    if not narrowed:
        return not named or person.pk in named
    if person.pk in named:
        return True
    if departments:
        path = person.department.path if person.department_id else ""
        if not any(path.startswith(d.path) for d in departments):
            return False
    if audience.categories and person.category not in audience.categories:
        return False
    return not (audience.enforcement_only and not person.is_enforcement_officer)


@dataclass
class QuizForPerson:
    quiz: Quiz
    attempts_used: int
    attempts_left: int | None
    time_limit_minutes: int | None
    open_attempt_id: object
    prerequisites_met: bool
    earned_legal_hours: Decimal | None


def quizzes_for(*, person: Person, now: datetime | None = None) -> list[QuizForPerson]:
    """The published quizzes a person may take now or later, with attempts used
    and left and whether the prerequisites are met, in a fixed number of queries."""
    now = now or timezone.now()
    person = Person.objects.select_related("department").get(pk=person.pk)
    quizzes = list(
        Quiz.objects.filter(is_published=True)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .select_related("audience")
        .prefetch_related(
            Prefetch("audience__departments", queryset=Department.objects.only("id", "path")),
            Prefetch("audience__people", queryset=Person.objects.only("id")),
        )
        .order_by("opens_at", "id")
    )
    quizzes = [q for q in quizzes if audience_covers(q.audience, person)]
    ids = [q.pk for q in quizzes]
    used = dict(
        Attempt.objects.filter(person=person, quiz_id__in=ids)
        .values("quiz_id")
        .annotate(n=Count("id"))
        .values_list("quiz_id", "n")
    )
    open_ids = dict(
        Attempt.objects.filter(person=person, quiz_id__in=ids, status=AttemptStatus.OPEN).values_list("quiz_id", "id")
    )
    overrides = {o.quiz_id: o for o in QuizOverride.objects.filter(person=person, quiz_id__in=ids)}
    earned = None
    if any(q.kind == QuizKind.CERTIFICATION and q.required_legal_hours > 0 for q in quizzes):
        earned = sum(
            HoursEntry.objects.filter(
                person=person, year=timezone.localtime(now).year, category__in=list(LEGAL_CATEGORIES)
            ).values_list("hours", flat=True),
            Decimal("0.0"),
        )
    result = []
    for quiz in quizzes:
        override = overrides.get(quiz.pk)
        allowed = (override and override.attempts_allowed) or quiz.attempts_allowed
        limit = (override and override.time_limit_minutes) or quiz.time_limit_minutes
        n = used.get(quiz.pk, 0)
        needs_hours = quiz.kind == QuizKind.CERTIFICATION and quiz.required_legal_hours > 0
        result.append(
            QuizForPerson(
                quiz=quiz,
                attempts_used=n,
                attempts_left=None if allowed is None else max(0, allowed - n),
                time_limit_minutes=limit,
                open_attempt_id=open_ids.get(quiz.pk),
                prerequisites_met=not needs_hours or (earned or Decimal("0")) >= quiz.required_legal_hours,
                earned_legal_hours=earned if needs_hours else None,
            )
        )
    return result


def quizzes_with_window_opening_between(start: datetime, end: datetime) -> QuerySet[Quiz]:
    """Published quizzes whose window opens in [start, end) (for the reminder job)."""
    return Quiz.objects.filter(is_published=True, opens_at__gte=start, opens_at__lt=end).select_related("audience")


def quizzes_with_window_closing_between(start: datetime, end: datetime) -> QuerySet[Quiz]:
    """Published quizzes whose window closes in [start, end) (for the reminder job)."""
    return Quiz.objects.filter(is_published=True, closes_at__gte=start, closes_at__lt=end).select_related("audience")


def people_without_attempt(quiz: Quiz) -> QuerySet[Person]:
    """People of a quiz's audience who have not started it (whom a closing reminder is for)."""
    from training.selectors import audience_members

    members = audience_members(quiz.audience) if quiz.audience is not None else Person.objects.filter(is_active=True)
    return members.exclude(pk__in=Attempt.objects.filter(quiz=quiz).values("person_id"))
