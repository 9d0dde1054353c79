"""The session reminder job through a real Celery worker, the real Redis and the test database."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from notifications.models import Channel, Delivery, DeliveryState, Notification
from tests.notifications.factories import ChannelPreferenceFactory
from tests.notifications.fixtures import gateway  # noqa: F401
from tests.notifications.worker import celery_worker, until
from training.models import Audience, SessionKind, TrainingSession
from training.reminders import remind_upcoming_sessions

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_session_reminder_is_delivered_once_when_the_job_runs_twice(world, gateway):  # noqa: F811
    # given a session in two hours for the officer's department, the officer on SMS
    audience = Audience.objects.create()
    audience.departments.add(world.here)
    session = TrainingSession.objects.create(
        title="行政处罚法专题",
        kind=SessionKind.THEMATIC_LEGAL_TRAINING,
        content_category="general_law",
        starts_at=timezone.now() + timedelta(hours=2),
        ends_at=timezone.now() + timedelta(hours=4),
        credited_hours=Decimal("3.0"),
        audience=audience,
    )
    ChannelPreferenceFactory(user=world.officer.user, channel=Channel.WEBHOOK, address="13900000001")
    env = {"WEBHOOK_URL": gateway.url, "WEBHOOK_SECRET": "s3cret-for-tests", "SMS_QUIET_HOURS": ""}
    with celery_worker(env=env) as worker:
        # when beat fires the scan twice before either fan-out has run
        remind_upcoming_sessions.delay()
        remind_upcoming_sessions.delay()
        # then the three people of the department each have one reminder, the officer's SMS went once
        assert until(
            lambda: Delivery.objects.filter(channel=Channel.WEBHOOK, state=DeliveryState.SENT).exists(), timeout=60
        ), worker.output
        assert until(lambda: worker.output.count("succeeded in") >= 5, timeout=30), worker.output
    rows = sorted(
        Notification.objects.filter(kind="session_reminder").values_list("recipient__username", "due_key", "target_id")
    )
    assert rows == [(u, "1d", str(session.pk)) for u in ("hr_here", "officer", "other_officer")]
    assert Delivery.objects.filter(channel=Channel.WEBHOOK).count() == 1
    assert len(gateway.received) == 1
    assert gateway.received[0].json["recipient"]["username"] == "officer"
