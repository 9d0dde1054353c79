"""``notify()``: the one way any app tells a person something.

Each new notification gets its deliveries in the same transaction: the inbox
one already sent, one pending row per outbound channel the recipient has on.
The send tasks are queued only after the commit; what a lost message leaves
pending, the periodic scan queues again (``dispatch_due_deliveries``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.db import connection, models, transaction
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


MESSAGE_FIELDS = ("recipient_id", "kind", "target_type", "target_id", "due_key", "title", "body", "url")
DELIVERY_FIELDS = ("notification_id", "channel", "state", "attempts", "not_before", "queued_at", "sent_at")


@transaction.atomic
def _notify_batch(messages: list[Message]) -> int:
    now = timezone.now()
    new = _insert_new(messages, now=now)
    if not new:
        return 0
    plan = outbound_channels_for({recipient_id for _, recipient_id in new})
    # One row per channel, as tuples in DELIVERY_FIELDS order: the inbox one is delivered by
    # being created; the outbound ones wait for their send task (or for quiet hours to end).
    rows: list[tuple] = []
    for notification_id, recipient_id in new:
        rows.append((notification_id, Channel.INBOX.value, DeliveryState.SENT.value, 1, now, None, now))
        for channel in plan.get(recipient_id, ()):
            not_before = not_before_for(channel, now)
            queued_at = now if not_before <= now else None
            rows.append((notification_id, str(channel), DeliveryState.PENDING.value, 0, not_before, queued_at, None))
    due_now = _insert_deliveries(rows, now=now)
    if due_now:
        transaction.on_commit(lambda: _queue(due_now))
    return len(new)


# On PostgreSQL a batch goes in as one INSERT … SELECT FROM unnest(arrays): a handful of
# parameters instead of one per value, and RETURNING names the rows that were new. The
# monthly pace reminder to 100,000 people depends on it (DESIGN.md, Performance budget).
_INSERT_NOTIFICATIONS = """
    INSERT INTO {table} (id, recipient_id, kind, target_type, target_id, due_key, title, body, url, created_at)
    SELECT n.id, n.recipient_id, n.kind, n.target_type, n.target_id, n.due_key, n.title, n.body, n.url, %s
    FROM unnest(%s::uuid[], %s::integer[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[],
                %s::text[], %s::text[])
         AS n(id, recipient_id, kind, target_type, target_id, due_key, title, body, url)
    ON CONFLICT DO NOTHING
    RETURNING id, recipient_id
"""
_INSERT_DELIVERIES = """
    INSERT INTO {table} (notification_id, channel, state, attempts, not_before, queued_at, sent_at,
                         last_error, created_at)
    SELECT d.notification_id, d.channel, d.state, d.attempts, d.not_before, d.queued_at, d.sent_at, '', %s
    FROM unnest(%s::uuid[], %s::text[], %s::text[], %s::integer[], %s::timestamptz[], %s::timestamptz[],
                %s::timestamptz[])
         AS d(notification_id, channel, state, attempts, not_before, queued_at, sent_at)
    RETURNING id, state, queued_at
"""


def _insert_new(messages: list[Message], *, now) -> list[tuple]:
    """Insert the notifications that do not exist yet; return (id, recipient id) of those inserted."""
    ids = [uuid.uuid4() for _ in messages]
    if connection.vendor != "postgresql":
        Notification.objects.bulk_create(
            [
                Notification(id=i, **{f: getattr(m, f) for f in MESSAGE_FIELDS})
                for i, m in zip(ids, messages, strict=True)
            ],
            ignore_conflicts=True,
        )
        # The ids are made here, so the rows that exist now under them are the new ones.
        return list(Notification.objects.filter(pk__in=ids).values_list("pk", "recipient_id"))
    # str()/int(): a TextChoices member must go in as its value, whatever the driver makes of enums.
    columns: list[list] = [ids, [int(m.recipient_id) for m in messages]]
    columns += [[str(getattr(m, f)) for m in messages] for f in MESSAGE_FIELDS[1:]]
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_NOTIFICATIONS.format(table=Notification._meta.db_table), [now, *columns])
        return [tuple(row) for row in cursor.fetchall()]


def _insert_deliveries(rows: list[tuple], *, now) -> list[int]:
    """Insert deliveries of new notifications (no conflict is possible: the notifications were
    created just now, in this transaction); return the ids of those to send now."""
    if connection.vendor != "postgresql":
        deliveries = Delivery.objects.bulk_create(
            [Delivery(**dict(zip(DELIVERY_FIELDS, row, strict=True))) for row in rows]
        )
        return [d.pk for d in deliveries if d.state == DeliveryState.PENDING and d.queued_at is not None]
    columns = [list(column) for column in zip(*rows, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_DELIVERIES.format(table=Delivery._meta.db_table), [now, *columns])
        return [pk for pk, state, queued_at in cursor.fetchall() if state == DeliveryState.PENDING and queued_at]


def _queue(delivery_ids: list[int]) -> None:
    from ..tasks import send_delivery

    for delivery_id in delivery_ids:
        send_delivery.delay(delivery_id)
