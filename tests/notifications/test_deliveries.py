import hashlib
import hmac
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from audit.models import AuditEntry
from notifications.models import Channel, Delivery, DeliveryState
from notifications.services import dispatch_due_deliveries, notify, retry_deliveries, send_delivery
from notifications.services.deliveries import retry_delay
from tests.notifications.factories import ChannelPreferenceFactory
from tests.training.factories import UserFactory

pytestmark = pytest.mark.django_db


def _email_delivery(settings, **user):
    settings.WEBHOOK_URL = ""
    recipient = UserFactory(email="li@example.org", **user)
    notify(recipient=recipient, kind="k", title="明天的培训", body="请准时参加。", url="/sessions/1/")
    return Delivery.objects.get(channel=Channel.EMAIL)


def _webhook_delivery(recipient=None):
    recipient = recipient or UserFactory(email="", username="wang")
    ChannelPreferenceFactory(user=recipient, channel=Channel.WEBHOOK, address="13900000001")
    notify(recipient=recipient, kind="k", title="考试提醒", body="三天后开考。")
    return Delivery.objects.get(channel=Channel.WEBHOOK)


def test_email_is_sent_once_however_often_the_task_runs(settings):
    delivery = _email_delivery(settings)
    # when
    first = send_delivery(delivery_id=delivery.pk)
    second = send_delivery(delivery_id=delivery.pk)
    # then
    assert (first.status, second.status) == ("sent", "skipped")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "明天的培训"
    assert mail.outbox[0].to == ["li@example.org"]
    assert "http://127.0.0.1:8000/sessions/1/" in mail.outbox[0].body
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.lease_until) == ("sent", 1, None)


def test_webhook_carries_the_idempotency_key_and_a_valid_signature(gateway):
    delivery = _webhook_delivery()
    # when
    outcome = send_delivery(delivery_id=delivery.pk)
    # then
    assert outcome.status == "sent"
    assert len(gateway.received) == 1
    request = gateway.received[0]
    assert request.headers["Idempotency-Key"] == str(delivery.notification_id)
    expected = hmac.new(
        b"s3cret-for-tests", request.headers["X-Xuefa-Timestamp"].encode() + b"." + request.body, hashlib.sha256
    ).hexdigest()
    assert request.headers["X-Xuefa-Signature"] == f"sha256={expected}"
    assert request.json["title"] == "考试提醒"
    assert request.json["recipient"] == {
        "id": delivery.notification.recipient_id,
        "username": "wang",
        "address": "13900000001",
    }


def test_a_5xx_answer_is_retried_later_with_backoff(gateway):
    gateway.statuses = [503]
    delivery = _webhook_delivery()
    before = timezone.now()
    # when
    outcome = send_delivery(delivery_id=delivery.pk)
    # then it waits between half and all of the base delay, then goes through once due
    delivery.refresh_from_db()
    assert outcome.status == "retry"
    assert 15 <= outcome.retry_in <= 30
    assert (delivery.state, delivery.attempts) == ("pending", 1)
    assert delivery.last_error.startswith("HTTP 503")
    assert before + timedelta(seconds=15) <= delivery.not_before <= timezone.now() + timedelta(seconds=30)
    assert send_delivery(delivery_id=delivery.pk).status == "skipped"  # not due yet
    Delivery.objects.filter(pk=delivery.pk).update(not_before=timezone.now())
    assert send_delivery(delivery_id=delivery.pk).status == "sent"
    assert gateway.idempotency_keys() == [str(delivery.notification_id)] * 2


def test_a_connection_error_is_transient(settings, gateway):
    delivery = _webhook_delivery()
    settings.WEBHOOK_URL = "http://127.0.0.1:9/closed"
    # when
    outcome = send_delivery(delivery_id=delivery.pk)
    # then
    delivery.refresh_from_db()
    assert (outcome.status, delivery.state, delivery.attempts) == ("retry", "pending", 1)
    assert "Connection refused" in delivery.last_error


def test_a_4xx_answer_fails_for_good_with_its_error_until_an_admin_retries(gateway, world):
    gateway.statuses = [400]
    delivery = _webhook_delivery()
    # when
    outcome = send_delivery(delivery_id=delivery.pk)
    # then
    delivery.refresh_from_db()
    assert (outcome.status, delivery.state, delivery.attempts) == ("failed", "failed", 1)
    assert delivery.last_error == 'HTTP 400: {"error": "refused"}'
    assert send_delivery(delivery_id=delivery.pk).status == "skipped"
    # when the admin retries it
    assert retry_deliveries(actor=world.admin.user, delivery_ids=[delivery.pk]) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("pending", 0)
    assert AuditEntry.objects.filter(action="notifications.delivery_retried", target_id=str(delivery.pk)).count() == 1
    assert send_delivery(delivery_id=delivery.pk).status == "sent"
    assert len(gateway.received) == 2


def test_retrying_a_delivery_that_did_not_fail_changes_nothing(gateway, world):
    delivery = _webhook_delivery()
    # when
    assert retry_deliveries(actor=world.admin.user, delivery_ids=[delivery.pk]) == 0
    # then
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("pending", 0)
    assert AuditEntry.objects.filter(action="notifications.delivery_retried").count() == 0


