"""Sending one delivery, at most once, and the scan that keeps pending ones moving.

A sender claims the row with one conditional UPDATE (pending and due, or
sending with an expired lease); whoever loses the race sends nothing. Transient
failures go back to pending with an exponential, jittered, capped delay that
stays below the broker's visibility timeout (RELIABILITY.md: a task that
outlives it is delivered twice); permanent ones stay failed with their error
until an admin retries them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from audit.services import record

from ..channels import SENDERS, PermanentSendError, TransientSendError
from ..models import Channel, Delivery, DeliveryState
from .preferences import address_for
from .quiet_hours import QUIET_CHANNELS, in_quiet_hours, quiet_hours_end

# A retry queued with a countdown may run a moment before its not_before on another clock.
CLAIM_TOLERANCE = timedelta(seconds=2)


@dataclass(frozen=True)
class SendOutcome:
    status: str  # sent, retry, failed, deferred, skipped
    retry_in: float | None = None


def retry_delay(attempts: int) -> float:
    """Seconds before try ``attempts + 1``: base × 2^(attempts-1), jittered to 50–100 %, capped.

    The cap never reaches the visibility timeout, whatever the settings say.
    """
    cap = min(settings.NOTIFY_RETRY_CAP_SECONDS, settings.CELERY_VISIBILITY_TIMEOUT - 60)
    ceiling = min(cap, settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))
    return max(1.0, ceiling * random.uniform(0.5, 1.0))


def claim(*, delivery_id: int, now: datetime) -> bool:
    """Take the delivery for one send: true for exactly one of any number of racing callers."""
    lease = timedelta(seconds=settings.NOTIFY_LEASE_SECONDS)
    claimed = (
        Delivery.objects.filter(pk=delivery_id)
        .filter(
            Q(state=DeliveryState.PENDING, not_before__lte=now + CLAIM_TOLERANCE)
            | Q(state=DeliveryState.SENDING, lease_until__lt=now)
        )
        .update(state=DeliveryState.SENDING, lease_until=now + lease, attempts=F("attempts") + 1)
    )
    return claimed == 1


def send_delivery(*, delivery_id: int) -> SendOutcome:
    """Send one pending delivery over its channel, once (DESIGN.md: a reminder goes to each
    recipient once per due key and channel, however often a task is retried)."""
    now = timezone.now()
    delivery = Delivery.objects.select_related("notification", "notification__recipient").filter(pk=delivery_id).first()
    if delivery is None or delivery.state in (DeliveryState.SENT, DeliveryState.FAILED):
        return SendOutcome("skipped")
    if delivery.channel in QUIET_CHANNELS and in_quiet_hours(now):
        # Leave it to the scan at the end of quiet hours rather than holding a far ETA.
        end = quiet_hours_end(now)
        Delivery.objects.filter(pk=delivery_id, state=DeliveryState.PENDING).update(not_before=end, queued_at=end)
        return SendOutcome("deferred")
    if not claim(delivery_id=delivery_id, now=now):
        return SendOutcome("skipped")
    attempts = Delivery.objects.values_list("attempts", flat=True).get(pk=delivery_id)
    mine = Delivery.objects.filter(pk=delivery_id, state=DeliveryState.SENDING, attempts=attempts)
    sender = SENDERS.get(delivery.channel)
    try:
        if sender is None:
            raise PermanentSendError(f"unknown channel {delivery.channel!r}")
        sender(delivery.notification, address_for(user=delivery.notification.recipient, channel=delivery.channel))
    except PermanentSendError as exc:
        mine.update(state=DeliveryState.FAILED, lease_until=None, last_error=str(exc)[:2000])
        return SendOutcome("failed")
    except TransientSendError as exc:
        if attempts >= settings.NOTIFY_MAX_ATTEMPTS:
            mine.update(
                state=DeliveryState.FAILED, lease_until=None, last_error=f"gave up after {attempts} tries: {exc}"[:2000]
            )
            return SendOutcome("failed")
        delay = retry_delay(attempts)
        due = timezone.now() + timedelta(seconds=delay)
        mine.update(
            state=DeliveryState.PENDING, lease_until=None, not_before=due, queued_at=due, last_error=str(exc)[:2000]
        )
        return SendOutcome("retry", retry_in=delay)
    mine.update(state=DeliveryState.SENT, lease_until=None, sent_at=timezone.now(), last_error="")
    return SendOutcome("sent")


def dispatch_due_deliveries(*, now: datetime | None = None, limit: int = 2000) -> list[int]:
    """Queue a send for every delivery whose time has come and whose task is not (or no
    longer) on its way: due after quiet hours or a backoff, lost in a broker restart,
    or left sending by a worker that died (an expired lease)."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.NOTIFY_REQUEUE_AFTER_SECONDS)
    due = Q(state=DeliveryState.PENDING, not_before__lte=now) & (Q(queued_at__isnull=True) | Q(queued_at__lte=stale))
    due |= Q(state=DeliveryState.SENDING, lease_until__lt=now)
    rows = Delivery.objects.filter(due).exclude(channel=Channel.INBOX)
    if in_quiet_hours(now):
        rows = rows.exclude(channel__in=QUIET_CHANNELS)
    ids = list(rows.order_by("not_before").values_list("pk", flat=True)[:limit])
    if ids:
        with transaction.atomic():
            Delivery.objects.filter(pk__in=ids).update(queued_at=now)
            transaction.on_commit(lambda: _queue(ids))
    return ids


def retry_deliveries(*, actor, delivery_ids: list[int]) -> int:
    """An admin sends failed deliveries again (after fixing an address or the gateway)."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update()
            .filter(pk__in=delivery_ids, state=DeliveryState.FAILED)
            .values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=ids).update(
            state=DeliveryState.PENDING, attempts=0, not_before=now, queued_at=now, lease_until=None
        )
        for delivery_id in ids:
            record(
                actor=actor,
                action="notifications.delivery_retried",
                target_type="notifications.delivery",
                target_id=delivery_id,
            )
        transaction.on_commit(lambda: _queue(ids))
    return len(ids)


def _queue(delivery_ids: list[int]) -> None:
    from ..tasks import send_delivery as task

    for delivery_id in delivery_ids:
        task.delay(delivery_id)
