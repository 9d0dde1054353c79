from __future__ import annotations

from django.db.models import QuerySet

from .models import Channel, ChannelPreference, Notification
from .services.preferences import channel_available, default_enabled


def inbox(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def channel_settings(user) -> list[dict]:
    """Every channel with whether it is on for the user, whether the deployment offers it,
    and whether the user may change it (the inbox is always on)."""
    prefs = {p.channel: p for p in ChannelPreference.objects.filter(user=user)}
    rows = []
    for channel in Channel:
        pref = prefs.get(channel.value)
        rows.append(
            {
                "channel": channel.value,
                "label": str(channel.label),
                "enabled": True if channel == Channel.INBOX else (pref.enabled if pref else default_enabled(channel)),
                "available": channel_available(channel),
                "configurable": channel != Channel.INBOX,
                "address": pref.address if pref else "",
            }
        )
    return rows


def recipients_notified(*, kind: str, due_key: str, target_type: str = "", target_id: str = "") -> set[int]:
    """User ids who already have this reminder: a job's scan skips them instead of re-inserting."""
    return set(
        Notification.objects.filter(
            kind=kind, due_key=due_key, target_type=target_type, target_id=str(target_id)
        ).values_list("recipient_id", flat=True)
    )


def recipients_notified_many(
    *, kind: str, due_key: str, target_type: str, target_ids: list[str]
) -> set[tuple[str, int]]:
    """(target id, user id) pairs that already have this reminder, for many targets in one query."""
    return set(
        Notification.objects.filter(
            kind=kind, due_key=due_key, target_type=target_type, target_id__in=[str(t) for t in target_ids]
        ).values_list("target_id", "recipient_id")
    )
