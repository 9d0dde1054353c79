"""A person's private iCalendar feed token (issue item 3)."""

from __future__ import annotations

import secrets

from django.db import transaction

from audit.services import record

from ..models import CalendarFeed, Person


def calendar_feed_for(*, person: Person) -> CalendarFeed:
    """The person's feed, created with a fresh secret on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(person=person, defaults={"token": secrets.token_urlsafe(32)})
    return feed


@transaction.atomic
def rotate_calendar_token(*, person: Person, actor) -> CalendarFeed:
    """A new secret: the old feed URL stops working at once."""
    feed = calendar_feed_for(person=person)
    feed = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
    feed.token = secrets.token_urlsafe(32)
    feed.save(update_fields=["token", "rotated_at"])
    record(actor=actor, action="training.calendar.rotate", target=feed)
    return feed
