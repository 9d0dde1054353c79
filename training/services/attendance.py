"""Attendance: check-in from a phone, admin edits, bulk import — every change of 学时 through the ledger.

DESIGN.md (Attendance, Hours ledger); issue items 4 and 5.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record

from ..errors import (
    CheckInCodeExpired,
    CheckInCodeForeign,
    CheckInCodeInvalid,
    CheckInOutsideWindow,
    CheckInThrottled,
    HoursInvalid,
    ImportInvalid,
    NotInAudience,
    ReasonRequired,
    SessionCancelled,
)
from ..models import Attendance, AttendanceStatus, HoursSource, Person, SessionStatus, TrainingSession
from .ledger import check_hours, set_credit, split_by_year

WINDOW_BEFORE = timedelta(minutes=15)
EXPIRED_LOOKBACK = 30  # minutes in which an old code is told apart from a wrong one
THROTTLE_LIMIT = 5


# --- check-in codes -----------------------------------------------------------------------


def _minute(now: datetime) -> int:
    return int(now.timestamp()) // 60


def code_at(session: TrainingSession, minute: int) -> str:
    """Six digits from HMAC-SHA256(session secret, minute number)."""
    digest = hmac.new(session.check_in_secret.encode(), str(minute).encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:4], 'big') % 1_000_000:06d}"


@dataclass(frozen=True)
class CheckInCode:
    code: str
    qr_url: str
    valid_until: datetime


def current_code(*, session: TrainingSession, now: datetime | None = None) -> CheckInCode:
    """The code to show now; it stays accepted through the next minute (current and previous are accepted)."""
    now = now or timezone.now()
    minute = _minute(now)
    code = code_at(session, minute)
    return CheckInCode(
        code=code,
        qr_url=f"{settings.SITE_URL}/check-in/{session.pk}/?code={code}",
        valid_until=datetime.fromtimestamp((minute + 2) * 60, tz=UTC),
    )


def _in_window(session: TrainingSession, now: datetime) -> bool:
    return session.starts_at - WINDOW_BEFORE <= now <= session.ends_at


def _throttle_key(person: Person, now: datetime) -> str:
    return f"xuefa:checkin-fail:{person.pk}:{_minute(now)}"


def _refuse_code(*, session: TrainingSession, person: Person, code: str, now: datetime) -> None:
    """Count the failure (five in a minute lock check-in for the rest of it), then raise the code's own error."""
    key = _throttle_key(person, now)
    cache.add(key, 0, timeout=90)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=90)
    minute = _minute(now)
    if code in {code_at(session, minute - back) for back in range(2, EXPIRED_LOOKBACK + 1)}:
        raise CheckInCodeExpired()
    others = TrainingSession.objects.filter(
        status=SessionStatus.SCHEDULED, starts_at__lte=now + WINDOW_BEFORE, ends_at__gte=now
    ).exclude(pk=session.pk)
    for other in others.only("id", "check_in_secret"):
        if code in (code_at(other, minute), code_at(other, minute - 1)):
            raise CheckInCodeForeign()
    raise CheckInCodeInvalid()


