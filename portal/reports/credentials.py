"""The credential filters and the expiry sort of the compliance report, in SQL.

A person's credential in the report is the one quizzes' selector reports: a
live one (active or suspended) first, else the latest, by issue date; its
status is computed on read (a live credential past its expiry reads as
expired). The same choice is made here as a correlated subquery, so filtering
and sorting 100,000 people is one query the database pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, CharField, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When

from quizzes.models import LIVE_STATUSES, Credential
from training.models import Person

EXPIRING_DAYS = 90


def _current(today: dt.date) -> Any:
    return (
        Credential.objects.filter(holder=OuterRef("pk"))
        .annotate(
            live_first=Case(
                When(status__in=list(LIVE_STATUSES), then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
            effective=Case(
                When(status__in=list(LIVE_STATUSES), expires_on__lt=today, then=Value("expired")),
                default="status",
                output_field=CharField(),
            ),
        )
        .order_by("live_first", "-issued_on", "-id")
    )


def with_current_credential(people: QuerySet[Person], *, today: dt.date) -> Any:
    current = _current(today)
    return people.annotate(
        credential_status=Subquery(current.values("effective")[:1]),
        credential_expires_on=Subquery(current.values("expires_on")[:1]),
    )


def filter_by_credential(people: QuerySet[Person], *, today: dt.date, credential: str) -> QuerySet[Person]:
    annotated = with_current_credential(people, today=today)
    if credential == "none":
        return annotated.filter(credential_status__isnull=True)
    if credential == "expiring":
        return annotated.filter(
            Q(credential_status="active") & Q(credential_expires_on__lte=today + dt.timedelta(days=EXPIRING_DAYS))
        )
    return annotated.filter(credential_status=credential)
