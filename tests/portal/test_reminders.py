"""My reminders: reading them through notifications' service, choosing channels."""

from django.urls import reverse

from notifications.models import ChannelPreference, Notification
from notifications.services import notify


def _note(user, **kwargs):
    notify(recipient=user, **kwargs)
    return Notification.objects.get(recipient=user, kind=kwargs["kind"])


def test_reading_a_reminder(world):
    note = _note(world.officer.user, kind="session_reminder", title="明天有培训")
    client = world.client("officer")

    response = client.post(reverse("portal:reminder-read", kwargs={"notification_id": note.pk}))

    note.refresh_from_db()
    assert response.status_code == 302
    assert note.read_at is not None


def test_another_persons_reminder_is_not_found_and_stays_unread(world):
    note = _note(world.other_officer.user, kind="session_reminder", title="明天有培训")

    response = world.client("officer").post(reverse("portal:reminder-read", kwargs={"notification_id": note.pk}))

    note.refresh_from_db()
    assert response.status_code == 404
    assert note.read_at is None


def test_a_reminder_opens_only_a_link_of_this_site(world):
    inside = _note(world.officer.user, kind="a", title="站内", url="/exams/")
    outside = _note(world.officer.user, kind="b", title="站外", url="https://evil.example/")
    client = world.client("officer")

    to_inside = client.post(
        reverse("portal:reminder-read", kwargs={"notification_id": inside.pk}), {"open": "1"}, format="multipart"
    )
    to_outside = client.post(
        reverse("portal:reminder-read", kwargs={"notification_id": outside.pk}), {"open": "1"}, format="multipart"
    )

    assert to_inside["Location"] == "/exams/"
    assert to_outside["Location"] == reverse("portal:reminders")


def test_switching_e_mail_off(world):
    client = world.client("officer")

    response = client.post(reverse("portal:reminders"), {}, format="multipart")

    assert response.status_code == 302
    assert list(ChannelPreference.objects.filter(user=world.officer.user).values_list("channel", "enabled")) == [
        ("email", False)
    ]
