"""Deliveries through a real Celery worker against the real Redis and the test database."""

import uuid

import pytest

from notifications.models import Channel, Delivery, DeliveryState
from notifications.services import notify
from notifications.tasks import dispatch_due_deliveries, send_delivery
from tests.notifications.factories import ChannelPreferenceFactory
from tests.notifications.worker import RedisServer, celery_worker, until
from tests.training.factories import UserFactory

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _worker_env(gateway, **extra):
    return {"WEBHOOK_URL": gateway.url, "WEBHOOK_SECRET": "s3cret-for-tests", "SMS_QUIET_HOURS": "", **extra}


def _sms_recipient():
    user = UserFactory(email="", username="li")
    ChannelPreferenceFactory(user=user, channel=Channel.WEBHOOK, address="13900000001")
    return user


def _finished(worker, count: int) -> bool:
    return worker.output.count("succeeded in") + worker.output.count("retry:") >= count


def test_a_send_task_delivered_twice_sends_once(gateway):
    recipient = _sms_recipient()
    with celery_worker(env=_worker_env(gateway)) as worker:
        # given a notification whose send task is queued on commit
        notify(recipient=recipient, kind="test", title="明天培训", due_key="1d")
        delivery = Delivery.objects.get(channel=Channel.WEBHOOK)
        # when the same task message arrives twice more (same task id, as after a redelivery)
        task_id = str(uuid.uuid4())
        send_delivery.apply_async((delivery.pk,), task_id=task_id)
        send_delivery.apply_async((delivery.pk,), task_id=task_id)
        # then the worker runs all three and the gateway hears of it once
        assert until(lambda: _finished(worker, 3), timeout=60), worker.output
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.SENT, 1)
    assert gateway.idempotency_keys() == [str(delivery.notification_id)]
    assert gateway.received[0].json["title"] == "明天培训"


def test_a_gateway_error_is_retried_by_the_worker_with_the_same_idempotency_key(gateway):
    # given a gateway that fails once with 503
    gateway.statuses = [503]
    recipient = _sms_recipient()
    with celery_worker(env=_worker_env(gateway, NOTIFY_RETRY_BASE_SECONDS="1")):
        # when
        notify(recipient=recipient, kind="test", title="考试提醒")
        delivery = Delivery.objects.get(channel=Channel.WEBHOOK)
        # then the retry goes through a second or so later
        assert until(lambda: Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENT).exists(), timeout=60)
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert gateway.idempotency_keys() == [str(delivery.notification_id)] * 2


def test_the_scan_recreates_sends_lost_in_a_redis_restart(gateway):
    from config.celery import app

    # given a Redis of its own (never the shared one), without persistence
    redis = RedisServer(port=6390)
    redis.start()
    try:
        recipient = _sms_recipient()
        notify(recipient=recipient, kind="test", title="换证提醒")
        delivery = Delivery.objects.get(channel=Channel.WEBHOOK)
        # and its send task waiting there when the Redis restarts (no worker consumed it)
        with app.connection_for_write(redis.url) as conn:
            send_delivery.apply_async((delivery.pk,), connection=conn)
        redis.stop()
        redis.start()
        with celery_worker(broker_url=redis.url, env=_worker_env(gateway, NOTIFY_REQUEUE_AFTER_SECONDS="0")) as worker:
            # then the message is gone: the worker runs and sends nothing
            assert not worker.wait_for("send_delivery[", timeout=3)
            assert Delivery.objects.get(pk=delivery.pk).state == DeliveryState.PENDING
            # and when Redis restarts once more under the running worker, it reconnects
            mark = len(worker.lines)
            redis.stop()
            redis.start()
            # when the periodic scan runs
            with app.connection_for_write(redis.url) as conn:
                dispatch_due_deliveries.apply_async(connection=conn)
            # then the lost send is queued again and goes out once
            assert until(
                lambda: Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENT).exists(), timeout=90
            ), worker.output[-3000:]
            assert worker.wait_for("dispatch_due_deliveries[", after=mark, timeout=1)
    finally:
        redis.stop()
    assert gateway.idempotency_keys() == [str(delivery.notification_id)]
