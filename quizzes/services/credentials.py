"""Credentials (执法证): grant on a passed certification exam, suspend, revoke, renew, surrender.

A pass grants nothing by itself: HR grants, citing the passed attempt or an
external exam result entered with its document (DESIGN.md, quizzes). Every
change is a credential event and an audit entry.
"""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from training.models import Category, Person

from ..errors import refuse
from ..models import (
    LIVE_STATUSES,
    Attempt,
    AttemptStatus,
    Credential,
    CredentialEvent,
    CredentialStatus,
    CredentialType,
    ExternalResult,
    QuizKind,
)

RENEWAL_WINDOW = relativedelta(months=6)


def _state(credential: Credential) -> dict:
    return {
        "status": credential.status,
        "issued_on": credential.issued_on.isoformat(),
        "expires_on": credential.expires_on.isoformat(),
    }


def _event(credential: Credential, *, kind: str, actor, reason: str, before: dict | None) -> None:
    after = _state(credential)
    CredentialEvent.objects.create(
        credential=credential,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason,
        before=before,
        after=after,
    )
    record(
        actor=actor, action=f"quizzes.credential_{kind}", target=credential, before=before, after=after, reason=reason
    )


def _check_person(person: Person) -> None:
    """Who may hold a credential at all (REGULATIONS.md, who cannot hold a credential)."""
    if not person.is_active:
        raise refuse("person_inactive", _("该人员已离职或停用"))
    if person.category == Category.AUXILIARY:
        raise refuse("not_eligible_auxiliary_staff", _("执法辅助人员不能取得执法证"))
    if person.barred_from_credentials:
        raise refuse("person_barred", _("该人员被禁止取得执法证"), detail={"reason": person.barred_reason})


def _check_attempt(*, attempt: Attempt, person: Person, credential_type: CredentialType, today: date) -> None:
    """The qualifying result: the person's own submitted, passed certification
    attempt for this credential type, no older than the type allows."""
    if (
        attempt.person_id != person.pk
        or attempt.status != AttemptStatus.SUBMITTED
        or attempt.passed is not True
        or attempt.quiz.kind != QuizKind.CERTIFICATION
        or attempt.quiz.credential_type_id != credential_type.pk
    ):
        raise refuse("no_qualifying_result", _("没有合格的执法资格考试成绩"))
    passed_on = timezone.localtime(attempt.finished_at).date()
    if (today - passed_on).days > credential_type.max_pass_age_days:
        raise refuse(
            "result_too_old",
            _("考试成绩已超过有效期"),
            detail={"passed_on": passed_on.isoformat(), "max_age_days": credential_type.max_pass_age_days},
        )


