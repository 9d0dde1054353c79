"""The inbox: marking one's own notifications read."""

from __future__ import annotations

from django.utils import timezone

from audit.errors import DomainError

from ..models import Notification


class NotificationNotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = "No such notification."


def mark_read(*, user, notification_id) -> Notification:
    """Mark one of the caller's own notifications read; another person's is not found (404)."""
    notification = Notification.objects.filter(pk=notification_id, recipient=user).first()
    if notification is None:
        raise NotificationNotFound()
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.refresh_from_db(fields=["read_at"])
    return notification


def mark_all_read(*, user) -> int:
    """Mark every unread notification of the caller read; returns how many changed."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
