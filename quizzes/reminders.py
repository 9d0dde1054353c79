"""Quizzes reminders (DESIGN.md, Reminders): beat-driven scans that fan out in batches.

- exam windows opening within three days (to the audience) and closing within
  three days (to those who have not started);
- credential expiry 90, 30 and 7 days before and on the day (to the holder);
- the HR expiry digest, once a month, for each HR user's scope;
- the annual review on the review date (default 15 January): holders of a live
  credential who missed last year's training requirement or failed last year's
  annual exam are told, and so are the HR users over them.

As in ``training.reminders``: each scan leaves out who already has the
reminder, queues batches of ``BATCH`` recipients, and ``notify_many``'s unique
(recipient, kind, target, due key) makes a second run a no-op.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from itertools import islice
from typing import cast
from zoneinfo import ZoneInfo

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from notifications.selectors import recipients_notified, recipients_notified_many
from notifications.services import Message, link, notify_many, render_message
from training.models import Person
from training.selectors import audience_members, progress_for_people

from .models import LIVE_STATUSES, Attempt, AttemptStatus, Credential, Quiz, QuizKind
from .selectors import credentials_expiring_between
from .selectors.quizzes import (
    people_without_attempt,
    quizzes_with_window_closing_between,
    quizzes_with_window_opening_between,
)

BATCH = 500
SHANGHAI = ZoneInfo("Asia/Shanghai")
QUIZ = Quiz._meta.label_lower
CREDENTIAL = Credential._meta.label_lower
KIND_OPENING = "exam_window_opening"
KIND_CLOSING = "exam_window_closing"
KIND_EXPIRY = "credential_expiry"
KIND_EXPIRY_DIGEST = "credential_expiry_digest"
KIND_REVIEW = "annual_review"
KIND_REVIEW_HR = "annual_review_hr"
WINDOW_NOTICE = timedelta(days=3)
REMINDED_KINDS = (QuizKind.ASSESSMENT, QuizKind.CERTIFICATION, QuizKind.ANNUAL_EXAM)
# (due key, fewest days left, most days left): each band once per expiry date.
EXPIRY_BANDS = (("90d", 31, 90), ("30d", 8, 30), ("7d", 1, 7), ("0d", 0, 0))
DIGEST_HORIZON_DAYS = 90
DIGEST_LINES = 30


def chunks(items: Iterable, size: int | None = None) -> Iterator[list]:
    size = size or BATCH
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _local(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def _users_of(people) -> list[int]:
    return list(people.filter(user__isnull=False).values_list("user_id", flat=True).order_by("user_id"))


# --- exam windows ---------------------------------------------------------------------------------


@shared_task(ignore_result=True)
def remind_exam_windows() -> int:
    """Hourly: exam windows opening or closing within three days."""
    return scan_exam_windows()


def scan_exam_windows(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    queued = 0
    plans = (
        (KIND_OPENING, quizzes_with_window_opening_between(now, now + WINDOW_NOTICE)),
        (KIND_CLOSING, quizzes_with_window_closing_between(now, now + WINDOW_NOTICE)),
    )
    for kind, found in plans:
        quizzes = [q for q in found.filter(kind__in=REMINDED_KINDS) if kind == KIND_OPENING or _is_open(q, now)]
        if not quizzes:
            continue
        done = recipients_notified_many(
            kind=kind, due_key=_window_key(kind), target_type=QUIZ, target_ids=[str(q.pk) for q in quizzes]
        )
        for quiz in quizzes:
            if kind == KIND_OPENING:
                people = (
                    audience_members(quiz.audience)
                    if quiz.audience is not None
                    else Person.objects.filter(is_active=True)
                )
            else:
                people = people_without_attempt(quiz)
            todo = [uid for uid in _users_of(people) if (str(quiz.pk), uid) not in done]
            for batch in chunks(todo):
                remind_exam_window_batch.delay(quiz.pk, kind, batch)
                queued += len(batch)
    return queued


def _is_open(quiz: Quiz, now: datetime) -> bool:
    return quiz.opens_at is None or quiz.opens_at <= now


def _window_key(kind: str) -> str:
    return "opens-3d" if kind == KIND_OPENING else "closes-3d"


@shared_task(ignore_result=True)
def remind_exam_window_batch(quiz_id: int, kind: str, user_ids: list[int]) -> int:
    return send_exam_window_reminders(quiz_id=quiz_id, kind=kind, user_ids=user_ids)


def send_exam_window_reminders(*, quiz_id: int, kind: str, user_ids: list[int]) -> int:
    quiz = Quiz.objects.filter(pk=quiz_id, is_published=True).first()
    if quiz is None:
        return 0
    title, body = render_message(
        kind,
        {
            "quiz": quiz,
            "kind": quiz.get_kind_display(),
            "opens": _local(quiz.opens_at) if quiz.opens_at else "",
            "closes": _local(quiz.closes_at) if quiz.closes_at else "",
        },
    )
    url = link("portal:exams")
    return notify_many(
        Message(
            recipient_id=uid,
            kind=kind,
            title=title,
            body=body,
            url=url,
            target_type=QUIZ,
            target_id=str(quiz.pk),
            due_key=_window_key(kind),
        )
        for uid in user_ids
    )


# --- credential expiry ------------------------------------------------------------------------------


def expiry_key(band: str, expires_on: date) -> str:
    """The band and the expiry date: a renewed credential (same row, new date) is reminded again."""
    return f"{band}@{expires_on.isoformat()}"


@shared_task(ignore_result=True)
def remind_credential_expiry() -> int:
    """Daily: holders whose credential expires in 90, 30 or 7 days, or today."""
    return scan_credential_expiry()


def scan_credential_expiry(*, today: date | None = None) -> int:
    """Each credential falls in at most one band a day; a band missed (beat down) is caught the next day."""
    today = today or timezone.localdate()
    queued = 0
    for band, low, high in EXPIRY_BANDS:
        rows = list(
            credentials_expiring_between(today + timedelta(days=low), today + timedelta(days=high))
            .filter(holder__user__isnull=False, holder__is_active=True)
            .values_list("pk", "expires_on", "holder__user_id")
            .order_by("pk")
        )
        if not rows:
            continue
        done = {
            (target, uid)
            for key in {expiry_key(band, e) for _, e, _ in rows}
            for target, uid in recipients_notified_many(
                kind=KIND_EXPIRY, due_key=key, target_type=CREDENTIAL, target_ids=[str(pk) for pk, _, _ in rows]
            )
        }
        todo = [pk for pk, _, uid in rows if (str(pk), uid) not in done]
        for batch in chunks(todo):
            remind_expiry_batch.delay(batch, band, today.isoformat())
            queued += len(batch)
    return queued


@shared_task(ignore_result=True)
def remind_expiry_batch(credential_ids: list[int], band: str, today: str) -> int:
    return send_expiry_reminders(credential_ids=credential_ids, band=band, today=date.fromisoformat(today))


def send_expiry_reminders(*, credential_ids: list[int], band: str, today: date) -> int:
    credentials = Credential.objects.filter(
        pk__in=credential_ids, status__in=LIVE_STATUSES, holder__user__isnull=False
    ).select_related("holder", "credential_type")
    url = link("portal:credential")
    messages = []
    for credential in credentials:
        title, body = render_message(
            KIND_EXPIRY,
            {
                "credential": credential,
                "type": credential.credential_type.name,
                "expires": credential.expires_on.isoformat(),
                "days_left": (credential.expires_on - today).days,
            },
        )
        messages.append(
            Message(
                recipient_id=cast(int, credential.holder.user_id),  # holders without a user are filtered out
                kind=KIND_EXPIRY,
                title=title,
                body=body,
                url=url,
                target_type=CREDENTIAL,
                target_id=str(credential.pk),
                due_key=expiry_key(band, credential.expires_on),
            )
        )
    return notify_many(messages)


# --- the HR expiry digest -------------------------------------------------------------------------------


@shared_task(ignore_result=True)
def send_expiry_digest() -> int:
    """Daily: once a month, each HR user gets the credentials in their scope expiring within 90 days."""
    return expiry_digest()


def _hr_users():
    return (
        get_user_model()
        .objects.filter(groups__name="hr", is_active=True)
        .select_related("person__scope_department")
        .distinct()
        .order_by("pk")
    )


def _in_scope(user, department_path: str) -> bool:
    person = getattr(user, "person", None)
    scope = person.scope_department if person else None
    return scope is None or department_path.startswith(scope.path)


def expiry_digest(*, today: date | None = None) -> int:
    today = today or timezone.localdate()
    key = f"{today.year:04d}-{today.month:02d}"
    notified = recipients_notified(kind=KIND_EXPIRY_DIGEST, due_key=key)
    expiring = list(
        credentials_expiring_between(today, today + timedelta(days=DIGEST_HORIZON_DAYS))
        .select_related("holder__department")
        .order_by("expires_on", "pk")
    )
    messages = []
    for user in _hr_users():
        if user.pk in notified:
            continue
        mine = [c for c in expiring if _in_scope(user, c.holder.department.path)]
        if not mine:
            continue
        title, body = render_message(
            KIND_EXPIRY_DIGEST,
            {
                "count": len(mine),
                "days": DIGEST_HORIZON_DAYS,
                "rows": [
                    {"name": c.holder.name, "number": c.number, "expires": c.expires_on.isoformat()}
                    for c in mine[:DIGEST_LINES]
                ],
                "more": max(0, len(mine) - DIGEST_LINES),
            },
        )
        messages.append(
            Message(
                recipient_id=user.pk,
                kind=KIND_EXPIRY_DIGEST,
                title=title,
                body=body,
                url=link("portal:hr-dashboard"),
                due_key=key,
            )
        )
    return notify_many(messages)


# --- the annual review --------------------------------------------------------------------------------------


def review_date(year: int) -> date:
    """The year's review date: ``ANNUAL_REVIEW_DATE`` ("MM-DD", default 01-15)."""
    month, day = (int(part) for part in settings.ANNUAL_REVIEW_DATE.split("-"))
    return date(year, month, day)


