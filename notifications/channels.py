"""Senders for the outbound channels. Each raises ``TransientSendError`` for what
a later try may fix (timeouts, 5xx, refused connections) and
``PermanentSendError`` for what it will not (4xx, a rejected address)."""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import time
import urllib.error
import urllib.request
from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from .models import Channel, Notification


class SendError(Exception):
    pass


class TransientSendError(SendError):
    pass


class PermanentSendError(SendError):
    pass


def absolute_url(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL + url


def send_email(notification: Notification, address: str) -> None:
    if not address:
        raise PermanentSendError("no e-mail address")
    body = render_to_string(
        "notifications/email.txt", {"notification": notification, "link": absolute_url(notification.url)}
    )
    try:
        send_mail(notification.title, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentSendError(f"recipient refused: {exc}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise TransientSendError(f"{type(exc).__name__}: {exc}") from exc


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>.<body>", hex; the gateway recomputes it."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def webhook_payload(notification: Notification, address: str) -> dict:
    return {
        "id": str(notification.id),
        "kind": notification.kind,
        "title": notification.title,
        "body": notification.body,
        "url": absolute_url(notification.url),
        "recipient": {
            "id": notification.recipient_id,
            "username": notification.recipient.get_username(),
            "address": address,
        },
        "created_at": notification.created_at.isoformat(),
    }


def send_webhook(notification: Notification, address: str) -> None:
    """POST the notification as JSON; ``Idempotency-Key`` is the notification id, so a
    gateway that sees it twice (a retry after a lost answer) texts once."""
    url = settings.WEBHOOK_URL
    if not url.startswith(("http://", "https://")):
        raise PermanentSendError("WEBHOOK_URL is not set to an http(s) URL")
    body = json.dumps(webhook_payload(notification, address), ensure_ascii=False).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": str(notification.id),
            "X-Xuefa-Timestamp": timestamp,
            "X-Xuefa-Signature": "sha256=" + sign(settings.WEBHOOK_SECRET, timestamp, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.WEBHOOK_TIMEOUT) as response:  # noqa: S310
            response.read()
    except urllib.error.HTTPError as exc:
        message = f"HTTP {exc.code}: {exc.read()[:200].decode(errors='replace')}"
        if exc.code >= 500 or exc.code in (408, 425, 429):
            raise TransientSendError(message) from exc
        raise PermanentSendError(message) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise TransientSendError(f"{type(exc).__name__}: {exc}") from exc


SENDERS: dict[str, Callable[[Notification, str], None]] = {
    Channel.EMAIL: send_email,
    Channel.WEBHOOK: send_webhook,
}
