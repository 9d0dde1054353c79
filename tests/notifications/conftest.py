from __future__ import annotations

import pytest

from tests.notifications import webhook_server


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
