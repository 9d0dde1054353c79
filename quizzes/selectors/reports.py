"""Figures for the compliance and annual reports in portal/, each in a fixed number of queries."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from ..models import LIVE_STATUSES, Attempt, AttemptStatus, Credential, CredentialEvent, QuizKind


def latest_results_for_people(*, person_ids) -> dict[int, dict]:
    """Each person's latest submitted attempt (one query): {person_id: {quiz_id, quiz, kind, finished_at, score, percent, passed}}."""
    rows = (
        Attempt.objects.filter(person_id__in=list(person_ids), status=AttemptStatus.SUBMITTED)
        .order_by("person_id", "-finished_at")
        .values("person_id", "quiz_id", "quiz__title", "quiz__kind", "finished_at", "score", "percent", "passed")
    )
    result: dict[int, dict] = {}
    for row in rows.iterator(chunk_size=2000):
        if row["person_id"] in result:
            continue
        result[row["person_id"]] = {
            "quiz_id": row["quiz_id"],
            "quiz": row["quiz__title"],
            "kind": row["quiz__kind"],
            "finished_at": row["finished_at"],
            "score": row["score"],
            "percent": row["percent"],
            "passed": row["passed"],
        }
    return result


def credential_status_for_people(*, person_ids, today: date) -> dict[int, dict]:
    """Each person's current credential (live first, then the latest) with its computed status (one query)."""
    rows = (
        Credential.objects.filter(holder_id__in=list(person_ids))
        .select_related("credential_type")
        .order_by("holder_id", "-issued_on", "-id")
    )
    result: dict[int, dict] = {}
    for credential in rows.iterator(chunk_size=2000):
        current = result.get(credential.holder_id)
        live = credential.status in LIVE_STATUSES
        if current is not None and (current["_live"] or not live):
            continue
        result[credential.holder_id] = {
            "_live": live,
            "number": credential.number,
            "credential_type": credential.credential_type.name,
            "status": credential.effective_status(today),
            "issued_on": credential.issued_on,
            "expires_on": credential.expires_on,
        }
    for value in result.values():
        value.pop("_live")
    return result


def _rate(passed: int, total: int) -> Decimal | None:
    if not total:
        return None
    return (Decimal(passed) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def annual_figures(*, year: int) -> dict:
    """Exam pass rates per kind and credentials granted, renewed, suspended, revoked in a year (two queries)."""
    exams = {}
    rows = (
        Attempt.objects.filter(status=AttemptStatus.SUBMITTED, finished_at__year=year)
        .values("quiz__kind")
        .annotate(total=Count("id"), passed=Count("id", filter=Q(passed=True)), people=Count("person", distinct=True))
    )
    for row in rows:
        exams[row["quiz__kind"]] = {
            "attempts": row["total"],
            "passed": row["passed"],
            "people": row["people"],
            "pass_rate": _rate(row["passed"], row["total"]),
        }
    for kind in QuizKind.values:
        exams.setdefault(kind, {"attempts": 0, "passed": 0, "people": 0, "pass_rate": None})
    counts = dict(
        CredentialEvent.objects.filter(at__year=year).values("kind").annotate(n=Count("id")).values_list("kind", "n")
    )
    credentials = {kind: counts.get(kind, 0) for kind in CredentialEvent.Kind.values}
    return {"year": year, "exams": exams, "credentials": credentials}