def check_in(*, session: TrainingSession, person: Person, code: str, now: datetime | None = None) -> Attendance:
    """An officer checks in with the code on the screen (issue item 4).

    Inside the window (15 minutes before the start to the end), only for the
    audience, with the current or previous minute's code. Checking in again
    returns the same row; five wrong codes in a minute → ``check_in_throttled``.
    """
    from ..selectors import audience_includes

    now = now or timezone.now()
    if session.status == SessionStatus.CANCELLED:
        raise SessionCancelled()
    done = Attendance.objects.filter(session=session, person=person, status=AttendanceStatus.ATTENDED).first()
    if done is not None:
        return done
    if (cache.get(_throttle_key(person, now)) or 0) >= THROTTLE_LIMIT:
        raise CheckInThrottled(detail={"retry_after": 60 - int(now.timestamp()) % 60})
    if not _in_window(session, now):
        raise CheckInOutsideWindow()
    if not audience_includes(session.audience, person):
        raise NotInAudience()
    minute = _minute(now)
    if (code or "").strip() not in (code_at(session, minute), code_at(session, minute - 1)):
        _refuse_code(session=session, person=person, code=(code or "").strip(), now=now)
    with transaction.atomic():
        attendance, _created = Attendance.objects.get_or_create(session=session, person=person)
        attendance = Attendance.objects.select_for_update().get(pk=attendance.pk)
        if attendance.status == AttendanceStatus.ATTENDED:
            return attendance
        before = _attendance_snapshot(attendance)
        attendance.status = AttendanceStatus.ATTENDED
        attendance.checked_in_at = now
        attendance.credited_hours = session.credited_hours
        attendance.reason = ""
        attendance.save()
        sync_attendance_credit(attendance=attendance, session=session, actor=person.user, reason=_("扫码签到"))
        record(
            actor=person.user,
            action="training.attendance.check_in",
            target=attendance,
            before=before,
            after=_attendance_snapshot(attendance),
        )
    return attendance


# --- edits ---------------------------------------------------------------------------------


def _attendance_snapshot(a: Attendance) -> dict:
    return {
        "status": a.status,
        "credited_hours": str(a.credited_hours),
        "reason": a.reason,
        "checked_in_at": a.checked_in_at.isoformat() if a.checked_in_at else None,
    }


def sync_attendance_credit(*, attendance: Attendance, session: TrainingSession, actor, reason: str) -> None:
    """Bring the ledger for this attendance row to its credited 学时, split between years."""
    set_credit(
        person=attendance.person,
        target=split_by_year(starts_at=session.starts_at, ends_at=session.ends_at, hours=attendance.credited_hours),
        category=session.content_category,
        source=HoursSource.ATTENDANCE,
        source_ref=f"attendance:{attendance.pk}",
        reason=reason,
        actor=actor,
    )


@transaction.atomic
def edit_attendance(
    *,
    session: TrainingSession,
    person: Person,
    actor,
    status: str | None = None,
    credited_hours: Decimal | None = None,
    reason: str = "",
) -> Attendance:
    """An admin sets a person's status and/or credited 学时 for a session.

    Excused needs a reason; changing credited 学时 needs a reason (DESIGN.md:
    a change of credited hours keeps who, when and why). Attended without
    hours given credits the session's 学时; any other status credits none.
    """
    if session.status == SessionStatus.CANCELLED:
        raise SessionCancelled()
    attendance, _created = Attendance.objects.get_or_create(session=session, person=person)
    attendance = Attendance.objects.select_for_update().select_related("person").get(pk=attendance.pk)
    before = _attendance_snapshot(attendance)
    new_status = status or attendance.status
    if new_status not in AttendanceStatus.values:
        raise ImportInvalid(_("未知的出勤状态。"), code="validation_error")
    reason = (reason or "").strip()
    if credited_hours is not None:
        hours = check_hours(credited_hours)
    elif new_status == AttendanceStatus.ATTENDED:
        hours = attendance.credited_hours if attendance.status == AttendanceStatus.ATTENDED else session.credited_hours
    else:
        hours = Decimal("0.0")
    if new_status != AttendanceStatus.ATTENDED and hours != 0:
        raise HoursInvalid(_("只有出勤才能计学时。"))
    if new_status == AttendanceStatus.EXCUSED and not reason:
        raise ReasonRequired(_("请假必须填写原因。"))
    hours_changed = hours != attendance.credited_hours
    default_credit = new_status == AttendanceStatus.ATTENDED and hours == session.credited_hours
    if hours_changed and not reason and not default_credit:
        raise ReasonRequired()
    attendance.status = new_status
    attendance.credited_hours = hours
    attendance.reason = reason
    attendance.save()
    if hours_changed:
        sync_attendance_credit(attendance=attendance, session=session, actor=actor, reason=reason or _("出勤登记"))
    record(
        actor=actor,
        action="training.attendance.edit",
        target=attendance,
        before=before,
        after=_attendance_snapshot(attendance),
        reason=reason,
    )
    return attendance