def test_transient_failures_give_up_after_the_cap(settings, gateway):
    settings.NOTIFY_MAX_ATTEMPTS = 2
    gateway.statuses = [500, 502]
    delivery = _webhook_delivery()
    assert send_delivery(delivery_id=delivery.pk).status == "retry"
    Delivery.objects.filter(pk=delivery.pk).update(not_before=timezone.now())
    # when
    outcome = send_delivery(delivery_id=delivery.pk)
    # then
    delivery.refresh_from_db()
    assert (outcome.status, delivery.state, delivery.attempts) == ("failed", "failed", 2)
    assert delivery.last_error.startswith("gave up after 2 tries: HTTP 502")


def test_every_retry_delay_stays_below_the_visibility_timeout(settings):
    settings.NOTIFY_RETRY_CAP_SECONDS = 10**6  # a misconfiguration is still capped
    delays = [retry_delay(n) for n in range(1, 40) for _ in range(20)]
    assert max(delays) <= settings.CELERY_VISIBILITY_TIMEOUT - 60
    assert min(delays) >= 1


def test_retry_delays_grow_and_are_jittered(settings):
    settings.NOTIFY_RETRY_BASE_SECONDS = 30
    settings.NOTIFY_RETRY_CAP_SECONDS = 1800
    assert all(15 <= retry_delay(1) <= 30 for _ in range(50))
    assert all(60 <= retry_delay(3) <= 120 for _ in range(50))
    assert all(900 <= retry_delay(12) <= 1800 for _ in range(50))
    assert len({retry_delay(5) for _ in range(50)}) > 1


def test_a_webhook_due_in_quiet_hours_is_deferred_not_sent(settings, gateway):
    delivery = _webhook_delivery()
    settings.SMS_QUIET_HOURS = "00:00-23:59"
    # when
    outcome = send_delivery(delivery_id=delivery.pk)
    # then
    delivery.refresh_from_db()
    assert (outcome.status, delivery.state, delivery.attempts) == ("deferred", "pending", 0)
    assert gateway.received == []


def test_dispatch_queues_due_lost_and_abandoned_deliveries_only(settings, django_capture_on_commit_callbacks):
    # given five e-mail deliveries in different states
    settings.WEBHOOK_URL = ""
    settings.NOTIFY_REQUEUE_AFTER_SECONDS = 300
    now = timezone.now()
    ids = {}
    for name in ("lost", "on_its_way", "not_due", "abandoned", "leased"):
        notify(recipient=UserFactory(email=f"{name}@example.org"), kind="k", title=name)
        ids[name] = Delivery.objects.get(channel=Channel.EMAIL, notification__title=name).pk
    old = now - timedelta(minutes=10)
    Delivery.objects.filter(pk=ids["lost"]).update(queued_at=old, not_before=old)
    Delivery.objects.filter(pk=ids["on_its_way"]).update(queued_at=now, not_before=now)
    Delivery.objects.filter(pk=ids["not_due"]).update(queued_at=old, not_before=now + timedelta(minutes=5))
    Delivery.objects.filter(pk=ids["abandoned"]).update(
        state=DeliveryState.SENDING, lease_until=now - timedelta(seconds=1)
    )
    Delivery.objects.filter(pk=ids["leased"]).update(
        state=DeliveryState.SENDING, lease_until=now + timedelta(minutes=1)
    )
    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = dispatch_due_deliveries(now=now)
    # then
    assert sorted(queued) == sorted([ids["lost"], ids["abandoned"]])
    assert len(callbacks) == 1
    assert Delivery.objects.get(pk=ids["lost"]).queued_at == now


def test_dispatch_leaves_webhooks_alone_in_quiet_hours(settings, gateway, django_capture_on_commit_callbacks):
    delivery = _webhook_delivery()
    Delivery.objects.filter(pk=delivery.pk).update(queued_at=None)
    settings.SMS_QUIET_HOURS = "00:00-23:59"
    # when
    with django_capture_on_commit_callbacks(execute=False):
        queued = dispatch_due_deliveries()
    # then
    assert queued == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_senders_send_once(settings):
    # given one pending e-mail delivery and eight threads that all try to send it
    settings.WEBHOOK_URL = ""
    recipient = UserFactory(email="li@example.org")
    notify(recipient=recipient, kind="k", title="t")
    delivery = Delivery.objects.get(channel=Channel.EMAIL)
    barrier = threading.Barrier(8)
    outcomes = []

    def run():
        barrier.wait()
        try:
            outcomes.append(send_delivery(delivery_id=delivery.pk).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(8)]
    # when
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then
    assert sorted(outcomes) == ["sent"] + ["skipped"] * 7
    assert len(mail.outbox) == 1


def test_a_delivery_left_sending_by_a_dead_worker_is_taken_over_after_its_lease(settings):
    delivery = _email_delivery(settings)
    now = timezone.now()
    # given a worker that claimed it and died
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.SENDING, attempts=1, lease_until=now + timedelta(seconds=60)
    )
    # when another worker tries while the lease runs, then after it ran out
    assert send_delivery(delivery_id=delivery.pk).status == "skipped"
    Delivery.objects.filter(pk=delivery.pk).update(lease_until=now - timedelta(seconds=1))
    outcome = send_delivery(delivery_id=delivery.pk)
    # then
    delivery.refresh_from_db()
    assert (outcome.status, delivery.state, delivery.attempts) == ("sent", "sent", 2)
    assert len(mail.outbox) == 1
