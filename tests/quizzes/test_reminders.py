"""Quizzes reminder jobs with a frozen clock (Asia/Shanghai is UTC+8 all year)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from notifications.models import Notification
from quizzes import reminders
from quizzes.models import Attempt, Credential, CredentialType, ExternalResult, Quiz, QuizKind
from tests.notifications.fixtures import celery_eager  # noqa: F401
from training.models import Audience, PersonYearHours

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


def sh(y, m, d, h=0, mi=0):
    """A Shanghai wall-clock time as an aware UTC datetime."""
    return datetime(y, m, d, h, mi, tzinfo=UTC) - timedelta(hours=8)


def _quiz(*, opens_at, closes_at, kind=QuizKind.ASSESSMENT, audience=None, title="第三季度考核"):
    return Quiz.objects.create(
        title=title, kind=kind, opens_at=opens_at, closes_at=closes_at, audience=audience, time_limit_minutes=60
    )


def _credential(person, expires_on, *, number="ZF0001", status="active"):
    ctype, _ = CredentialType.objects.get_or_create(code="enf", defaults={"name": "行政执法证"})
    result = ExternalResult.objects.create(
        person=person, credential_type=ctype, passed_on=date(2020, 1, 1), document_ref="旧证"
    )
    return Credential.objects.create(
        number=number,
        holder=person,
        credential_type=ctype,
        issued_on=expires_on - timedelta(days=5 * 365),
        expires_on=expires_on,
        status=status,
        external_result=result,
    )


def _rows(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", "due_key"))


# --- exam windows ------------------------------------------------------------------------------------


def test_window_opening_within_three_days_tells_the_audience_once(world):
    audience = Audience.objects.create()
    audience.departments.add(world.here)
    quiz = _quiz(opens_at=sh(2026, 9, 4, 9), closes_at=sh(2026, 9, 10, 17), audience=audience)
    # when the hourly scan runs 3 days + 1 h before, then 2 days before, twice
    with time_machine.travel(sh(2026, 9, 1, 8), tick=False):
        assert reminders.scan_exam_windows() == 0
    with time_machine.travel(sh(2026, 9, 2, 9), tick=False):
        reminders.remind_exam_windows()
        reminders.remind_exam_windows()
    # then
    assert _rows("exam_window_opening") == [
        ("hr_here", "opens-3d"),
        ("officer", "opens-3d"),
        ("other_officer", "opens-3d"),
    ]
    n = Notification.objects.get(kind="exam_window_opening", recipient=world.officer.user)
    assert n.title == "考试提醒：第三季度考核即将开考"
    assert n.body.splitlines()[0] == "平时考核「第三季度考核」将于 2026-09-04 09:00 开放作答，2026-09-10 17:00 截止。"
    assert n.target_id == str(quiz.pk)


def test_window_closing_tells_only_those_who_have_not_started(world):
    quiz = _quiz(opens_at=sh(2026, 12, 1, 9), closes_at=sh(2027, 1, 1, 0, 0), kind=QuizKind.ANNUAL_EXAM)
    Attempt.objects.create(
        quiz=quiz, person=world.officer, started_at=sh(2026, 12, 2), deadline=sh(2026, 12, 2, 1), status="submitted"
    )
    # when it runs on 29 December at 09:00 (the window closes at midnight on 31 December)
    with time_machine.travel(sh(2026, 12, 29, 9), tick=False):
        reminders.remind_exam_windows()
    # then everyone but the officer hears of it
    assert [u for u, _ in _rows("exam_window_closing")] == ["admin", "hr_elsewhere", "hr_here", "other_officer"]
    n = Notification.objects.filter(kind="exam_window_closing").first()
    assert "将于 2027-01-01 00:00 截止，您尚未参加。" in n.body


def test_practice_quizzes_and_unpublished_ones_are_not_reminded(world):
    _quiz(opens_at=sh(2026, 9, 3, 9), closes_at=sh(2026, 9, 10), kind=QuizKind.PRACTICE)
    hidden = _quiz(opens_at=sh(2026, 9, 3, 9), closes_at=sh(2026, 9, 10))
    Quiz.objects.filter(pk=hidden.pk).update(is_published=False)
    with time_machine.travel(sh(2026, 9, 2, 9), tick=False):
        assert reminders.scan_exam_windows() == 0


# --- credential expiry ----------------------------------------------------------------------------------


def test_expiry_reminders_at_90_30_7_days_and_on_the_day_once_each(world):
    credential = _credential(world.officer, date(2027, 3, 31))
    days = [date(2026, 12, 31), date(2027, 1, 1), date(2027, 3, 1), date(2027, 3, 2), date(2027, 3, 24)]
    days += [date(2027, 3, 30), date(2027, 3, 31), date(2027, 4, 1)]
    # when the daily job runs at 08:00 on each of those days (and twice on one)
    for day in days:
        with time_machine.travel(sh(day.year, day.month, day.day, 8), tick=False):
            reminders.remind_credential_expiry()
            reminders.remind_credential_expiry()
    # then one reminder per band
    assert _rows("credential_expiry") == [
        ("officer", "0d@2027-03-31"),
        ("officer", "30d@2027-03-31"),
        ("officer", "7d@2027-03-31"),
        ("officer", "90d@2027-03-31"),
    ]
    today = Notification.objects.get(due_key="0d@2027-03-31")
    assert today.title == "执法证今日到期"
    assert "编号 ZF0001）有效期至 2027-03-31。" in today.body
    week = Notification.objects.get(due_key="7d@2027-03-31")
    assert week.title == "执法证到期提醒：还有 7 天到期"
    assert week.target_id == str(credential.pk)


def test_expiry_day_follows_the_shanghai_calendar(world):
    _credential(world.officer, date(2027, 1, 1))
    # 00:30 on 1 January in Shanghai is still 31 December in UTC: it is the day
    with time_machine.travel(sh(2027, 1, 1, 0, 30), tick=False):
        reminders.remind_credential_expiry()
    assert _rows("credential_expiry") == [("officer", "0d@2027-01-01")]


def test_a_renewed_credential_is_reminded_again_for_its_new_expiry(world):
    credential = _credential(world.officer, date(2026, 6, 30))
    with time_machine.travel(sh(2026, 6, 1, 8), tick=False):
        reminders.remind_credential_expiry()
    Credential.objects.filter(pk=credential.pk).update(expires_on=date(2031, 6, 30))
    with time_machine.travel(sh(2031, 6, 1, 8), tick=False):
        reminders.remind_credential_expiry()
    assert _rows("credential_expiry") == [("officer", "30d@2026-06-30"), ("officer", "30d@2031-06-30")]


def test_no_expiry_reminder_for_revoked_credentials(world):
    _credential(world.officer, date(2026, 6, 30), status="revoked")
    with time_machine.travel(sh(2026, 6, 1, 8), tick=False):
        assert reminders.scan_credential_expiry() == 0


def test_hr_expiry_digest_per_scope_once_a_month(world):
    _credential(world.officer, date(2026, 7, 20), number="ZF0001")
    _credential(world.hr_elsewhere, date(2026, 12, 1), number="ZF0002")  # beyond 90 days
    with time_machine.travel(sh(2026, 7, 1, 8, 30), tick=False):
        reminders.send_expiry_digest()
        reminders.send_expiry_digest()
    assert _rows("credential_expiry_digest") == [("hr_here", "2026-07")]
    n = Notification.objects.get(kind="credential_expiry_digest")
    assert n.title == "执法证到期月报：1 本将在 90 天内到期"
    assert n.body == "· 李明（ZF0001）：2026-07-20 到期"


# --- the annual review --------------------------------------------------------------------------------


def _hours(person, year, hours):
    PersonYearHours.objects.update_or_create(
        person=person,
        year=year,
        defaults={"general_law": Decimal(hours), "specialised_law": Decimal(0), "total": Decimal(hours)},
    )


def test_annual_review_flags_missed_hours_and_failed_annual_exam_on_15_january(world):
    # given three holders for 2026: enough hours (the officer needs 90, 60 of them legal), too few,
    # and enough hours but a failed annual exam
    for p, n in ((world.officer, "ZF1"), (world.other_officer, "ZF2"), (world.hr_elsewhere, "ZF3")):
        _credential(p, date(2029, 1, 1), number=n)
    _hours(world.officer, 2026, "95")
    _hours(world.other_officer, 2026, "40")
    _hours(world.hr_elsewhere, 2026, "95")
    exam = _quiz(opens_at=sh(2026, 11, 1), closes_at=sh(2026, 11, 30), kind=QuizKind.ANNUAL_EXAM)
    Attempt.objects.create(
        quiz=exam,
        person=world.hr_elsewhere,
        started_at=sh(2026, 11, 5),
        deadline=sh(2026, 11, 5, 1),
        status="submitted",
        passed=False,
    )
    # when it runs on 14 and 15 January 2027, and again on the 16th
    with time_machine.travel(sh(2027, 1, 14, 7), tick=False):
        assert reminders.run_annual_review() == 0
    for day in (15, 16):
        with time_machine.travel(sh(2027, 1, day, 7), tick=False):
            reminders.annual_review()
    # then the two flagged holders and the HR users over them each have one, for 2026
    assert _rows("annual_review") == [("hr_elsewhere", "2026"), ("other_officer", "2026")]
    assert _rows("annual_review_hr") == [("hr_elsewhere", "2026"), ("hr_here", "2026")]
    theirs = Notification.objects.get(kind="annual_review", recipient=world.other_officer.user)
    assert theirs.title == "2026年度执法资格年审提示"
    assert theirs.body.splitlines()[0] == "您2026年的学法学时未达到要求。"
    failed = Notification.objects.get(kind="annual_review", recipient=world.hr_elsewhere.user)
    assert failed.body.splitlines()[0] == "您未通过2026年度学法考试。"
    hr = Notification.objects.get(kind="annual_review_hr", recipient=world.hr_here.user)
    assert hr.title == "2026年度执法资格年审：1 人需审核"
    assert hr.body == "· 王芳（W0002，综合执法中心）：学时未达标"


def test_annual_review_date_comes_from_the_setting(world, settings):
    settings.ANNUAL_REVIEW_DATE = "02-01"
    _credential(world.other_officer, date(2029, 1, 1))
    with time_machine.travel(sh(2027, 1, 15, 7), tick=False):
        assert reminders.run_annual_review() == 0
    with time_machine.travel(sh(2027, 2, 1, 7), tick=False):
        assert reminders.run_annual_review() == 2  # the holder and hr_here
