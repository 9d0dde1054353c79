"""Fixtures shared by the reminder tests of several apps (import them into the test module)."""

from __future__ import annotations

import pytest


@pytest.fixture
def celery_eager():
    """Run queued tasks inline — for unit tests of task bodies only; the real-worker tests prove delivery."""
    from config.celery import app

    before = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.update(task_always_eager=True, task_eager_propagates=True)
    yield app
    app.conf.update(task_always_eager=before[0], task_eager_propagates=before[1])
