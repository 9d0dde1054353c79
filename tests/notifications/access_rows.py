"""Access rows of the inbox API: everyone signed in has an inbox; another person's notification is a 404."""

from notifications.models import Notification
from tests.access import Row, expect


def _officers_notification(world, ctx):
    notification = Notification.objects.create(recipient=world.officer.user, kind="test", title="提醒")
    return {"notification_id": notification.pk}


ROWS = [
    Row("api:notifications", "get", expect(401, 200, 200, 200, 200, 200)),
    Row("api:notifications-read-all", "post", expect(401, 200, 200, 200, 200, 200)),
    Row("api:notification-read", "post", expect(401, 200, 404, 404, 404, 404), setup=_officers_notification),
    Row("api:notification-channels", "get", expect(401, 200, 200, 200, 200, 200)),
    Row(
        "api:notification-channels",
        "put",
        expect(401, 200, 200, 200, 200, 200),
        body=lambda w, c: {"channels": [{"channel": "email", "enabled": False}]},
    ),
]
