"""The officer pages make a fixed number of queries, whatever the number of rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.services import notify
from tests.portal.factories import session_now
from training.services.attendance import check_in, current_code


def _attend(world, n):
    for i in range(n):
        session = session_now(departments=[world.here], title=f"培训 {i}")
        check_in(session=session, person=world.officer, code=current_code(session=session).code)
        notify(recipient=world.officer.user, kind="k", title=f"提醒 {i}", due_key=str(i))


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_pages_do_not_query_per_row(world):
    client = world.client("officer")
    _attend(world, 1)
    for name in ("portal:home", "portal:record", "portal:transcript", "portal:reminders"):
        client.get(reverse(name))  # the first visit creates the year's policy and the session row
    few = {
        name: _queries(client, reverse(name))
        for name in ("portal:home", "portal:record", "portal:transcript", "portal:reminders")
    }

    _attend(world, 4)
    many = {name: _queries(client, reverse(name)) for name in few}

    assert many == few
