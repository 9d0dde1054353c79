"""Check-in from a phone: the code, the window, the audience, replay, throttling; 学时 credited through the ledger."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from tests.training.factories import make_session
from training.models import Attendance, HoursEntry, PersonYearHours
from training.services.attendance import code_at, current_code


def url(session):
    return reverse("api:session-check-in", kwargs={"pk": session.pk})


def minute_now():
    return int(timezone.now().timestamp()) // 60


def nothing_recorded():
    return Attendance.objects.count() == 0 and HoursEntry.objects.count() == 0 and PersonYearHours.objects.count() == 0


@pytest.mark.django_db
def test_check_in_with_the_current_code_credits_the_session(world):
    session = make_session(departments=[world.here], credited_hours="3")
    client = world.client("officer")

    response = client.post(url(session), {"code": current_code(session=session).code})

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["credited_hours"], body["person"]["id"]) == ("attended", "3.0", world.officer.pk)
    year = timezone.localtime(session.starts_at).year
    assert list(HoursEntry.objects.values_list("person_id", "year", "category", "hours", "source")) == [
        (world.officer.pk, year, "general_law", Decimal("3.0"), "attendance")
    ]
    assert PersonYearHours.objects.get(person=world.officer).general_law == Decimal("3.0")
    assert AuditEntry.objects.filter(action="training.attendance.check_in").count() == 1


@pytest.mark.django_db
def test_the_previous_minutes_code_is_accepted(world):
    session = make_session(departments=[world.here])
    response = world.client("officer").post(url(session), {"code": code_at(session, minute_now() - 1)})
    assert response.status_code == 200


@pytest.mark.django_db
def test_checking_in_twice_returns_the_same_row_and_credits_once(world):
    session = make_session(departments=[world.here])
    client = world.client("officer")
    first = client.post(url(session), {"code": current_code(session=session).code}).json()

    again = client.post(url(session), {"code": "000000"})

    assert again.status_code == 200
    assert again.json() == first
    assert HoursEntry.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code_of", "expected"),
    [
        (lambda s, other: "12345", "check_in_code_invalid"),
        (lambda s, other: code_at(s, minute_now() - 5), "check_in_code_expired"),
        (lambda s, other: current_code(session=other).code, "check_in_code_foreign"),
    ],
    ids=["wrong", "expired", "foreign"],
)
def test_bad_codes_each_have_their_own_error_and_change_nothing(world, code_of, expected):
    session = make_session(departments=[world.here])
    other = make_session(departments=[world.here], title="另一场")
    code = code_of(session, other)
    if code in (code_at(session, minute_now()), code_at(session, minute_now() - 1)):
        pytest.skip("the random code happens to be right")

    response = world.client("officer").post(url(session), {"code": code})

    assert (response.status_code, response.json()["code"]) == (409, expected)
    assert nothing_recorded()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("starts_in", "duration"),
    [(timedelta(minutes=16), timedelta(hours=1)), (timedelta(hours=-3), timedelta(hours=2))],
    ids=["too early", "after the end"],
)
def test_check_in_outside_the_window_is_refused(world, starts_in, duration):
    session = make_session(departments=[world.here], starts_in=starts_in, duration=duration)
    response = world.client("officer").post(url(session), {"code": current_code(session=session).code})
    assert (response.status_code, response.json()["code"]) == (409, "check_in_outside_window")
    assert nothing_recorded()


@pytest.mark.django_db
def test_fifteen_minutes_before_the_start_is_inside_the_window(world):
    session = make_session(departments=[world.here], starts_in=timedelta(minutes=14))
    response = world.client("officer").post(url(session), {"code": current_code(session=session).code})
    assert response.status_code == 200


@pytest.mark.django_db
def test_someone_outside_the_audience_is_refused(world):
    session = make_session(departments=[world.elsewhere])
    response = world.client("officer").post(url(session), {"code": current_code(session=session).code})
    assert (response.status_code, response.json()["code"]) == (409, "not_in_audience")
    assert nothing_recorded()


@pytest.mark.django_db
def test_a_cancelled_session_refuses_check_in(world):
    session = make_session(departments=[world.here], status="cancelled")
    response = world.client("officer").post(url(session), {"code": current_code(session=session).code})
    assert (response.status_code, response.json()["code"]) == (409, "session_cancelled")


@pytest.mark.django_db
def test_five_wrong_codes_in_a_minute_throttle_even_the_right_one(world):
    import time_machine

    with time_machine.travel(timezone.now().replace(second=5), tick=False):
        session = make_session(departments=[world.here])
        client = world.client("officer")
        right = current_code(session=session).code
        wrong = "000001" if right != "000001" else "000002"
        codes = [client.post(url(session), {"code": wrong}).json()["code"] for _ in range(5)]

        response = client.post(url(session), {"code": right})

    assert codes == ["check_in_code_invalid"] * 5
    assert (response.status_code, response.json()["code"]) == (429, "check_in_throttled")
    assert nothing_recorded()


@pytest.mark.django_db
def test_admin_fetches_the_code_with_its_qr_link(world, settings):
    settings.SITE_URL = "https://xuefa.example"
    session = make_session(departments=[world.here])

    response = world.client("admin").get(reverse("api:session-check-in-code", kwargs={"pk": session.pk}))

    body = response.json()
    assert body["code"] in (code_at(session, minute_now()), code_at(session, minute_now() - 1))
    assert body["qr_url"] == f"https://xuefa.example/check-in/{session.pk}/?code={body['code']}"
    assert len(body["code"]) == 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_check_ins_make_one_row_and_one_credit(world):
    import threading

    from django.db import connection

    session = make_session(departments=[world.here])
    code = current_code(session=session).code
    results = []

    def go():
        from training.services.attendance import check_in

        try:
            results.append(check_in(session=session, person=world.officer, code=code).pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 1
    assert Attendance.objects.count() == 1
    assert HoursEntry.objects.count() == 1
