import pytest
from django.urls import reverse

from audit.models import AuditEntry
from notifications.models import ChannelPreference, Notification
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_list_shows_own_notifications_newest_first_with_the_unread_count(world):
    # given three of the officer's notifications (one read) and one of someone else
    from django.utils import timezone

    a = NotificationFactory(recipient=world.officer.user, title="一")
    b = NotificationFactory(recipient=world.officer.user, title="二", read_at=timezone.now())
    c = NotificationFactory(recipient=world.officer.user, title="三")
    NotificationFactory(recipient=world.other_officer.user, title="别人的")
    Notification.objects.filter(pk=a.pk).update(created_at=timezone.now() - timezone.timedelta(hours=3))
    Notification.objects.filter(pk=b.pk).update(created_at=timezone.now() - timezone.timedelta(hours=2))
    # when
    response = world.client("officer").get(reverse("api:notifications"), {"page_size": 2})
    # then
    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 3
    assert body["unread"] == 2
    assert [n["title"] for n in body["results"]] == ["三", "二"]
    assert body["results"][0]["id"] == str(c.pk)
    assert [n["read"] for n in body["results"]] == [False, True]


def test_list_needs_a_fixed_number_of_queries(world, count_queries):
    client = world.client("officer")
    url = reverse("api:notifications")
    NotificationFactory(recipient=world.officer.user)
    few = count_queries(client.get, url)
    NotificationFactory.create_batch(15, recipient=world.officer.user)
    assert count_queries(client.get, url) == few


def test_mark_read_marks_one_and_keeps_the_first_read_time(world):
    notification = NotificationFactory(recipient=world.officer.user)
    client = world.client("officer")
    url = reverse("api:notification-read", kwargs={"notification_id": notification.pk})
    # when
    first = client.post(url)
    second = client.post(url)
    # then
    assert first.status_code == 200
    assert first.json()["read"] is True
    assert second.json()["read_at"] == first.json()["read_at"]
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_another_persons_notification_is_a_404_and_changes_nothing(world):
    notification = NotificationFactory(recipient=world.officer.user)
    # when
    response = world.client("other_officer").post(
        reverse("api:notification-read", kwargs={"notification_id": notification.pk})
    )
    # then
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    notification.refresh_from_db()
    assert notification.read_at is None


def test_read_all_marks_only_own_unread(world):
    NotificationFactory.create_batch(3, recipient=world.officer.user)
    theirs = NotificationFactory(recipient=world.other_officer.user)
    # when
    response = world.client("officer").post(reverse("api:notifications-read-all"))
    # then
    assert response.json() == {"marked": 3, "unread": 0}
    assert Notification.objects.filter(recipient=world.officer.user, read_at__isnull=True).count() == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_channels_list_defaults(world, settings):
    settings.WEBHOOK_URL = ""
    settings.NOTIFY_DEFAULT_CHANNELS = ["email"]
    # when
    response = world.client("officer").get(reverse("api:notification-channels"))
    # then
    assert [(c["channel"], c["enabled"], c["available"], c["configurable"]) for c in response.json()["channels"]] == [
        ("inbox", True, True, False),
        ("email", True, True, True),
        ("webhook", False, False, True),
    ]


def test_put_channels_saves_the_choice_and_audits_it(world, settings):
    settings.WEBHOOK_URL = "http://127.0.0.1:9/hook"
    client = world.client("officer")
    # when
    response = client.put(
        reverse("api:notification-channels"),
        {
            "channels": [
                {"channel": "email", "enabled": False},
                {"channel": "webhook", "enabled": True, "address": "13900000001"},
            ]
        },
        format="json",
    )
    # then
    assert response.status_code == 200
    assert [(c["channel"], c["enabled"], c["address"]) for c in response.json()["channels"]] == [
        ("inbox", True, ""),
        ("email", False, ""),
        ("webhook", True, "13900000001"),
    ]
    assert sorted(ChannelPreference.objects.filter(user=world.officer.user).values_list("channel", "enabled")) == [
        ("email", False),
        ("webhook", True),
    ]
    assert AuditEntry.objects.filter(action="notifications.channels_changed").count() == 1


def test_the_inbox_cannot_be_switched_off(world):
    # when
    response = world.client("officer").put(
        reverse("api:notification-channels"), {"channels": [{"channel": "inbox", "enabled": False}]}, format="json"
    )
    # then
    assert response.status_code == 400
    assert response.json()["code"] == "channel_not_configurable"
    assert ChannelPreference.objects.count() == 0
    assert AuditEntry.objects.filter(action="notifications.channels_changed").count() == 0


def test_an_email_address_that_is_not_one_is_refused(world):
    # when
    response = world.client("officer").put(
        reverse("api:notification-channels"),
        {"channels": [{"channel": "email", "enabled": True, "address": "not-an-address"}]},
        format="json",
    )
    # then
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_address"
    assert ChannelPreference.objects.count() == 0
