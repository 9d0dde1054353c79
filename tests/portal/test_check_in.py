"""The check-in page: the QR URL shows the code filled in; confirming checks in through training's service."""

from decimal import Decimal

from django.urls import reverse

from tests.portal.factories import session_now
from training.models import Attendance, HoursEntry
from training.services.attendance import current_code


def test_the_qr_url_opens_the_page_with_the_code_filled_in_and_changes_nothing(world):
    session = session_now(departments=[world.here])
    code = current_code(session=session).code
    client = world.client("officer")

    response = client.get(reverse("portal:check-in", kwargs={"session_id": session.pk}) + f"?code={code}")

    assert response.status_code == 200
    assert f'value="{code}"' in response.content.decode()
    assert Attendance.objects.filter(session=session).count() == 0


def test_confirming_checks_in_once_and_credits_the_hours(world):
    session = session_now(departments=[world.here], hours="3.0")
    code = current_code(session=session).code
    client = world.client("officer")
    url = reverse("portal:check-in", kwargs={"session_id": session.pk})

    first = client.post(url, {"code": code}, format="multipart")
    second = client.post(url, {"code": code}, format="multipart")

    assert first.status_code == 302
    assert second.status_code == 302
    attendance = Attendance.objects.get(session=session, person=world.officer)
    assert attendance.status == "attended"
    assert HoursEntry.objects.filter(person=world.officer).values_list("hours", flat=True).get() == Decimal("3.0")
    page = client.get(url).content.decode()
    assert 'id="checked-in"' in page


def test_a_wrong_code_is_refused_and_nothing_is_stored(world):
    session = session_now(departments=[world.here])
    client = world.client("officer")
    url = reverse("portal:check-in", kwargs={"session_id": session.pk})

    response = client.post(
        url, {"code": "000000" if current_code(session=session).code != "000000" else "111111"}, format="multipart"
    )

    assert response.status_code == 200
    assert "签到码不正确" in response.content.decode()
    assert Attendance.objects.filter(session=session, status="attended").count() == 0
    assert HoursEntry.objects.count() == 0


def test_typing_the_code_on_the_start_page_checks_in(world):
    session = session_now(departments=[world.here])
    client = world.client("officer")

    response = client.post(
        reverse("portal:check-in-start"),
        {"session": str(session.pk), "code": current_code(session=session).code},
        format="multipart",
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:check-in", kwargs={"session_id": session.pk})
    assert Attendance.objects.get(session=session, person=world.officer).status == "attended"


def test_a_session_for_another_department_is_not_found(world):
    session = session_now(departments=[world.elsewhere])

    response = world.client("officer").get(reverse("portal:check-in", kwargs={"session_id": session.pk}))

    assert response.status_code == 404
