"""Periodic work, run by exactly one Celery beat from the database scheduler.

django-celery-beat copies these entries into its tables at start, where
admins can edit them. Every entry is a scan of the database that fans out
in batches: no far-future ETAs.
"""

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict] = {
    # training
    # quizzes
    # notifications
}
__all__ = ["BEAT_SCHEDULE", "crontab"]
