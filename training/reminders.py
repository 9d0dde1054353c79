"""Training reminders (DESIGN.md, Reminders): beat-driven scans of the database.

Each scan finds who is due for what, leaves out who already has it, and
queues tasks of at most ``BATCH`` recipients; a batch task renders the texts
and calls ``notify_many``, whose unique (recipient, kind, target, due key)
makes a second run of a scan or a redelivered task a no-op. Nothing is
scheduled with a far-future ETA: what is not due yet is found by a later scan.

- sessions: a day ("1d", starting in 1–24 h) and an hour ("1h", starting within
  the hour) before; cancellations are sent at once by ``cancel_session``;
- the pace reminder to people behind pace, once a month ("YYYY-MM"; none in
  January, when the year's expected 学时 are still a rounding error);
- the HR hours digest for each HR user's scope, and the organisation's
  targets behind pace to HR and admins, once a month about the month just ended.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from itertools import islice

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from notifications.selectors import recipients_notified, recipients_notified_many
from notifications.services import Message, link, notify_many, render_message

from .models import Department, Person, SessionStatus, TrainingSession
from .roles import ADMIN, HR
from .selectors import (
    audience_members,
    department_rollup,
    organisation_targets,
    people_behind_pace,
    progress_for_people,
    sessions_starting_between,
)
from .selectors.sessions import SHANGHAI

BATCH = 500
SESSION = TrainingSession._meta.label_lower
KIND_SESSION = "session_reminder"
KIND_PACE = "pace_reminder"
KIND_HOURS_DIGEST = "hours_digest"
KIND_TARGETS = "organisation_targets_behind"
# (due key, window start, window end) relative to now: a session gets each reminder once.
SESSION_WINDOWS = (
    ("1h", timedelta(0), timedelta(hours=1)),
    ("1d", timedelta(hours=1), timedelta(hours=24)),
)


def chunks(items: Iterable, size: int | None = None) -> Iterator[list]:
    size = size or BATCH
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _queue(task, *args) -> None:
    # Scans only read, so there is no transaction to wait for; queue the batch now.
    task.delay(*args)


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def last_month_end(today: date) -> date:
    return today.replace(day=1) - timedelta(days=1)


# --- sessions ----------------------------------------------------------------------------------


@shared_task(ignore_result=True)
def remind_upcoming_sessions() -> int:
    """Every minute: reminders a day and an hour before each scheduled session."""
    return scan_upcoming_sessions()


def scan_upcoming_sessions(*, now: datetime | None = None) -> int:
    """Queue session reminders for every audience member who has not had them; returns how many."""
    now = now or timezone.now()
    queued = 0
    for due_key, start, end in SESSION_WINDOWS:
        sessions = list(
            sessions_starting_between(now + start, now + end).filter(starts_at__gt=now).select_related("audience")
        )
        if not sessions:
            continue
        done = recipients_notified_many(
            kind=KIND_SESSION, due_key=due_key, target_type=SESSION, target_ids=[str(s.pk) for s in sessions]
        )
        for session in sessions:
            user_ids = (
                audience_members(session.audience)
                .filter(user__isnull=False)
                .values_list("user_id", flat=True)
                .order_by("user_id")
            )
            todo = [uid for uid in user_ids if (str(session.pk), uid) not in done]
            for batch in chunks(todo):
                _queue(remind_session_batch, session.pk, due_key, batch)
                queued += len(batch)
    return queued


@shared_task(ignore_result=True)
def remind_session_batch(session_id: int, due_key: str, user_ids: list[int]) -> int:
    return send_session_reminders(session_id=session_id, due_key=due_key, user_ids=user_ids)


def send_session_reminders(*, session_id: int, due_key: str, user_ids: list[int]) -> int:
    """One batch of one session's reminder; nothing if it was cancelled or has begun meanwhile."""
    session = TrainingSession.objects.filter(pk=session_id, status=SessionStatus.SCHEDULED).first()
    if session is None or session.starts_at <= timezone.now():
        return 0
    local = session.starts_at.astimezone(SHANGHAI)
    title, body = render_message(
        KIND_SESSION,
        {
            "session": session,
            "soon": due_key == "1h",
            "when": local.strftime("%Y-%m-%d %H:%M"),
            "until": session.ends_at.astimezone(SHANGHAI).strftime("%H:%M"),
            "kind": session.get_kind_display(),
        },
    )
    url = link("portal:check-in", session_id=session.pk)
    return notify_many(
        Message(
            recipient_id=uid,
            kind=KIND_SESSION,
            title=title,
            body=body,
            url=url,
            target_type=SESSION,
            target_id=str(session.pk),
            due_key=due_key,
        )
        for uid in user_ids
    )


# --- the monthly pace reminder -----------------------------------------------------------------------


@shared_task(ignore_result=True)
def remind_behind_pace() -> int:
    """Daily: the month's pace reminder to people behind pace who have not had it yet."""
    return scan_behind_pace()


