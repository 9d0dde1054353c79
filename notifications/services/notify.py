"""``notify()``: the one way any app tells a person something.

Each new notification gets its deliveries in the same transaction: the inbox
one already sent, one pending row per outbound channel the recipient has on.
The send tasks are queued only after the commit; what a lost message leaves
pending, the periodic scan queues again (``dispatch_due_deliveries``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.db import models, transaction
from django.utils import timezone

from ..models import Channel, Delivery, DeliveryState, Notification
from .preferences import outbound_channels_for
from .quiet_hours import not_before_for


@dataclass(frozen=True)
class Message:
    """One notification to create; the same recipient, kind, target and due key never twice."""

    recipient_id: int
    kind: str
    title: str
    body: str = ""
    url: str = ""
    target_type: str = ""
    target_id: str = ""
    due_key: str = ""


def target_of(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def notify(
    *,
    recipient,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    target: models.Model | None = None,
    due_key: str = "",
) -> int:
    """Tell one user something once per (kind, target, due key). Returns how many were new (0 or 1)."""
    target_type, target_id = target_of(target)
    return notify_many(
        [
            Message(
                recipient_id=recipient.pk,
                kind=kind,
                title=title,
                body=body,
                url=url,
                target_type=target_type,
                target_id=target_id,
                due_key=due_key,
            )
        ]
    )


def _chunks(items: Iterable[Message], size: int) -> Iterator[list[Message]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def notify_many(messages: Iterable[Message], *, batch_size: int = 500) -> int:
    """Create many notifications in bulk, skipping those that exist already.

    Returns how many were new. Safe to call again with the same messages: the
    unique constraint on (recipient, kind, target, due key) makes it a no-op,
    and only new notifications get deliveries (DESIGN.md: a reminder goes to
    each recipient once per due key and channel).
    """
    return sum(_notify_batch(chunk) for chunk in _chunks(messages, batch_size))


@transaction.atomic
def _notify_batch(messages: list[Message]) -> int:
    rows = [
        Notification(
            recipient_id=m.recipient_id,
            kind=m.kind,
            title=m.title,
            body=m.body,
            url=m.url,
            target_type=m.target_type,
            target_id=m.target_id,
            due_key=m.due_key,
        )
        for m in messages
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    # The ids are made here, so the rows that exist now under them are the new ones.
    new = list(Notification.objects.filter(pk__in=[r.pk for r in rows]).values_list("pk", "recipient_id"))
    if not new:
        return 0
    now = timezone.now()
    plan = outbound_channels_for({recipient_id for _, recipient_id in new})
    deliveries: list[Delivery] = []
    for notification_id, recipient_id in new:
        deliveries.append(
            Delivery(
                notification_id=notification_id,
                channel=Channel.INBOX,
                state=DeliveryState.SENT,
                attempts=1,
                not_before=now,
                sent_at=now,
            )
        )
        for channel in plan.get(recipient_id, ()):
            not_before = not_before_for(channel, now)
            deliveries.append(
                Delivery(
                    notification_id=notification_id,
                    channel=channel,
                    not_before=not_before,
                    queued_at=now if not_before <= now else None,
                )
            )
    # No conflict is possible: these notifications were created just now, in this transaction.
    Delivery.objects.bulk_create(deliveries)
    due_now = [d.pk for d in deliveries if d.state == DeliveryState.PENDING and d.queued_at is not None]
    if due_now:
        transaction.on_commit(lambda: _queue(due_now))
    return len(new)


def _queue(delivery_ids: list[int]) -> None:
    from ..tasks import send_delivery

    for delivery_id in delivery_ids:
        send_delivery.delay(delivery_id)
