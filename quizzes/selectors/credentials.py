"""Reads of credentials; status is computed wherever it is read (expired once the date has passed)."""

from __future__ import annotations

import uuid
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from training.selectors import scope_department_ids

from ..models import LIVE_STATUSES, Credential, CredentialStatus


def today() -> date:
    return timezone.localdate()


def credentials_visible_to(user, *, person=None) -> QuerySet[Credential]:
    """An officer sees their own; HR and admins those of the people in their scope."""
    from training.roles import ADMIN, HR, has_role

    qs = Credential.objects.select_related("holder", "holder__department", "credential_type").order_by(
        "-issued_on", "-id"
    )
    if has_role(user, HR, ADMIN):
        ids = scope_department_ids(user)
        return qs if ids is None else qs.filter(Q(holder__department_id__in=ids) | Q(holder__user_id=user.pk))
    return qs.filter(holder__user_id=user.pk)


def credential_for(*, person, credential_type=None) -> Credential | None:
    """The person's current credential (live first, then the latest)."""
    qs = Credential.objects.filter(holder=person).select_related("credential_type")
    if credential_type is not None:
        qs = qs.filter(credential_type=credential_type)
    return qs.filter(status__in=LIVE_STATUSES).order_by("-issued_on").first() or qs.order_by("-issued_on").first()


def credentials_expiring_between(start: date, end: date) -> QuerySet[Credential]:
    """Live credentials whose validity ends in [start, end] (for the expiry reminders)."""
    return Credential.objects.filter(
        status__in=LIVE_STATUSES, expires_on__gte=start, expires_on__lte=end
    ).select_related("holder", "credential_type")


def public_credential(token_or_number: str) -> Credential | None:
    """The credential behind a QR code's token or a printed number."""
    try:
        token = uuid.UUID(str(token_or_number))
    except ValueError:
        token = None
    condition = Q(number=token_or_number)
    if token is not None:
        condition |= Q(public_token=token)
    return Credential.objects.filter(condition).select_related("holder", "credential_type").first()


def status_filter(status: str, on: date) -> Q:
    """A filter on the computed status."""
    if status == CredentialStatus.EXPIRED:
        return Q(status=CredentialStatus.EXPIRED) | Q(status__in=LIVE_STATUSES, expires_on__lt=on)
    if status in LIVE_STATUSES:
        return Q(status=status, expires_on__gte=on)
    return Q(status=status)
