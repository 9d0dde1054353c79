"""External training records: submitted with evidence, counted once HR approves (issue item 7)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.errors import InvalidInput
from audit.services import record
from notifications.services import notify

from ..errors import EvidenceInvalid, OwnRecord, ReasonRequired, RecordAlreadyDecided
from ..models import ContentCategory, ExternalRecord, ExternalStatus, HoursSource, Person
from .ledger import check_hours, credit_hours

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
# Recognised by their first bytes, never by the name the phone sent.
MAGIC = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
]


def sniff_evidence(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, ext in MAGIC:
        if head.startswith(magic):
            return content_type, ext
    return None


@transaction.atomic
def submit_external_record(
    *,
    person: Person,
    actor,
    title: str,
    content_category: str,
    hours: Decimal,
    completed_on: date,
    provider: str = "",
    evidence=None,
) -> ExternalRecord:
    """An officer reports training done elsewhere. Evidence: PDF, JPEG or PNG (by content), at most 5 MB."""
    hours = check_hours(hours)
    if hours == 0:
        raise InvalidInput(_("学时必须大于 0。"), code="hours_invalid")
    if content_category not in ContentCategory.values:
        raise InvalidInput(_("未知的内容类别。"))
    if completed_on > timezone.localdate():
        raise InvalidInput(_("完成日期不能在将来。"), code="completed_on_invalid")
    stored = None
    if evidence is not None:
        if evidence.size > MAX_EVIDENCE_BYTES:
            raise EvidenceInvalid()
        evidence.seek(0)
        sniffed = sniff_evidence(evidence.read(16))
        if sniffed is None:
            raise EvidenceInvalid()
        evidence.seek(0)
        stored = (sniffed, evidence.read(), evidence.name or "evidence")
    row = ExternalRecord(
        person=person,
        title=title,
        provider=provider,
        content_category=content_category,
        hours=hours,
        completed_on=completed_on,
    )
    if stored is not None:
        (content_type, ext), data, name = stored
        row.evidence.save(f"{uuid.uuid4().hex}.{ext}", ContentFile(data), save=False)
        row.evidence_type = content_type
        row.evidence_name = name[:200]
    row.save()
    record(actor=actor, action="training.external.submit", target=row, after={"hours": str(hours), "title": title})
    return row


@transaction.atomic
def approve_external_record(*, external_record: ExternalRecord, actor) -> ExternalRecord:
    """HR approves: the 学时 enter the ledger for the year the training was completed."""
    row = _lock_pending(external_record, actor)
    row.status = ExternalStatus.APPROVED
    row.decided_by = actor
    row.decided_at = timezone.now()
    row.save(update_fields=["status", "decided_by", "decided_at"])
    credit_hours(
        person=row.person_id,
        year=row.completed_on.year,
        category=row.content_category,
        hours=row.hours,
        source=HoursSource.EXTERNAL,
        source_ref=f"external:{row.pk}",
        reason=row.title,
        actor=actor,
    )
    record(
        actor=actor,
        action="training.external.approve",
        target=row,
        before={"status": "pending"},
        after={"status": "approved"},
    )
    _tell(row, _("外部培训记录已通过：%(t)s") % {"t": row.title})
    return row


@transaction.atomic
def reject_external_record(*, external_record: ExternalRecord, actor, reason: str) -> ExternalRecord:
    """HR rejects with a reason; nothing enters the ledger."""
    if not reason or not reason.strip():
        raise ReasonRequired(_("驳回必须填写原因。"))
    row = _lock_pending(external_record, actor)
    row.status = ExternalStatus.REJECTED
    row.decided_by = actor
    row.decided_at = timezone.now()
    row.decision_reason = reason.strip()
    row.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    record(
        actor=actor,
        action="training.external.reject",
        target=row,
        before={"status": "pending"},
        after={"status": "rejected"},
        reason=reason,
    )
    _tell(row, _("外部培训记录被驳回：%(t)s") % {"t": row.title}, body=row.decision_reason)
    return row


def _lock_pending(external_record: ExternalRecord, actor) -> ExternalRecord:
    """The record, locked, still pending, and not the decider's own (nobody approves their own hours)."""
    row = ExternalRecord.objects.select_for_update(of=("self",)).select_related("person").get(pk=external_record.pk)
    if row.person.user_id is not None and row.person.user_id == getattr(actor, "pk", None):
        raise OwnRecord()
    if row.status != ExternalStatus.PENDING:
        raise RecordAlreadyDecided()
    return row


def _tell(row: ExternalRecord, title: str, body: str = "") -> None:
    user = Person.objects.filter(pk=row.person_id).values_list("user", flat=True).first()
    if user is None:
        return
    from django.contrib.auth import get_user_model

    notify(
        recipient=get_user_model()(pk=user),
        kind="external_record_decided",
        title=title,
        body=body,
        target=row,
        due_key=row.status,
    )
