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