@shared_task(ignore_result=True)
def annual_review() -> int:
    """Daily: on (or, if beat was down, after) the review date, the review of last year, once."""
    return run_annual_review()


def flagged_holders(*, year: int) -> dict[int, list[str]]:
    """Person id → reasons, for holders of a live credential who missed ``year``'s training
    requirement or took ``year``'s annual exam and never passed it (REGULATIONS.md)."""
    end = date(year, 12, 31)
    holders = Person.objects.filter(
        is_active=True, credentials__status__in=LIVE_STATUSES, credentials__expires_on__gt=end
    ).distinct()
    reasons: dict[int, list[str]] = defaultdict(list)
    for pid, prog in progress_for_people(people=holders, year=year, as_of=end).items():
        if not prog.done:
            reasons[pid].append("hours")
    start_dt = datetime(year, 1, 1, tzinfo=SHANGHAI)
    end_dt = datetime(year + 1, 1, 1, tzinfo=SHANGHAI)
    annual = Attempt.objects.filter(
        quiz__kind=QuizKind.ANNUAL_EXAM,
        status=AttemptStatus.SUBMITTED,
        started_at__gte=start_dt,
        started_at__lt=end_dt,
        person__in=holders,
    )
    passed = set(annual.filter(passed=True).values_list("person_id", flat=True))
    for pid in sorted(set(annual.values_list("person_id", flat=True)) - passed):
        reasons[pid].append("annual_exam")
    return dict(reasons)


