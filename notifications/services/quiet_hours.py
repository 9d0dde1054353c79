"""Quiet hours for the channels that ring a phone (SMS / WeCom via the webhook).

A delivery due inside them waits until they end; the periodic scan sends it
then (no far-future ETA).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from ..models import Channel

QUIET_CHANNELS = frozenset({Channel.WEBHOOK})


def quiet_window() -> tuple[time, time] | None:
    spec = (settings.SMS_QUIET_HOURS or "").strip()
    if not spec:
        return None
    start, end = (time.fromisoformat(part.strip()) for part in spec.split("-", 1))
    return start, end


def _local(moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE))


def in_quiet_hours(moment: datetime) -> bool:
    window = quiet_window()
    if window is None:
        return False
    start, end = window
    now = _local(moment).time()
    if start <= end:
        return start <= now < end
    return now >= start or now < end


def quiet_hours_end(moment: datetime) -> datetime:
    """The first moment after ``moment`` at which quiet hours are over (``moment`` itself if they are not on)."""
    window = quiet_window()
    if window is None or not in_quiet_hours(moment):
        return moment
    _, end = window
    local = _local(moment)
    candidate = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), end, tzinfo=local.tzinfo)
    return candidate


def not_before_for(channel: str, moment: datetime) -> datetime:
    if channel in QUIET_CHANNELS:
        return quiet_hours_end(moment)
    return moment