def scan_behind_pace(*, today: date | None = None) -> int:
    today = today or timezone.localdate()
    if today.month == 1:
        return 0
    key = month_key(today)
    notified = recipients_notified(kind=KIND_PACE, due_key=key)
    skip = set(Person.objects.filter(user_id__in=notified).values_list("pk", flat=True)) if notified else set()
    queued = 0
    for batch in chunks(pid for pid in people_behind_pace(year=today.year, as_of=today) if pid not in skip):
        _queue(remind_pace_batch, batch, today.isoformat())
        queued += len(batch)
    return queued


@shared_task(ignore_result=True)
def remind_pace_batch(person_ids: list[int], as_of: str) -> int:
    return send_pace_reminders(person_ids=person_ids, as_of=date.fromisoformat(as_of))


def send_pace_reminders(*, person_ids: list[int], as_of: date) -> int:
    """Tell each person in the batch, behind on which rule and by how much (four queries and two inserts)."""
    people = Person.objects.filter(pk__in=person_ids, is_active=True, user__isnull=False)
    users = dict(people.values_list("pk", "user_id"))
    progress = progress_for_people(people=people, year=as_of.year, as_of=as_of)
    url = link("portal:record")
    rendered: dict[tuple, tuple[str, str]] = {}
    messages = []
    for pid, prog in progress.items():
        behind = tuple(
            (r.name, r.earned_hours, r.expected_hours, r.required_hours) for r in prog.rules if not r.on_pace
        )
        if not behind or pid not in users:
            continue
        if behind not in rendered:  # many people share the same figures (e.g. nothing yet)
            rendered[behind] = render_message(
                KIND_PACE,
                {
                    "year": as_of.year,
                    "as_of": f"{as_of.month}月{as_of.day}日",
                    "rules": [
                        {"name": n, "earned": e, "expected": x, "required": q, "short": x - e} for n, e, x, q in behind
                    ],
                },
            )
        title, body = rendered[behind]
        messages.append(
            Message(recipient_id=users[pid], kind=KIND_PACE, title=title, body=body, url=url, due_key=month_key(as_of))
        )
    return notify_many(messages)


# --- monthly digests for HR and admins ------------------------------------------------------------


def _users_with_roles(*roles: str):
    q = Q(groups__name__in=roles)
    if ADMIN in roles:
        q |= Q(is_superuser=True)
    return get_user_model().objects.filter(q, is_active=True).distinct().order_by("pk")


@shared_task(ignore_result=True)
def send_hours_digest() -> int:
    """Daily: once a month, each HR user gets the hours standing of their scope at the end of last month."""
    return hours_digest()


def hours_digest(*, today: date | None = None) -> int:
    today = today or timezone.localdate()
    key = month_key(today)
    as_of = last_month_end(today)
    notified = recipients_notified(kind=KIND_HOURS_DIGEST, due_key=key)
    roots = list(Department.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    messages = []
    rollups: dict[tuple[int, ...], list[dict]] = {}
    for user in _users_with_roles(HR).select_related("person"):
        if user.pk in notified:
            continue
        person = getattr(user, "person", None)
        scope = (person.scope_department_id,) if person and person.scope_department_id else tuple(roots)
        if scope not in rollups:
            rollups[scope] = department_rollup(department_ids=list(scope), year=as_of.year, as_of=as_of)
        title, body = render_message(
            KIND_HOURS_DIGEST, {"year": as_of.year, "as_of": f"{as_of.month}月{as_of.day}日", "rows": rollups[scope]}
        )
        messages.append(
            Message(
                recipient_id=user.pk,
                kind=KIND_HOURS_DIGEST,
                title=title,
                body=body,
                url=link("portal:hr-dashboard"),
                due_key=key,
            )
        )
    return notify_many(messages)


@shared_task(ignore_result=True)
def remind_organisation_targets() -> int:
    """Daily: once a month, HR and admins hear which organisation targets were behind pace at the end of last month."""
    return organisation_targets_reminder()


def organisation_targets_reminder(*, today: date | None = None) -> int:
    today = today or timezone.localdate()
    as_of = last_month_end(today)
    targets = organisation_targets(year=as_of.year, as_of=as_of)
    behind = [
        {"name": name, **targets[code]}
        for code, name in (("central_group_study", "党委中心组集体学法"), ("thematic_legal_training", "法治专题培训"))
        if not targets[code]["on_pace"]
    ]
    if not behind:
        return 0
    key = month_key(today)
    notified = recipients_notified(kind=KIND_TARGETS, due_key=key)
    title, body = render_message(
        KIND_TARGETS, {"year": as_of.year, "as_of": f"{as_of.month}月{as_of.day}日", "targets": behind}
    )
    return notify_many(
        Message(recipient_id=uid, kind=KIND_TARGETS, title=title, body=body, due_key=key)
        for uid in _users_with_roles(HR, ADMIN).values_list("pk", flat=True)
        if uid not in notified
    )
