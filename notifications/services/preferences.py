"""Per-person channel preferences: which outbound channels a person's reminders take."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from audit.errors import InvalidInput
from audit.services import record

from ..models import Channel, ChannelPreference

OUTBOUND = (Channel.EMAIL, Channel.WEBHOOK)


def channel_available(channel: str) -> bool:
    """Whether the deployment can send over the channel at all (the webhook needs a URL)."""
    if channel == Channel.WEBHOOK:
        return bool(settings.WEBHOOK_URL)
    return channel in (Channel.INBOX, Channel.EMAIL)


def default_enabled(channel: str) -> bool:
    return channel == Channel.INBOX or channel in settings.NOTIFY_DEFAULT_CHANNELS


def outbound_channels_for(recipient_ids: Iterable[int]) -> dict[int, list[str]]:
    """For each recipient, the outbound channels a new notification goes to (two queries per batch)."""
    ids = list(recipient_ids)
    channels = [c for c in OUTBOUND if channel_available(c)]
    if not ids or not channels:
        return {}
    chosen: dict[int, dict[str, tuple[bool, str]]] = {}
    for user_id, channel, enabled, address in ChannelPreference.objects.filter(
        user_id__in=ids, channel__in=channels
    ).values_list("user_id", "channel", "enabled", "address"):
        chosen.setdefault(user_id, {})[channel] = (enabled, address)
    emails: dict[int, str] = {}
    if Channel.EMAIL in channels:
        emails = dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "email"))
    plan: dict[int, list[str]] = {}
    for user_id in ids:
        mine = chosen.get(user_id, {})
        picked: list[str] = []
        for channel in channels:
            enabled, address = mine.get(channel, (default_enabled(channel), ""))
            if not enabled:
                continue
            if channel == Channel.EMAIL and not (address or emails.get(user_id)):
                continue
            picked.append(channel)
        if picked:
            plan[user_id] = picked
    return plan


def address_for(*, user, channel: str) -> str:
    """Where a delivery goes: the person's own address for the channel, else the account's e-mail."""
    pref = ChannelPreference.objects.filter(user=user, channel=channel).values_list("address", flat=True).first()
    if pref:
        return pref
    return user.email if channel == Channel.EMAIL else ""


def set_channel_preferences(*, user, choices: list[dict]) -> list[ChannelPreference]:
    """Switch outbound channels on or off for oneself. The inbox cannot be switched
    off: it is where every reminder stays readable (DESIGN.md, notifications)."""
    known = {c.value for c in OUTBOUND}
    for choice in choices:
        if choice["channel"] not in known:
            raise InvalidInput(
                "This channel cannot be changed.",
                code="channel_not_configurable",
                detail={"channel": choice["channel"]},
            )
        if choice["channel"] == Channel.EMAIL and choice.get("address"):
            try:
                validate_email(choice["address"])
            except ValidationError as exc:
                raise InvalidInput(
                    "Not an e-mail address.", code="invalid_address", detail={"address": choice["address"]}
                ) from exc
    with transaction.atomic():
        before = {
            p.channel: {"enabled": p.enabled, "address": p.address}
            for p in ChannelPreference.objects.select_for_update().filter(user=user)
        }
        saved = []
        for choice in choices:
            defaults = {"enabled": choice["enabled"]}
            if "address" in choice:
                defaults["address"] = choice["address"]
            pref, _ = ChannelPreference.objects.update_or_create(
                user=user, channel=choice["channel"], defaults=defaults
            )
            saved.append(pref)
        record(
            actor=user,
            action="notifications.channels_changed",
            target_type="auth.user",
            target_id=user.pk,
            before=before,
            after={p.channel: {"enabled": p.enabled, "address": p.address} for p in saved},
        )
    return saved
