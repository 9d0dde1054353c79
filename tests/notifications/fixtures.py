"""Fixtures shared by the reminder tests of several apps (import them into the test module)."""

from __future__ import annotations

import pytest

from tests.notifications import webhook_server


@pytest.fixture
def celery_eager():
    """Run queued tasks inline — for unit tests of task bodies only; the real-worker tests prove delivery."""
    from config.celery import app

    before = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.update(task_always_eager=True, task_eager_propagates=True)
    yield app
    app.conf.update(task_always_eager=before[0], task_eager_propagates=before[1])


@pytest.fixture
def gateway(settings):
    """The local SMS gateway, wired in as WEBHOOK_URL with a secret, quiet hours off."""
    gw, server = webhook_server.start()
    settings.WEBHOOK_URL = gw.url
    settings.WEBHOOK_SECRET = "s3cret-for-tests"
    settings.SMS_QUIET_HOURS = ""
    yield gw
    server.shutdown()
    server.server_close()
