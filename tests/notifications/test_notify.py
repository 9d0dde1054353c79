from datetime import UTC, datetime

import pytest
import time_machine

from notifications.models import Channel, Delivery, DeliveryState, Notification
from notifications.services import Message, notify, notify_many
from tests.notifications.factories import ChannelPreferenceFactory
from tests.training.factories import UserFactory

pytestmark = pytest.mark.django_db


def _deliveries(user):
    return sorted(Delivery.objects.filter(notification__recipient=user).values_list("channel", "state", "attempts"))


def test_notify_creates_the_notification_and_a_sent_inbox_delivery(settings):
    # given a user without an e-mail address
    settings.WEBHOOK_URL = ""
    user = UserFactory(email="")
    # when
    created = notify(recipient=user, kind="test", title="标题", body="正文", due_key="1d")
    # then
    assert created == 1
    assert list(Notification.objects.filter(recipient=user).values_list("title", "due_key")) == [("标题", "1d")]
    assert _deliveries(user) == [("inbox", "sent", 1)]


def test_notify_twice_creates_nothing_the_second_time(settings):
    settings.WEBHOOK_URL = ""
    user = UserFactory(email="li@example.org")
    notify(recipient=user, kind="test", title="标题", due_key="1d")
    # when
    again = notify(recipient=user, kind="test", title="标题（又一次）", due_key="1d")
    # then
    assert again == 0
    assert list(Notification.objects.filter(recipient=user).values_list("title", flat=True)) == ["标题"]
    assert _deliveries(user) == [("email", "pending", 0), ("inbox", "sent", 1)]


def test_notify_many_counts_only_new_and_skips_existing(settings):
    settings.WEBHOOK_URL = ""
    a, b = UserFactory(email=""), UserFactory(email="")
    notify_many([Message(recipient_id=a.pk, kind="k", title="t", due_key="2026-11")])
    # when
    created = notify_many(
        [
            Message(recipient_id=a.pk, kind="k", title="t", due_key="2026-11"),
            Message(recipient_id=b.pk, kind="k", title="t", due_key="2026-11"),
        ],
        batch_size=1,
    )
    # then
    assert created == 1
    assert Notification.objects.filter(kind="k").count() == 2
    assert Delivery.objects.filter(channel=Channel.INBOX).count() == 2


def test_email_delivery_only_for_people_with_an_address_who_left_it_on(settings):
    settings.WEBHOOK_URL = ""
    with_mail = UserFactory(email="a@example.org")
    opted_out = UserFactory(email="b@example.org")
    ChannelPreferenceFactory(user=opted_out, channel=Channel.EMAIL, enabled=False)
    own_address = UserFactory(email="")
    ChannelPreferenceFactory(user=own_address, channel=Channel.EMAIL, address="c@example.org")
    # when
    notify_many([Message(recipient_id=u.pk, kind="k", title="t") for u in (with_mail, opted_out, own_address)])
    # then
    assert _deliveries(with_mail) == [("email", "pending", 0), ("inbox", "sent", 1)]
    assert _deliveries(opted_out) == [("inbox", "sent", 1)]
    assert _deliveries(own_address) == [("email", "pending", 0), ("inbox", "sent", 1)]


def test_webhook_delivery_only_when_configured_and_chosen(settings):
    settings.WEBHOOK_URL = "http://127.0.0.1:9/hook"
    settings.SMS_QUIET_HOURS = ""
    chose = UserFactory(email="")
    ChannelPreferenceFactory(user=chose, channel=Channel.WEBHOOK, address="13900000001")
    did_not = UserFactory(email="")
    # when
    notify_many([Message(recipient_id=u.pk, kind="k", title="t") for u in (chose, did_not)])
    # then
    assert _deliveries(chose) == [("inbox", "sent", 1), ("webhook", "pending", 0)]
    assert _deliveries(did_not) == [("inbox", "sent", 1)]


def test_webhook_delivery_created_in_quiet_hours_waits_for_their_end(settings):
    # given 23:30 in Shanghai (15:30 UTC) and quiet hours 22:00–07:00
    settings.WEBHOOK_URL = "http://127.0.0.1:9/hook"
    settings.SMS_QUIET_HOURS = "22:00-07:00"
    user = UserFactory(email="")
    ChannelPreferenceFactory(user=user, channel=Channel.WEBHOOK)
    with time_machine.travel(datetime(2026, 12, 31, 15, 30, tzinfo=UTC), tick=False):
        notify(recipient=user, kind="k", title="t")
    # then it is due at 07:00 on 1 January, Shanghai time, and no task was queued for it
    delivery = Delivery.objects.get(channel=Channel.WEBHOOK)
    assert delivery.not_before == datetime(2026, 12, 31, 23, 0, tzinfo=UTC)
    assert delivery.queued_at is None
    assert delivery.state == DeliveryState.PENDING


def test_deliveries_are_queued_only_after_commit(settings, django_capture_on_commit_callbacks):
    settings.WEBHOOK_URL = ""
    user = UserFactory(email="a@example.org")
    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipient=user, kind="k", title="t")
    # then one callback queues the e-mail send after the commit
    assert len(callbacks) == 1
