"""Celery tasks of the quizzes app: they call one service and are safe to run twice."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def submit_expired_attempts() -> int:
    """Every minute (beat; config/beat.py): submit the attempts whose deadline has
    passed, each graded as it stood and finished at its deadline."""
    return services.submit_expired_attempts()


@shared_task(ignore_result=True)
def record_expired_credentials() -> int:
    """Write down as expired the credentials whose date has passed (status is computed anyway)."""
    return services.record_expired_credentials()
