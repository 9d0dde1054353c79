"""Scheduling, changing and cancelling sessions (DESIGN.md, TrainingSession; issue item 3)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.db import models, transaction
from django.utils.translation import gettext as _

from audit.errors import InvalidInput
from audit.services import record
from notifications.services import Message, notify_many

from ..errors import RecurrenceInvalid, SessionCancelled, SessionNotEditable, SessionTimesInvalid
from ..models import Audience, ContentCategory, SessionKind, SessionStatus, TrainingSession
from .ledger import check_hours

SHANGHAI = ZoneInfo("Asia/Shanghai")
MAX_SERIES = 60
EDITABLE = ("title", "kind", "content_category", "starts_at", "ends_at", "place", "online_url", "credited_hours")


@dataclass
class AudienceSpec:
    """Who a session is for: departments (with subtrees), categories, enforcement officers only, named people."""

    departments: list[int] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    enforcement_only: bool = False
    people: list[int] = field(default_factory=list)


def create_audience(spec: AudienceSpec) -> Audience:
    audience = Audience.objects.create(categories=list(spec.categories), enforcement_only=spec.enforcement_only)
    if spec.departments:
        audience.departments.set(spec.departments)
    if spec.people:
        audience.people.set(spec.people)
    return audience


def set_audience(audience: Audience, spec: AudienceSpec) -> None:
    audience.categories = list(spec.categories)
    audience.enforcement_only = spec.enforcement_only
    audience.save(update_fields=["categories", "enforcement_only"])
    audience.departments.set(spec.departments)
    audience.people.set(spec.people)


def _check_times_and_hours(*, starts_at: datetime, ends_at: datetime, credited_hours: Decimal) -> Decimal:
    """End after start; credited 学时 a multiple of 0.5, not negative, and not more than two per hour of the session."""
    if ends_at <= starts_at:
        raise SessionTimesInvalid()
    hours = check_hours(credited_hours)
    if hours > Decimal(int((ends_at - starts_at).total_seconds())) / 1800:
        raise InvalidInput(_("学时不能超过培训时长的两倍。"), code="hours_invalid")
    return hours


def _snapshot(session: TrainingSession) -> dict:
    return {
        "title": session.title,
        "kind": session.kind,
        "content_category": session.content_category,
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "place": session.place,
        "online_url": session.online_url,
        "credited_hours": str(session.credited_hours),
        "capacity": session.capacity,
        "status": session.status,
    }


@transaction.atomic
def schedule_session(
    *,
    actor,
    title: str,
    kind: str,
    content_category: str,
    starts_at: datetime,
    ends_at: datetime,
    credited_hours: Decimal,
    audience: AudienceSpec | Audience,
    place: str = "",
    online_url: str = "",
    capacity: int | None = None,
    series_id: uuid.UUID | None = None,
) -> TrainingSession:
    """Schedule one session for an audience (re-expanded until the start, so newcomers are included)."""
    if kind not in SessionKind.values or content_category not in ContentCategory.values:
        raise InvalidInput(_("未知的培训类型或内容类别。"))
    hours = _check_times_and_hours(starts_at=starts_at, ends_at=ends_at, credited_hours=credited_hours)
    if isinstance(audience, AudienceSpec):
        audience = create_audience(audience)
    session = TrainingSession.objects.create(
        title=title,
        kind=kind,
        content_category=content_category,
        starts_at=starts_at,
        ends_at=ends_at,
        credited_hours=hours,
        audience=audience,
        place=place,
        online_url=online_url,
        capacity=capacity,
        series_id=series_id,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(actor=actor, action="training.session.schedule", target=session, after=_snapshot(session))
    return session


def series_starts(*, recurrence: str, first_start: datetime, exceptions: list[date | datetime]) -> list[datetime]:
    """Occurrences of an RFC 5545 RRULE from ``first_start`` (read in Asia/Shanghai), minus the exception dates.

    A rule must end (COUNT or UNTIL) and make at most 60 sessions.
    """
    local = first_start.astimezone(SHANGHAI).replace(tzinfo=None)
    text = recurrence.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    upper = text.upper()
    if "COUNT=" not in upper and "UNTIL=" not in upper:
        raise RecurrenceInvalid(_("重复规则必须有 COUNT 或 UNTIL。"))
    try:
        rule = rrulestr(text, dtstart=local, ignoretz=True)
        starts = []
        for occurrence in rule:
            starts.append(occurrence)
            if len(starts) > MAX_SERIES:
                raise RecurrenceInvalid(_("一个系列最多 60 次。"))
    except (ValueError, TypeError) as exc:
        raise RecurrenceInvalid() from exc
    skip = {(e.astimezone(SHANGHAI).date() if isinstance(e, datetime) else e) for e in exceptions}
    return [s.replace(tzinfo=SHANGHAI) for s in starts if s.date() not in skip]


@transaction.atomic
def schedule_series(
    *,
    actor,
    recurrence: str,
    exceptions: list[date | datetime] | None = None,
    starts_at: datetime,
    ends_at: datetime,
    audience: AudienceSpec | Audience,
    **fields,
) -> tuple[uuid.UUID, list[TrainingSession]]:
    """Schedule a series (e.g. the central group's monthly study): one session per occurrence, one audience."""
    duration = ends_at - starts_at
    if duration <= timedelta(0):
        raise SessionTimesInvalid()
    starts = series_starts(recurrence=recurrence, first_start=starts_at, exceptions=exceptions or [])
    if not starts:
        raise RecurrenceInvalid(_("重复规则没有产生任何日期。"))
    if isinstance(audience, AudienceSpec):
        audience = create_audience(audience)
    series_id = uuid.uuid4()
    sessions = [
        schedule_session(
            actor=actor, starts_at=s, ends_at=s + duration, audience=audience, series_id=series_id, **fields
        )
        for s in starts
    ]
    return series_id, sessions


@transaction.atomic
def update_session(
    *, session: TrainingSession, actor, audience: AudienceSpec | None = None, **changes
) -> TrainingSession:
    """Change a scheduled session; attendance already credited keeps its 学时 (edit it to change them)."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.status == SessionStatus.CANCELLED:
        raise SessionNotEditable()
    before = _snapshot(session)
    unknown = set(changes) - set(EDITABLE) - {"capacity"}
    if unknown:
        raise InvalidInput(detail={k: ["not editable"] for k in sorted(unknown)})
    for name, value in changes.items():
        setattr(session, name, value)
    if session.kind not in SessionKind.values or session.content_category not in ContentCategory.values:
        raise InvalidInput(_("未知的培训类型或内容类别。"))
    session.credited_hours = _check_times_and_hours(
        starts_at=session.starts_at, ends_at=session.ends_at, credited_hours=session.credited_hours
    )
    session.save()
    if audience is not None:
        set_audience(session.audience, audience)
    record(actor=actor, action="training.session.update", target=session, before=before, after=_snapshot(session))
    if before["content_category"] != session.content_category:
        _move_category(session=session, old=before["content_category"], actor=actor)
    if (
        before["credited_hours"] != str(session.credited_hours)
        or before["starts_at"] != session.starts_at.isoformat()
        or before["ends_at"] != session.ends_at.isoformat()
    ):
        _recredit_attendance(session=session, old_hours=Decimal(before["credited_hours"]), actor=actor)
    return session


def _move_category(*, session: TrainingSession, old: str, actor) -> None:
    """Attendees' 学时 follow the session to its new content category: a pair of corrections per year."""
    from ..models import HoursEntry, HoursSource
    from .ledger import credit_hours

    refs = [f"attendance:{pk}" for pk in session.attendances.values_list("pk", flat=True)]
    held = (
        HoursEntry.objects.filter(source_ref__in=refs, category=old)
        .values("person_id", "year", "source_ref")
        .annotate(total=models.Sum("hours"))
        .order_by("source_ref", "year")
    )
    reason = _("培训内容类别调整")
    for row in held:
        if row["total"] == 0:
            continue
        for category, hours in ((old, -row["total"]), (session.content_category, row["total"])):
            credit_hours(
                person=row["person_id"],
                year=row["year"],
                category=category,
                hours=hours,
                source=HoursSource.CORRECTION,
                source_ref=row["source_ref"],
                reason=reason,
                actor=actor,
            )


def _recredit_attendance(*, session: TrainingSession, old_hours: Decimal, actor) -> None:
    """After a change of the session's 学时 or times, attendees credited the old default get the new one,
    and every credit is split between the years again (corrections in the ledger, never overwrites).
    Rows an admin set by hand to another value keep it."""
    from ..models import Attendance, AttendanceStatus
    from .attendance import sync_attendance_credit

    reason = _("培训学时或时间调整")
    attended = Attendance.objects.select_for_update().filter(session=session, status=AttendanceStatus.ATTENDED)
    for attendance in attended.select_related("person"):
        if attendance.credited_hours == old_hours and old_hours != session.credited_hours:
            attendance.credited_hours = session.credited_hours
            attendance.save(update_fields=["credited_hours", "updated_at"])
        sync_attendance_credit(attendance=attendance, session=session, actor=actor, reason=reason)


@transaction.atomic
def cancel_session(*, session: TrainingSession, actor, reason: str) -> TrainingSession:
    """Cancel with a reason and tell the audience at once (DESIGN.md, Reminders: cancellations at once)."""
    from ..selectors import audience_members

    if not reason or not reason.strip():
        raise InvalidInput(_("取消培训必须填写原因。"), code="reason_required")
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.status == SessionStatus.CANCELLED:
        raise SessionCancelled()
    before = _snapshot(session)
    session.status = SessionStatus.CANCELLED
    session.cancel_reason = reason.strip()
    session.save(update_fields=["status", "cancel_reason", "updated_at"])
    record(
        actor=actor,
        action="training.session.cancel",
        target=session,
        before=before,
        after=_snapshot(session),
        reason=reason,
    )
    local = session.starts_at.astimezone(SHANGHAI)
    title = _("培训已取消：%(title)s") % {"title": session.title}
    body = _("原定 %(when)s 的培训已取消。原因：%(reason)s") % {
        "when": local.strftime("%Y-%m-%d %H:%M"),
        "reason": session.cancel_reason,
    }
    user_ids = audience_members(session.audience).exclude(user__isnull=True).values_list("user_id", flat=True)
    notify_many(
        Message(
            recipient_id=uid,
            kind="session_cancelled",
            title=title,
            body=body,
            target_type=session._meta.label_lower,
            target_id=str(session.pk),
            due_key="cancelled",
        )
        for uid in user_ids.iterator(chunk_size=1000)
    )
    return session
