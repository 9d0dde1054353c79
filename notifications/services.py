"""``notify()``: the one way any app tells a person something."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models

from .models import Notification


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


def notify_many(messages: Iterable[Message], *, batch_size: int = 500) -> int:
    """Create many notifications in bulk, skipping those that exist already.

    Returns how many were new. Safe to call again with the same messages: the
    unique constraint on (recipient, kind, target, due key) makes it a no-op.
    """
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
    if not rows:
        return 0
    Notification.objects.bulk_create(rows, batch_size=batch_size, ignore_conflicts=True)
    # The ids are made here, so the rows that exist now under them are the new ones.
    return Notification.objects.filter(pk__in=[r.pk for r in rows]).count()
