"""Notifications: one row per recipient, kind, object and due key; one delivery per notification and channel."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A reminder or message for one user; it exists once per due key.

    ``target_type``/``target_id`` name the object it is about ("training.trainingsession", "42");
    ``due_key`` tells one reminder about that object from another ("1d", "2026-11").
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=64)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    due_key = models.CharField(max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "target_type", "target_id", "due_key"], name="notification_once"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}: {self.title}"


class Channel(models.TextChoices):
    INBOX = "inbox", _("站内信")
    EMAIL = "email", _("电子邮件")
    WEBHOOK = "webhook", _("短信/企业微信")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class Delivery(models.Model):
    """One notification sent over one channel, at most once.

    A sender claims the row (pending, or sending with an expired lease) with a
    single UPDATE before it sends, so a task delivered twice sends once.
    ``not_before`` holds a retry's backoff or the end of quiet hours;
    ``queued_at`` is when a send task was last queued, so the periodic scan
    re-queues only what a lost message (a broker restart) left behind.
    """

    # No index of its own: the unique (notification, channel) index serves lookups by notification.
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries", db_index=False)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    state = models.CharField(_("state"), max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    not_before = models.DateTimeField(_("not before"))
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel"),
        ]
        indexes = [
            models.Index(
                fields=["not_before"],
                condition=models.Q(state__in=["pending", "sending"]),
                name="delivery_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.state} ({self.notification_id})"


class ChannelPreference(models.Model):
    """A person's choice for one outbound channel; without a row the default applies.

    ``address`` overrides where it goes (another e-mail address, the phone
    number a gateway should text); blank means the account's own.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_preferences")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    enabled = models.BooleanField(_("enabled"), default=True)
    address = models.CharField(_("address"), max_length=254, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("channel preference")
        verbose_name_plural = _("channel preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "channel"], name="channel_preference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.channel} {'on' if self.enabled else 'off'}"
