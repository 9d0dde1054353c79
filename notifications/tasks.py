"""Celery tasks of the notifications app: they take ids and call one service."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(bind=True, acks_late=True, max_retries=None, ignore_result=True)
def send_delivery(self, delivery_id: int) -> str:
    """Send one delivery; a transient failure comes back after the service's backoff."""
    outcome = services.send_delivery(delivery_id=delivery_id)
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task(ignore_result=True)
def dispatch_due_deliveries() -> int:
    """Every minute: queue what is due and not on its way (beat; see config/beat.py)."""
    return len(services.dispatch_due_deliveries())
