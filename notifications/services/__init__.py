"""Writes of the notifications app. ``notify``/``notify_many``/``Message`` are what other apps call."""

from .deliveries import SendOutcome, dispatch_due_deliveries, retry_deliveries, send_delivery
from .inbox import NotificationNotFound, mark_all_read, mark_read
from .notify import Message, notify, notify_many, target_of
from .preferences import set_channel_preferences
from .templates import link, render_message

__all__ = [
    "Message",
    "NotificationNotFound",
    "SendOutcome",
    "dispatch_due_deliveries",
    "link",
    "mark_all_read",
    "mark_read",
    "notify",
    "notify_many",
    "render_message",
    "retry_deliveries",
    "send_delivery",
    "set_channel_preferences",
    "target_of",
]