def _next_number(credential_type: CredentialType, year: int) -> str:
    prefix = f"{credential_type.number_prefix}{year}"
    last = (
        Credential.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return f"{prefix}{seq:06d}"


def grant_credential(
    *,
    person: Person,
    credential_type: CredentialType,
    attempt: Attempt | None = None,
    external_result: dict | ExternalResult | None = None,
    actor,
    reason: str = "",
    today: date | None = None,
) -> Credential:
    """Grant a credential on a passed certification attempt or an external result.

    "未经执法资格考试合格，不得授予执法资格" (REGULATIONS.md, 持证上岗). One
    live credential per person and type: the person's row is locked for the
    check and a partial unique index holds it in the database.
    """
    today = today or timezone.localdate()
    for _try in range(3):
        try:
            with transaction.atomic():
                person = Person.objects.select_for_update(of=("self",)).get(pk=person.pk)
                _check_person(person)
                live = list(
                    Credential.objects.filter(holder=person, credential_type=credential_type, status__in=LIVE_STATUSES)
                )
                for credential in live:
                    if credential.expires_on >= today:
                        raise refuse(
                            "already_holds", _("该人员已持有有效的执法证"), detail={"number": credential.number}
                        )
                    before = _state(credential)
                    credential.status = CredentialStatus.EXPIRED
                    credential.save(update_fields=["status"])
                    _event(credential, kind=CredentialEvent.Kind.EXPIRED, actor=None, reason="", before=before)
                external = None
                if attempt is not None:
                    attempt = Attempt.objects.select_related("quiz").get(pk=attempt.pk)
                    _check_attempt(attempt=attempt, person=person, credential_type=credential_type, today=today)
                elif external_result is not None:
                    external = _external(person, credential_type, external_result, actor, today)
                else:
                    raise refuse("no_qualifying_result", _("没有合格的执法资格考试成绩"))
                with transaction.atomic():
                    credential = Credential.objects.create(
                        number=_next_number(credential_type, today.year),
                        holder=person,
                        credential_type=credential_type,
                        domain=person.enforcement_domain,
                        issued_on=today,
                        expires_on=today + relativedelta(years=credential_type.validity_years) - timedelta(days=1),
                        status=CredentialStatus.ACTIVE,
                        attempt=attempt,
                        external_result=external,
                    )
                _event(credential, kind=CredentialEvent.Kind.GRANTED, actor=actor, reason=reason, before=None)
                return credential
        except IntegrityError as exc:
            if "credential_one_live_per_type" in str(exc):
                raise refuse("already_holds", _("该人员已持有有效的执法证")) from exc
            continue  # another grant took the same number: draw the next one
    raise refuse("conflict", _("请重试"))


def _external(person, credential_type, data, actor, today) -> ExternalResult:
    if isinstance(data, ExternalResult):
        result = data
    else:
        result = ExternalResult(
            person=person,
            credential_type=credential_type,
            passed_on=data["passed_on"],
            score=data.get("score"),
            document_ref=data["document_ref"],
            entered_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    if result.person_id != person.pk or result.credential_type_id != credential_type.pk:
        raise refuse("no_qualifying_result", _("没有合格的执法资格考试成绩"))
    if (today - result.passed_on).days > credential_type.max_pass_age_days:
        raise refuse("result_too_old", _("考试成绩已超过有效期"), detail={"passed_on": result.passed_on.isoformat()})
    if result.pk is None:
        result.save()
        record(
            actor=actor,
            action="quizzes.external_result_entered",
            target=result,
            after={"document": result.document_ref},
        )
    return result


def _locked(credential: Credential) -> Credential:
    return (
        Credential.objects.select_for_update(of=("self",))
        .select_related("credential_type", "holder")
        .get(pk=credential.pk)
    )


def _change(*, credential: Credential, actor, reason: str, allowed: tuple[str, ...], to: str, kind: str, today=None):
    today = today or timezone.localdate()
    if not reason.strip():
        raise refuse("reason_required", _("请填写原因"), status=400)
    with transaction.atomic():
        credential = _locked(credential)
        current = credential.effective_status(today)
        if current not in allowed:
            raise refuse("credential_state", _("执法证当前状态不允许此操作"), detail={"status": current})
        before = _state(credential)
        credential.status = to
        credential.save(update_fields=["status"])
        _event(credential, kind=kind, actor=actor, reason=reason, before=before)
    return credential


def suspend_credential(*, credential: Credential, actor, reason: str, today: date | None = None) -> Credential:
    """暂扣: for misconduct; only an active credential."""
    return _change(
        credential=credential,
        actor=actor,
        reason=reason,
        allowed=(CredentialStatus.ACTIVE,),
        to=CredentialStatus.SUSPENDED,
        kind=CredentialEvent.Kind.SUSPENDED,
        today=today,
    )


def revoke_credential(*, credential: Credential, actor, reason: str, today: date | None = None) -> Credential:
    """吊销: for grave cases; an active or suspended credential."""
    return _change(
        credential=credential,
        actor=actor,
        reason=reason,
        allowed=(CredentialStatus.ACTIVE, CredentialStatus.SUSPENDED),
        to=CredentialStatus.REVOKED,
        kind=CredentialEvent.Kind.REVOKED,
        today=today,
    )


def surrender_credential(*, credential: Credential, actor, reason: str, today: date | None = None) -> Credential:
    """注销: when the holder leaves the post; an active or suspended credential."""
    return _change(
        credential=credential,
        actor=actor,
        reason=reason,
        allowed=(CredentialStatus.ACTIVE, CredentialStatus.SUSPENDED),
        to=CredentialStatus.SURRENDERED,
        kind=CredentialEvent.Kind.SURRENDERED,
        today=today,
    )


def renew_credential(
    *, credential: Credential, actor, reason: str = "", attempt: Attempt | None = None, today: date | None = None
) -> Credential:
    """Renew an active credential in the last six months before expiry on a recent
    pass: same number, new expiry = old expiry + validity (DESIGN.md; Hunan's re-exam)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        credential = _locked(credential)
        if credential.effective_status(today) != CredentialStatus.ACTIVE:
            raise refuse(
                "credential_state", _("只有有效的执法证可以换证"), detail={"status": credential.effective_status(today)}
            )
        if today < credential.expires_on - RENEWAL_WINDOW:
            raise refuse(
                "renewal_too_early",
                _("有效期届满前六个月内方可换证"),
                detail={"from": (credential.expires_on - RENEWAL_WINDOW).isoformat()},
            )
        person = credential.holder
        _check_person(person)
        kind = credential.credential_type
        if attempt is None:
            since = timezone.now() - timedelta(days=kind.max_pass_age_days)
            attempt = (
                Attempt.objects.filter(
                    person=person,
                    status=AttemptStatus.SUBMITTED,
                    passed=True,
                    quiz__kind=QuizKind.CERTIFICATION,
                    quiz__credential_type=kind,
                    finished_at__gte=since,
                )
                .select_related("quiz")
                .order_by("-finished_at")
                .first()
            )
            if attempt is None:
                raise refuse("no_qualifying_result", _("没有近期合格的执法资格考试成绩"))
        _check_attempt(attempt=attempt, person=person, credential_type=kind, today=today)
        before = _state(credential)
        credential.expires_on = credential.expires_on + relativedelta(years=kind.validity_years)
        credential.attempt = attempt
        credential.save(update_fields=["expires_on", "attempt"])
        _event(credential, kind=CredentialEvent.Kind.RENEWED, actor=actor, reason=reason, before=before)
    return credential


def record_expired_credentials(*, today: date | None = None) -> int:
    """Record as expired the live credentials whose date has passed (the nightly job;
    the status is computed wherever it is read, this only writes it down)."""
    today = today or timezone.localdate()
    count = 0
    for pk in Credential.objects.filter(status__in=LIVE_STATUSES, expires_on__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            credential = _locked(Credential(pk=pk))
            if credential.status not in LIVE_STATUSES or credential.expires_on >= today:
                continue
            before = _state(credential)
            credential.status = CredentialStatus.EXPIRED
            credential.save(update_fields=["status"])
            _event(credential, kind=CredentialEvent.Kind.EXPIRED, actor=None, reason="", before=before)
            count += 1
    return count
