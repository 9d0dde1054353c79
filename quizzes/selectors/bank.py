"""Reads of the question bank."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from ..models import Attempt, Question, QuestionStatus, QuestionVersion


def active_question_ids(*, question_type: str, tags: list[str]) -> list[int]:
    """Ids of the active questions of a type carrying any of ``tags`` (every one, with no tags).

    One indexed scan of two small columns; the result is cached per section
    (quizzes.cache), so a start never runs this.
    """
    rows = Question.objects.filter(status=QuestionStatus.ACTIVE, type=question_type).values_list("id", "tags")
    wanted = set(tags)
    return [pk for pk, question_tags in rows if not wanted or wanted.intersection(question_tags or [])]


def version_is_used(version: QuestionVersion) -> bool:
    """Whether any attempt's paper showed this version."""
    if connection.vendor == "postgresql":
        return Attempt.objects.filter(paper__version_ids__contains=[version.pk]).exists()
    return any(
        version.pk in (paper or {}).get("version_ids", []) for paper in Attempt.objects.values_list("paper", flat=True)
    )


def attempts_showing(version: QuestionVersion) -> QuerySet[Attempt]:
    if connection.vendor == "postgresql":
        return Attempt.objects.filter(paper__version_ids__contains=[version.pk])
    ids = [
        pk
        for pk, paper in Attempt.objects.values_list("id", "paper")
        if version.pk in (paper or {}).get("version_ids", [])
    ]
    return Attempt.objects.filter(pk__in=ids)


def questions(*, search: str = "", tag: str = "", type: str = "") -> QuerySet[Question]:
    qs = Question.objects.select_related("current").order_by("id")
    if type:
        qs = qs.filter(type=type)
    if search:
        qs = qs.filter(current__stem__icontains=search)
    if tag:
        if connection.vendor == "postgresql":
            qs = qs.filter(tags__contains=[tag])
        else:
            qs = qs.filter(
                pk__in=[pk for pk, tags in Question.objects.values_list("id", "tags") if tag in (tags or [])]
            )
    return qs