def run_annual_review(*, today: date | None = None) -> int:
    today = today or timezone.localdate()
    if today < review_date(today.year):
        return 0
    year = today.year - 1
    key = str(year)
    flagged = flagged_holders(year=year)
    if not flagged:
        return 0
    people = {p.pk: p for p in Person.objects.filter(pk__in=flagged, user__isnull=False).select_related("department")}
    url = link("portal:record")
    texts = {
        reasons: render_message(
            KIND_REVIEW, {"year": year, "hours": "hours" in reasons, "exam": "annual_exam" in reasons}
        )
        for reasons in {tuple(r) for r in flagged.values()}
    }
    messages = [
        Message(
            recipient_id=cast(int, p.user_id),
            kind=KIND_REVIEW,
            title=texts[tuple(flagged[pid])][0],
            body=texts[tuple(flagged[pid])][1],
            url=url,
            target_type=Person._meta.label_lower,
            target_id=str(pid),
            due_key=key,
        )
        for pid, p in people.items()
    ]
    created = sum(notify_many(batch) for batch in chunks(messages))
    by_hr: dict[int, list[Person]] = defaultdict(list)
    for user in _hr_users():
        by_hr[user.pk] = [p for p in people.values() if _in_scope(user, p.department.path)]
    notified = recipients_notified(kind=KIND_REVIEW_HR, due_key=key)
    hr_messages = []
    for uid, flagged_people in sorted(by_hr.items()):
        if uid in notified or not flagged_people:
            continue
        title, body = render_message(
            KIND_REVIEW_HR,
            {
                "year": year,
                "rows": [
                    {
                        "name": p.name,
                        "staff_number": p.staff_number,
                        "department": p.department.name,
                        "hours": "hours" in flagged[p.pk],
                        "exam": "annual_exam" in flagged[p.pk],
                    }
                    for p in sorted(flagged_people, key=lambda p: p.staff_number)
                ],
            },
        )
        hr_messages.append(
            Message(
                recipient_id=uid,
                kind=KIND_REVIEW_HR,
                title=title,
                body=body,
                url=link("portal:hr-dashboard"),
                due_key=key,
            )
        )
    return created + notify_many(hr_messages)
