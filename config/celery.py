"""The Celery app. Broker and options come from Django settings (CELERY_*)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("xuefa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The reminder jobs live in `<app>/reminders.py`, next to the data they scan.
app.autodiscover_tasks(related_name="reminders")


def _beat_schedule() -> dict:
    from config.beat import BEAT_SCHEDULE

    return BEAT_SCHEDULE


app.conf.beat_schedule = _beat_schedule()