STATUS_WORDS = {
    "已报名": AttendanceStatus.REGISTERED,
    "报名": AttendanceStatus.REGISTERED,
    "出勤": AttendanceStatus.ATTENDED,
    "已出勤": AttendanceStatus.ATTENDED,
    "缺勤": AttendanceStatus.ABSENT,
    "请假": AttendanceStatus.EXCUSED,
    **{s.value: s for s in AttendanceStatus},
}
ATTENDANCE_COLUMNS = ("工号", "状态", "学时", "原因")


def read_table(*, content: bytes, filename: str) -> list[list[str]]:
    """Rows of an xlsx (first sheet) or csv (UTF-8, BOM allowed) file, cells as stripped strings."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise ImportInvalid(detail={"errors": [{"line": 0, "message": _("无法读取 xlsx 文件。")}]}) from exc
        sheet = book.worksheets[0]
        return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    if name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportInvalid(detail={"errors": [{"line": 0, "message": _("CSV 须为 UTF-8 编码。")}]}) from exc
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    raise ImportInvalid(detail={"errors": [{"line": 0, "message": _("只接受 xlsx 或 csv 文件。")}]})


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@transaction.atomic
def import_attendance(*, session: TrainingSession, actor, content: bytes, filename: str, allowed_people=None) -> int:
    """Bulk attendance from xlsx/csv (columns 工号, 状态, 学时, 原因), checked whole: one bad row imports nothing.

    ``allowed_people`` (a queryset) limits who may appear, e.g. a scoped admin's
    people. Returns how many rows were applied.
    """
    rows = [r for r in read_table(content=content, filename=filename) if any(r)]
    header = [c for c in rows[0] if c][:4] if rows else []
    if len(header) < 2 or header != list(ATTENDANCE_COLUMNS[: len(header)]):
        raise ImportInvalid(detail={"errors": [{"line": 1, "message": _("表头须为：工号, 状态, 学时, 原因")}]})
    errors: list[dict] = []
    numbers = [r[0] for r in rows[1:]]
    people_qs = allowed_people if allowed_people is not None else Person.objects.all()
    people = {p.staff_number: p for p in people_qs.filter(staff_number__in=numbers)}
    seen: set[str] = set()
    plan: list[tuple[Person, str, Decimal | None, str]] = []
    for line, row in enumerate(rows[1:], start=2):
        row = [*row, "", "", ""][:4]
        number, status_word, hours_text, reason = row
        problems = []
        person = people.get(number)
        if person is None:
            problems.append(_("工号 %(n)s 不存在") % {"n": number})
        if number in seen:
            problems.append(_("工号重复"))
        seen.add(number)
        status: str | None = STATUS_WORDS.get(status_word)
        if status is None:
            problems.append(_("状态无效：%(s)s") % {"s": status_word})
        hours = None
        if hours_text:
            try:
                hours = check_hours(Decimal(hours_text))
            except (HoursInvalid, InvalidOperation):
                problems.append(_("学时无效：%(h)s") % {"h": hours_text})
        if status == AttendanceStatus.EXCUSED and not reason:
            problems.append(_("请假须填写原因"))
        if status is not None and status != AttendanceStatus.ATTENDED and hours not in (None, Decimal("0")):
            problems.append(_("只有出勤才能计学时"))
        if hours is not None and status == AttendanceStatus.ATTENDED and hours != session.credited_hours and not reason:
            problems.append(_("学时与培训不同，须填写原因"))
        if problems or person is None or status is None:
            errors.append({"line": line, "message": "；".join(problems)})
        else:
            plan.append((person, status, hours, reason))
    if errors:
        raise ImportInvalid(detail={"errors": errors})
    for who, new_status, new_hours, why in plan:
        edit_attendance(
            session=session, person=who, actor=actor, status=new_status, credited_hours=new_hours, reason=why
        )
    return len(plan)
