"""Scheduling sessions and series, changing and cancelling them, who sees them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from audit.errors import InvalidInput
from audit.models import AuditEntry
from notifications.models import Notification
from tests.training.factories import PersonFactory, make_session
from training.models import Audience, TrainingSession
from training.services.sessions import cancel_session

LIST = reverse("api:session-list")


def body(world, **overrides):
    data = {
        "title": "行政处罚法专题讲座",
        "kind": "thematic_legal_training",
        "content_category": "general_law",
        "starts_at": "2026-12-10T09:00:00+08:00",
        "ends_at": "2026-12-10T12:00:00+08:00",
        "credited_hours": "3",
        "place": "三楼会议室",
        "audience": {"departments": [world.here.pk], "enforcement_only": True},
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_admin_schedules_a_session(world):
    response = world.client("admin").post(LIST, body(world), format="json")

    assert response.status_code == 201
    out = response.json()
    assert (out["title"], out["credited_hours"], out["status"], out["series_id"]) == (
        "行政处罚法专题讲座",
        "3.0",
        "scheduled",
        None,
    )
    assert out["starts_at"] == "2026-12-10T09:00:00+08:00"
    assert out["audience"] == {
        "departments": [world.here.pk],
        "categories": [],
        "enforcement_only": True,
        "people": [],
    }
    assert AuditEntry.objects.filter(action="training.session.schedule").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"ends_at": "2026-12-10T08:00:00+08:00"}, "session_times_invalid"),
        ({"ends_at": "2026-12-10T09:00:00+08:00"}, "session_times_invalid"),
        ({"credited_hours": "-1"}, "hours_invalid"),
        ({"credited_hours": "7.3"}, "hours_invalid"),
        ({"credited_hours": "500"}, "hours_invalid"),
        ({"credited_hours": "20"}, "hours_invalid"),  # 20 学时 for three hours
        ({"recurrence": "FREQ=MONTHLY"}, "recurrence_invalid"),  # never ends
        ({"recurrence": "FREQ=DAILY;COUNT=500"}, "recurrence_invalid"),
        ({"recurrence": "FREQ=SOMETIMES;COUNT=3"}, "recurrence_invalid"),
    ],
)
def test_bad_sessions_are_refused_and_nothing_is_created(world, overrides, code):
    response = world.client("admin").post(LIST, body(world, **overrides), format="json")
    assert (response.status_code, response.json()["code"]) == (400, code)
    assert TrainingSession.objects.count() == 0


@pytest.mark.django_db
def test_a_monthly_series_with_an_exception(world):
    data = body(
        world,
        kind="central_group_study",
        starts_at="2026-01-15T14:30:00+08:00",
        ends_at="2026-01-15T17:30:00+08:00",
        recurrence="RRULE:FREQ=MONTHLY;BYMONTHDAY=15;COUNT=10",
        exceptions=["2026-02-15"],
    )

    response = world.client("admin").post(LIST, data, format="json")

    assert response.status_code == 201
    out = response.json()
    starts = [s["starts_at"] for s in out["sessions"]]
    assert starts == [f"2026-{m:02d}-15T14:30:00+08:00" for m in (1, 3, 4, 5, 6, 7, 8, 9, 10)]
    assert {s["series_id"] for s in out["sessions"]} == {out["series_id"]}
    assert {s["ends_at"][11:16] for s in out["sessions"]} == {"17:30"}
    assert Audience.objects.count() == 1


@pytest.mark.django_db
def test_a_scoped_admin_cannot_aim_a_session_outside_the_scope(world):
    from tests.training.factories import UserFactory
    from training.roles import ADMIN

    scoped = PersonFactory(
        department=world.here, scope_department=world.here, user=UserFactory(username="admin_here", roles=[ADMIN])
    )
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(scoped.user)
    response = client.post(LIST, body(world, audience={"departments": [world.elsewhere.pk]}), format="json")
    assert (response.status_code, response.json()["code"]) == (400, "validation_error")
    assert TrainingSession.objects.count() == 0


@pytest.mark.django_db
def test_officers_list_only_sessions_of_their_audiences(world):
    mine = make_session(departments=[world.here])
    make_session(departments=[world.elsewhere])
    named = make_session(people=[world.officer])
    everyone = make_session()

    response = world.client("officer").get(LIST)

    assert sorted(s["id"] for s in response.json()["results"]) == sorted([mine.pk, named.pk, everyone.pk])


@pytest.mark.django_db
def test_a_newcomer_is_in_the_audience_until_the_start(world):
    session = make_session(departments=[world.here], starts_in=timedelta(days=3))
    newcomer = PersonFactory(department=world.here, user__username="newcomer")
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(newcomer.user)
    assert [s["id"] for s in client.get(LIST).json()["results"]] == [session.pk]


@pytest.mark.django_db
def test_session_list_runs_a_fixed_number_of_queries(world, django_assert_max_num_queries, count_queries):
    client = world.client("admin")
    for _ in range(2):
        make_session(departments=[world.here], people=[world.officer])
    client.get(LIST)  # warm the token
    few = count_queries(client.get, LIST)
    for _ in range(18):
        make_session(departments=[world.here, world.elsewhere], people=[world.officer, world.other_officer])
    many = count_queries(client.get, LIST)
    assert few == many


@pytest.mark.django_db
def test_patch_changes_a_session_and_keeps_the_audit(world):
    session = make_session(departments=[world.here])
    response = world.client("admin").patch(
        reverse("api:session-detail", kwargs={"pk": session.pk}), {"place": "大礼堂", "credited_hours": "1.5"}
    )
    assert response.status_code == 200
    assert (response.json()["place"], response.json()["credited_hours"]) == ("大礼堂", "1.5")
    entry = AuditEntry.objects.get(action="training.session.update")
    assert (entry.before["place"], entry.after["place"]) == ("", "大礼堂")


@pytest.mark.django_db
def test_patch_with_end_before_start_changes_nothing(world):
    session = make_session(departments=[world.here])
    response = world.client("admin").patch(
        reverse("api:session-detail", kwargs={"pk": session.pk}), {"ends_at": session.starts_at.isoformat()}
    )
    assert (response.status_code, response.json()["code"]) == (400, "session_times_invalid")
    session.refresh_from_db()
    assert session.ends_at - session.starts_at == timedelta(hours=2)


@pytest.mark.django_db
def test_cancel_tells_the_audience_once(world):
    session = make_session(departments=[world.here], starts_in=timedelta(days=2))
    client = world.client("admin")

    response = client.post(reverse("api:session-cancel", kwargs={"pk": session.pk}), {"reason": "台风停课"})

    assert (response.status_code, response.json()["status"], response.json()["cancel_reason"]) == (
        200,
        "cancelled",
        "台风停课",
    )
    told = Notification.objects.filter(kind="session_cancelled", due_key="cancelled")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["hr_here", "officer", "other_officer"]
    again = client.post(reverse("api:session-cancel", kwargs={"pk": session.pk}), {"reason": "再次"})
    assert (again.status_code, again.json()["code"]) == (409, "session_cancelled")
    assert told.count() == 3


@pytest.mark.django_db
def test_cancel_needs_a_reason(world):
    session = make_session(departments=[world.here])
    with pytest.raises(InvalidInput) as caught:
        cancel_session(session=session, actor=world.admin.user, reason="  ")
    assert caught.value.code == "reason_required"
    session.refresh_from_db()
    assert session.status == "scheduled"


@pytest.mark.django_db
def test_calendar_feed_lists_the_persons_sessions_and_rotation_kills_the_old_url(world, api):
    session = make_session(departments=[world.here], starts_in=timedelta(days=1), place="三楼")
    make_session(departments=[world.elsewhere], title="别人的")
    client = world.client("officer")
    feed_url = client.get(reverse("api:me-calendar")).json()["url"]
    path = feed_url.split("127.0.0.1:8000", 1)[-1] if "127.0.0.1:8000" in feed_url else feed_url

    ics = api.get(path)

    assert ics.status_code == 200
    assert ics["Content-Type"].startswith("text/calendar")
    text = ics.content.decode()
    assert text.count("BEGIN:VEVENT") == 1
    assert f"UID:session-{session.pk}@xuefa" in text
    assert "LOCATION:三楼" in text
    new_url = client.post(reverse("api:me-calendar-rotate")).json()["url"]
    assert new_url != feed_url
    assert api.get(path).status_code == 404


@pytest.mark.django_db
def test_organisation_targets_count_held_sessions(world):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from training.selectors import organisation_targets

    sh = ZoneInfo("Asia/Shanghai")
    for month in (1, 2, 3):
        make_session(kind="central_group_study", starts_at=datetime(2026, month, 10, 9, tzinfo=sh))
    make_session(kind="central_group_study", starts_at=datetime(2026, 4, 10, 9, tzinfo=sh), status="cancelled")
    make_session(kind="thematic_legal_training", starts_at=datetime(2026, 5, 10, 9, tzinfo=sh), status="held")

    targets = organisation_targets(year=2026, as_of=date(2026, 7, 1))  # day 182 of 365

    assert targets["central_group_study"] == {"held": 3, "target": 8, "expected": Decimal("4.0"), "on_pace": False}
    assert targets["thematic_legal_training"] == {"held": 1, "target": 6, "expected": Decimal("3.0"), "on_pace": False}


@pytest.mark.django_db
def test_scoped_hr_sees_sessions_reaching_their_scope(world):
    everyone = make_session()
    from_above = make_session(departments=[world.root])
    enforcement = make_session()
    Audience.objects.filter(pk=enforcement.audience_id).update(enforcement_only=True)
    make_session(departments=[world.elsewhere])
    make_session(people=[world.hr_elsewhere])

    seen = {s["id"] for s in world.client("hr_here").get(LIST).json()["results"]}

    assert seen == {everyone.pk, from_above.pk, enforcement.pk}


@pytest.mark.django_db
def test_selectors_for_reminders(world):
    from django.utils import timezone

    from training.selectors import sessions_starting_between, upcoming_sessions_for

    tomorrow = make_session(departments=[world.here], starts_in=timedelta(hours=24))
    in_an_hour = make_session(people=[world.officer], starts_in=timedelta(hours=1))
    make_session(departments=[world.elsewhere], starts_in=timedelta(hours=2))
    make_session(departments=[world.here], starts_in=timedelta(hours=3), status="cancelled")
    make_session(departments=[world.here], starts_in=timedelta(days=9))

    mine = upcoming_sessions_for(person=world.officer, within=timedelta(days=2))
    now = timezone.now()
    starting = sessions_starting_between(now + timedelta(minutes=50), now + timedelta(hours=25))

    assert [s.pk for s in mine] == [in_an_hour.pk, tomorrow.pk]
    assert [s.pk for s in starting][:1] == [in_an_hour.pk]
    assert len(starting) == 3
