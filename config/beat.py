"""Periodic work, run by exactly one Celery beat from the database scheduler.

django-celery-beat copies these entries into its tables at start, where
admins can edit them. Every entry is a scan of the database that fans out
in batches: no far-future ETAs.
"""

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict] = {
    # training
    # Reminder scans run often and are cheap: due keys make each reminder once,
    # so a missed run (beat down on the 1st) is caught up by the next one.
    "training-session-reminders": {
        "task": "training.reminders.remind_upcoming_sessions",
        "schedule": crontab(minute="*"),
    },
    "training-pace-reminders": {
        "task": "training.reminders.remind_behind_pace",
        "schedule": crontab(minute=0, hour=9),
    },
    "training-hours-digest": {
        "task": "training.reminders.send_hours_digest",
        "schedule": crontab(minute=10, hour=9),
    },
    "training-organisation-targets": {
        "task": "training.reminders.remind_organisation_targets",
        "schedule": crontab(minute=20, hour=9),
    },
    # quizzes
    "quizzes-submit-expired-attempts": {
        "task": "quizzes.tasks.submit_expired_attempts",
        "schedule": crontab(minute="*"),
    },
    "quizzes-exam-window-reminders": {
        "task": "quizzes.reminders.remind_exam_windows",
        "schedule": crontab(minute=5),
    },
    "quizzes-credential-expiry-reminders": {
        "task": "quizzes.reminders.remind_credential_expiry",
        "schedule": crontab(minute=0, hour=8),
    },
    "quizzes-expiry-digest": {
        "task": "quizzes.reminders.send_expiry_digest",
        "schedule": crontab(minute=30, hour=8),
    },
    "quizzes-annual-review": {
        "task": "quizzes.reminders.annual_review",
        "schedule": crontab(minute=0, hour=7),
    },
    # notifications
    "notifications-dispatch-due": {
        "task": "notifications.tasks.dispatch_due_deliveries",
        "schedule": crontab(minute="*"),
    },
}
__all__ = ["BEAT_SCHEDULE", "crontab"]
