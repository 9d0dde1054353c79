"""The one function that writes an audit entry."""

from __future__ import annotations

from typing import Any

from django.db import models

from .context import current_request_id
from .models import AuditEntry


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: Any = "",
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEntry:
    """Write one append-only audit entry (DESIGN.md, audit/).

    ``actor`` is a user or None (the system, a job, an anonymous caller).
    """
    if target is not None:
        target_type = target._meta.label_lower
        target_id = target.pk
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        request_id=current_request_id(),
        before=before,
        after=after,
        reason=reason,
    )
