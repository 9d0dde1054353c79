"""Training reminder jobs with a frozen clock (Asia/Shanghai is UTC+8 all year)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from notifications.models import Delivery, Notification
from tests.notifications.fixtures import celery_eager  # noqa: F401
from tests.training.factories import PersonFactory, UserFactory
from training import reminders
from training.models import Audience, PersonYearHours, SessionKind, TrainingSession

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


def sh(y, m, d, h=0, mi=0):
    """A Shanghai wall-clock time as an aware UTC datetime."""
    return datetime(y, m, d, h, mi, tzinfo=UTC) - timedelta(hours=8)


def _session(starts_at, *, audience=None, title="宪法学习", kind=SessionKind.THEMATIC_LEGAL_TRAINING, **extra):
    audience = audience or Audience.objects.create()
    return TrainingSession.objects.create(
        title=title,
        kind=kind,
        content_category="general_law",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        place="三楼会议室",
        credited_hours=Decimal("3.0"),
        audience=audience,
        **extra,
    )


def _reminders(kind="session_reminder"):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", "due_key", "target_id"))


# --- sessions ----------------------------------------------------------------------------------------


def test_a_session_gets_its_day_reminder_then_its_hour_reminder(world):
    session = _session(sh(2026, 3, 10, 9, 0))
    # when the scan runs 23 h before, twice, then 59 min before
    with time_machine.travel(sh(2026, 3, 9, 10, 0), tick=False):
        reminders.remind_upcoming_sessions()
        reminders.remind_upcoming_sessions()
    day = _reminders()
    with time_machine.travel(sh(2026, 3, 10, 8, 1), tick=False):
        reminders.remind_upcoming_sessions()
    # then each of the five people has one of each
    people = ["admin", "hr_elsewhere", "hr_here", "officer", "other_officer"]
    assert day == [(u, "1d", str(session.pk)) for u in people]
    assert _reminders() == sorted([(u, k, str(session.pk)) for u in people for k in ("1d", "1h")])
    n = Notification.objects.get(recipient=world.officer.user, due_key="1h")
    assert n.title == "培训提醒：宪法学习 1小时内开始"
    assert "将于 2026-03-10 09:00 开始（11:00 结束）" in n.body
    assert "地点：三楼会议室。" in n.body


def test_nothing_before_the_day_window_or_after_the_start(world):
    _session(sh(2026, 3, 10, 9, 0))
    with time_machine.travel(sh(2026, 3, 9, 8, 59), tick=False):  # 24 h 1 min before
        assert reminders.scan_upcoming_sessions() == 0
    with time_machine.travel(sh(2026, 3, 10, 9, 0), tick=False):  # it has started
        assert reminders.scan_upcoming_sessions() == 0
    assert _reminders() == []


def test_session_reminders_across_midnight_and_the_year_end(world):
    # given a session at 00:30 on 1 January (16:30 UTC on 31 December)
    session = _session(sh(2027, 1, 1, 0, 30))
    # when the scan runs at 23:45 on 31 December, Shanghai time
    with time_machine.travel(sh(2026, 12, 31, 23, 45), tick=False):
        reminders.remind_upcoming_sessions()
    # then the hour reminder went out (it starts within the hour), not the day one
    assert {k for _, k, _ in _reminders()} == {"1h"}
    assert "将于 2027-01-01 00:30 开始" in Notification.objects.filter(target_id=str(session.pk)).first().body


def test_only_the_audience_and_not_cancelled_sessions(world):
    audience = Audience.objects.create()
    audience.departments.add(world.here)
    _session(sh(2026, 5, 2, 9), audience=audience)
    _session(sh(2026, 5, 2, 10), title="已取消", status="cancelled")
    with time_machine.travel(sh(2026, 5, 1, 12), tick=False):
        reminders.remind_upcoming_sessions()
    assert [u for u, _, _ in _reminders()] == ["hr_here", "officer", "other_officer"]


def test_a_newcomer_to_the_audience_gets_the_reminder_on_the_next_scan(world):
    session = _session(sh(2026, 5, 2, 9))
    with time_machine.travel(sh(2026, 5, 1, 12), tick=False):
        reminders.remind_upcoming_sessions()
        newcomer = PersonFactory(department=world.here, user__username="newcomer")
        # when
        queued = reminders.scan_upcoming_sessions()
    # then only the newcomer was queued
    assert queued == 1
    assert Notification.objects.filter(target_id=str(session.pk), recipient=newcomer.user).count() == 1


def test_session_fan_out_is_batched(world, monkeypatch):
    monkeypatch.setattr(reminders, "BATCH", 2)
    calls = []
    original = reminders.send_session_reminders

    def spy(**kwargs):
        calls.append(len(kwargs["user_ids"]))
        return original(**kwargs)

    monkeypatch.setattr(reminders, "send_session_reminders", spy)
    _session(sh(2026, 5, 2, 9))
    with time_machine.travel(sh(2026, 5, 1, 12), tick=False):
        reminders.remind_upcoming_sessions()
    assert calls == [2, 2, 1]
    assert Notification.objects.filter(kind="session_reminder").count() == 5


def test_a_batch_for_a_session_cancelled_meanwhile_sends_nothing(world):
    session = _session(sh(2026, 5, 2, 9), status="cancelled")
    with time_machine.travel(sh(2026, 5, 1, 12), tick=False):
        assert (
            reminders.send_session_reminders(session_id=session.pk, due_key="1d", user_ids=[world.officer.user.pk]) == 0
        )
    assert Notification.objects.count() == 0


# --- pace ------------------------------------------------------------------------------------------


def _hours(person, year, hours, category="general_law"):
    # the per-person-year summary, as the ledger service keeps it (the total too)
    PersonYearHours.objects.update_or_create(
        person=person, year=year, defaults={category: Decimal(hours), "total": Decimal(hours)}
    )


def test_pace_reminder_goes_to_people_behind_once_a_month(world):
    # given on 1 July 2026 (day 182 of 365: 44.9 学时 expected of 90) the officer has 50 学时
    # (enforcement: 60 legal needed, 29.9 expected), the other officer 10
    for p in (world.hr_here, world.hr_elsewhere, world.admin):
        _hours(p, 2026, "80")
    _hours(world.officer, 2026, "50")
    _hours(world.other_officer, 2026, "10")
    # when the job runs twice that day and again a week later
    with time_machine.travel(sh(2026, 7, 1, 9), tick=False):
        reminders.remind_behind_pace()
        reminders.remind_behind_pace()
    with time_machine.travel(sh(2026, 7, 8, 9), tick=False):
        reminders.remind_behind_pace()
    # then the other officer has one reminder for July with the figures
    rows = list(Notification.objects.filter(kind="pace_reminder").values_list("recipient__username", "due_key"))
    assert rows == [("other_officer", "2026-07")]
    n = Notification.objects.get(kind="pace_reminder")
    assert n.title == "学法学时进度提醒（2026年）"
    assert "截至7月1日" in n.body
    assert "已完成 10.0 学时，按进度应完成 44.9 学时（差 34.9 学时），全年须完成 90.0 学时。" in n.body


def test_pace_reminder_uses_the_shanghai_date_at_the_year_end(world):
    _hours(world.officer, 2026, "0")
    # 23:59 on 31 December in Shanghai: December's reminder for 2026
    with time_machine.travel(sh(2026, 12, 31, 23, 59), tick=False):
        reminders.remind_behind_pace()
    assert set(Notification.objects.filter(kind="pace_reminder").values_list("due_key", flat=True)) == {"2026-12"}
    # 00:00 on 1 January in Shanghai (still 31 December in UTC): January has none
    with time_machine.travel(sh(2027, 1, 1, 0, 0), tick=False):
        assert reminders.scan_behind_pace() == 0
    # 1 February: the new year's first, for 2027
    with time_machine.travel(sh(2027, 2, 1, 9), tick=False):
        reminders.remind_behind_pace()
    assert sorted(set(Notification.objects.filter(kind="pace_reminder").values_list("due_key", flat=True))) == [
        "2026-12",
        "2027-02",
    ]
    assert Notification.objects.filter(kind="pace_reminder", due_key="2027-02").count() == 5


def test_pace_reminder_is_batched(world, monkeypatch):
    monkeypatch.setattr(reminders, "BATCH", 2)
    with time_machine.travel(sh(2026, 7, 1, 9), tick=False):
        assert reminders.scan_behind_pace() == 5
    assert Notification.objects.filter(kind="pace_reminder").count() == 5


# --- digests -----------------------------------------------------------------------------------------


def test_hours_digest_per_hr_user_for_their_scope_once_a_month(world):
    _hours(world.officer, 2026, "80")
    # when it runs on 1 and 2 August
    with time_machine.travel(sh(2026, 8, 1, 9, 10), tick=False):
        reminders.send_hours_digest()
    with time_machine.travel(sh(2026, 8, 2, 9, 10), tick=False):
        reminders.send_hours_digest()
    # then each HR user has one, about their own subtree at the end of July
    digests = {
        n.recipient.username: n for n in Notification.objects.filter(kind="hours_digest").select_related("recipient")
    }
    assert sorted(digests) == ["hr_elsewhere", "hr_here"]
    assert {n.due_key for n in digests.values()} == {"2026-08"}
    assert digests["hr_here"].title == "学时月报：截至7月31日"
    assert digests["hr_here"].body.splitlines()[0] == "综合执法中心：共 3 人，已完成 0 人，进度正常 1 人，落后 2 人。"
    assert (
        digests["hr_elsewhere"].body.splitlines()[0] == "市场监管所：共 1 人，已完成 0 人，进度正常 0 人，落后 1 人。"
    )


def test_hours_digest_in_january_is_about_last_year(world):
    with time_machine.travel(sh(2027, 1, 1, 9, 10), tick=False):
        reminders.send_hours_digest()
    n = Notification.objects.filter(kind="hours_digest").first()
    assert n.due_key == "2027-01"
    assert n.title == "学时月报：截至12月31日"
    assert n.body.splitlines()[-1] == "（2026年度学法学时）"


def test_organisation_targets_behind_go_to_hr_and_admins_once(world):
    # given nothing held by the end of June 2026
    superuser = UserFactory(username="root", is_superuser=True)
    with time_machine.travel(sh(2026, 7, 1, 9, 20), tick=False):
        reminders.remind_organisation_targets()
        reminders.remind_organisation_targets()
    rows = sorted(
        Notification.objects.filter(kind="organisation_targets_behind").values_list("recipient__username", "due_key")
    )
    assert rows == [
        ("admin", "2026-07"),
        ("hr_elsewhere", "2026-07"),
        ("hr_here", "2026-07"),
        (superuser.username, "2026-07"),
    ]
    n = Notification.objects.filter(kind="organisation_targets_behind").first()
    assert "· 党委中心组集体学法：已举办 0 次，按进度应举办 4.0 次，全年目标 8 次。" in n.body


def test_no_targets_reminder_when_on_pace(world):
    # given one of each held in January 2026 (expected by 31 January: 0.7 and 0.5)
    _session(sh(2026, 1, 10, 9), kind=SessionKind.CENTRAL_GROUP_STUDY, status="held")
    _session(sh(2026, 1, 20, 9), kind=SessionKind.THEMATIC_LEGAL_TRAINING, status="held")
    # when
    with time_machine.travel(sh(2026, 2, 1, 9, 20), tick=False):
        sent = reminders.organisation_targets_reminder()
    # then
    assert sent == 0
    assert Notification.objects.filter(kind="organisation_targets_behind").count() == 0


def test_targets_reminder_on_1_january_is_about_the_year_just_ended(world):
    with time_machine.travel(sh(2027, 1, 1, 9, 20), tick=False):
        assert reminders.organisation_targets_reminder() == 3
    n = Notification.objects.filter(kind="organisation_targets_behind").first()
    assert (n.title, n.due_key) == ("2026年单位学法目标进度落后", "2027-01")
    assert "· 法治专题培训：已举办 0 次，按进度应举办 6.0 次，全年目标 6 次。" in n.body


# --- cancellations -------------------------------------------------------------------------------------


def test_a_cancellation_reaches_the_inbox_and_the_mail_of_the_audience_at_once(world, settings):
    from training.services.sessions import cancel_session

    settings.WEBHOOK_URL = ""
    world.officer.user.email = "li@example.org"
    world.officer.user.save(update_fields=["email"])
    audience = Audience.objects.create()
    audience.people.add(world.officer, world.other_officer)
    session = _session(sh(2026, 5, 2, 9), audience=audience)
    # when
    with time_machine.travel(sh(2026, 5, 1, 12), tick=False):
        cancel_session(session=session, actor=world.admin.user, reason="场地维修")
    # then both have it in the inbox, the officer also by mail (pending its send task)
    rows = sorted(
        Delivery.objects.filter(notification__kind="session_cancelled").values_list(
            "notification__recipient__username", "channel", "state"
        )
    )
    assert rows == [
        ("officer", "email", "pending"),
        ("officer", "inbox", "sent"),
        ("other_officer", "inbox", "sent"),
    ]
    # and the reminder scan leaves the cancelled session alone
    with time_machine.travel(sh(2026, 5, 1, 12, 1), tick=False):
        assert reminders.scan_upcoming_sessions() == 0
