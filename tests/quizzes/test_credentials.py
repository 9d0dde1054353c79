"""Credentials: granted only on a passed certification exam, changed with events, verified publicly."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.errors import DomainError
from audit.models import AuditEntry
from quizzes.models import Attempt, Credential, CredentialEvent, QuizKind
from quizzes.services import (
    grant_credential,
    renew_credential,
    revoke_credential,
    save_answer,
    start_attempt,
    submit_attempt,
    surrender_credential,
    suspend_credential,
)
from training.models import Category

from .factories import CredentialTypeFactory, bank, make_quiz, right_value

pytestmark = pytest.mark.django_db


def _passed(person, kind, *, now=None) -> Attempt:
    quiz = make_quiz(kind=QuizKind.CERTIFICATION, credential_type=kind, attempts_allowed=5, opens_in=timedelta(days=-2))
    attempt, _ = start_attempt(person=person, quiz=quiz, now=now)
    for entry in attempt.paper["questions"]:
        save_answer(
            attempt=attempt,
            person=person,
            question_id=entry["question_id"],
            value=right_value(attempt, entry),
            seq=1,
            now=now,
        )
    return submit_attempt(attempt=attempt, person=person, now=now)


def _failed(person, kind) -> Attempt:
    quiz = make_quiz(kind=QuizKind.CERTIFICATION, credential_type=kind)
    attempt, _ = start_attempt(person=person, quiz=quiz)
    return submit_attempt(attempt=attempt, person=person)


def _grant(client, person, kind, attempt=None, **extra):
    body = {"person": person.pk, "credential_type": kind.code, **extra}
    if attempt is not None:
        body["attempt"] = str(attempt.pk)
    return client.post(reverse("api:credential-list"), body, format="json")


def test_hr_grants_on_a_passed_attempt(world):
    bank()
    kind = CredentialTypeFactory(validity_years=5)
    attempt = _passed(world.officer, kind)
    today = timezone.localdate()

    response = _grant(world.client("hr_here"), world.officer, kind, attempt)

    assert response.status_code == 201
    body = response.json()
    assert body["number"] == f"XF{today.year}000001"
    assert body["status"] == "active"
    assert body["issued_on"] == today.isoformat()
    assert body["expires_on"] == (today.replace(year=today.year + 5) - timedelta(days=1)).isoformat()
    credential = Credential.objects.get()
    assert credential.attempt_id == attempt.pk
    assert list(credential.events.values_list("kind", "actor__username")) == [("granted", "hr_here")]
    assert AuditEntry.objects.filter(action="quizzes.credential_granted", target_id=str(credential.pk)).count() == 1


def test_a_grant_without_a_pass_is_refused(world):
    bank()
    kind = CredentialTypeFactory()
    failed = _failed(world.officer, kind)
    client = world.client("hr_here")

    without = _grant(client, world.officer, kind)
    on_fail = _grant(client, world.officer, kind, failed)

    assert (without.status_code, without.json()["code"]) == (409, "no_qualifying_result")
    assert (on_fail.status_code, on_fail.json()["code"]) == (409, "no_qualifying_result")
    assert Credential.objects.count() == 0


def test_a_grant_on_someone_elses_attempt_is_refused(world):
    bank()
    kind = CredentialTypeFactory()
    theirs = _passed(world.other_officer, kind)

    response = _grant(world.client("hr_here"), world.officer, kind, theirs)

    assert response.json()["code"] == "no_qualifying_result"
    assert Credential.objects.count() == 0


def test_a_grant_on_a_practice_pass_is_refused(world):
    bank()
    kind = CredentialTypeFactory()
    quiz = make_quiz(kind=QuizKind.ASSESSMENT)
    attempt, _ = start_attempt(person=world.officer, quiz=quiz)
    for entry in attempt.paper["questions"]:
        save_answer(
            attempt=attempt,
            person=world.officer,
            question_id=entry["question_id"],
            value=right_value(attempt, entry),
            seq=1,
        )
    submit_attempt(attempt=attempt, person=world.officer)

    with pytest.raises(DomainError) as refused:
        grant_credential(person=world.officer, credential_type=kind, attempt=attempt, actor=None)

    assert refused.value.code == "no_qualifying_result"
    assert Credential.objects.count() == 0


def test_an_old_pass_is_refused(world):
    bank()
    kind = CredentialTypeFactory(max_pass_age_days=365)
    attempt = _passed(world.officer, kind, now=timezone.now() - timedelta(days=1))

    with pytest.raises(DomainError) as refused:
        grant_credential(
            person=world.officer,
            credential_type=kind,
            attempt=attempt,
            actor=None,
            today=timezone.localdate() + timedelta(days=400),
        )

    assert refused.value.code == "result_too_old"
    assert Credential.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"category": Category.AUXILIARY}, "not_eligible_auxiliary_staff"),
        ({"barred_from_credentials": True, "barred_reason": "年度考核不称职"}, "person_barred"),
        ({"is_active": False}, "person_inactive"),
    ],
)
def test_people_who_cannot_hold_a_credential_are_refused(world, change, code):
    bank()
    kind = CredentialTypeFactory()
    attempt = _passed(world.officer, kind)
    for name, value in change.items():
        setattr(world.officer, name, value)
    world.officer.save()

    response = _grant(world.client("hr_here"), world.officer, kind, attempt)

    assert (response.status_code, response.json()["code"]) == (409, code)
    assert Credential.objects.count() == 0


def test_a_second_grant_is_refused_while_one_is_live(world):
    bank()
    kind = CredentialTypeFactory()
    attempt = _passed(world.officer, kind)
    grant_credential(person=world.officer, credential_type=kind, attempt=attempt, actor=None)

    response = _grant(world.client("hr_here"), world.officer, kind, attempt)

    assert (response.status_code, response.json()["code"]) == (409, "already_holds")
    assert Credential.objects.count() == 1


def test_external_result_grant_for_a_card_issued_before_xuefa(world):
    kind = CredentialTypeFactory()
    passed_on = timezone.localdate() - timedelta(days=30)

    response = _grant(
        world.client("hr_here"),
        world.officer,
        kind,
        external_result={
            "passed_on": passed_on.isoformat(),
            "score": "82",
            "document_ref": "省执法资格考试成绩单 2026-118",
        },
    )

    assert response.status_code == 201
    credential = Credential.objects.get()
    assert credential.external_result.document_ref == "省执法资格考试成绩单 2026-118"
    assert credential.attempt_id is None


def test_hr_elsewhere_cannot_grant_outside_the_scope(world):
    bank()
    kind = CredentialTypeFactory()
    attempt = _passed(world.officer, kind)

    response = _grant(world.client("hr_elsewhere"), world.officer, kind, attempt)

    assert response.status_code == 404
    assert Credential.objects.count() == 0


def test_suspend_revoke_surrender_each_leave_an_event(world):
    bank()
    kind = CredentialTypeFactory()
    credential = grant_credential(
        person=world.officer, credential_type=kind, attempt=_passed(world.officer, kind), actor=None
    )
    client = world.client("hr_here")

    suspended = client.post(
        reverse("api:credential-suspend", kwargs={"credential_id": credential.pk}),
        {"reason": "出借执法证"},
        format="json",
    )
    again = client.post(
        reverse("api:credential-suspend", kwargs={"credential_id": credential.pk}), {"reason": "again"}, format="json"
    )
    revoked = client.post(
        reverse("api:credential-revoke", kwargs={"credential_id": credential.pk}), {"reason": "情节严重"}, format="json"
    )
    surrendered = client.post(
        reverse("api:credential-surrender", kwargs={"credential_id": credential.pk}), {"reason": "离岗"}, format="json"
    )
    events = client.get(reverse("api:credential-events", kwargs={"credential_id": credential.pk})).json()["results"]

    assert suspended.json()["status"] == "suspended"
    assert (again.status_code, again.json()["code"]) == (409, "credential_state")
    assert revoked.json()["status"] == "revoked"
    assert (surrendered.status_code, surrendered.json()["code"]) == (409, "credential_state")
    assert [(e["kind"], e["reason"], e["actor"]) for e in events] == [
        ("granted", "", None),
        ("suspended", "出借执法证", "hr_here"),
        ("revoked", "情节严重", "hr_here"),
    ]


def test_a_change_without_a_reason_is_refused(world):
    bank()
    kind = CredentialTypeFactory()
    credential = grant_credential(
        person=world.officer, credential_type=kind, attempt=_passed(world.officer, kind), actor=None
    )

    response = world.client("hr_here").post(
        reverse("api:credential-suspend", kwargs={"credential_id": credential.pk}), {}, format="json"
    )

    assert response.status_code == 400
    credential.refresh_from_db()
    assert credential.status == "active"


def test_renew_keeps_the_number_in_the_last_six_months_on_a_recent_pass(world):
    bank()
    kind = CredentialTypeFactory(validity_years=5)
    credential = grant_credential(
        person=world.officer, credential_type=kind, attempt=_passed(world.officer, kind), actor=None
    )
    old_expiry = credential.expires_on

    with pytest.raises(DomainError) as too_early:
        renew_credential(credential=credential, actor=None, reason="换证")
    Credential.objects.filter(pk=credential.pk).update(expires_on=timezone.localdate() + timedelta(days=60))
    renewed = renew_credential(credential=credential, actor=None, reason="换证")

    assert too_early.value.code == "renewal_too_early"
    assert old_expiry > timezone.localdate() + timedelta(days=60)
    assert renewed.number == credential.number
    expected = timezone.localdate() + timedelta(days=60)
    assert renewed.expires_on == expected.replace(year=expected.year + 5)
    assert list(renewed.events.values_list("kind", flat=True)) == ["granted", "renewed"]


def test_renew_without_a_recent_pass_is_refused(world):
    bank()
    kind = CredentialTypeFactory(max_pass_age_days=30)
    attempt = _passed(world.officer, kind)
    credential = grant_credential(person=world.officer, credential_type=kind, attempt=attempt, actor=None)
    Attempt.objects.filter(pk=attempt.pk).update(finished_at=timezone.now() - timedelta(days=60))
    Credential.objects.filter(pk=credential.pk).update(expires_on=timezone.localdate() + timedelta(days=60))

    with pytest.raises(DomainError) as refused:
        renew_credential(credential=credential, actor=None, reason="换证")

    assert refused.value.code == "no_qualifying_result"
    credential.refresh_from_db()
    assert credential.expires_on == timezone.localdate() + timedelta(days=60)


def test_public_lookup_shows_only_the_listed_fields_and_computed_expiry(world, api):
    bank()
    kind = CredentialTypeFactory()
    credential = grant_credential(
        person=world.officer, credential_type=kind, attempt=_passed(world.officer, kind), actor=None
    )
    Credential.objects.filter(pk=credential.pk).update(
        expires_on=timezone.localdate() - timedelta(days=1), issued_on=date(2020, 1, 1)
    )

    by_token = api.get(reverse("api:public-credential", kwargs={"token_or_number": str(credential.public_token)}))
    by_number = api.get(reverse("api:public-credential", kwargs={"token_or_number": credential.number}))
    missing = api.get(reverse("api:public-credential", kwargs={"token_or_number": "XF0000"}))

    assert by_token.status_code == 200
    assert by_token.json() == {
        "number": credential.number,
        "name": "李明",
        "credential_type": "行政执法证",
        "domain": "",
        "status": "expired",
        "valid_from": "2020-01-01",
        "valid_until": (timezone.localdate() - timedelta(days=1)).isoformat(),
    }
    assert by_number.json() == by_token.json()
    assert missing.status_code == 404
    assert "staff_number" not in json.dumps(by_token.json())


def test_officer_sees_only_their_own_credential(world):
    bank()
    kind = CredentialTypeFactory()
    mine = grant_credential(
        person=world.officer, credential_type=kind, attempt=_passed(world.officer, kind), actor=None
    )
    grant_credential(
        person=world.other_officer, credential_type=kind, attempt=_passed(world.other_officer, kind), actor=None
    )

    listed = world.client("officer").get(reverse("api:credential-list")).json()["results"]

    assert [c["id"] for c in listed] == [mine.pk]


def test_service_changes_write_events_and_audit(world):
    bank()
    kind = CredentialTypeFactory()
    credential = grant_credential(
        person=world.officer, credential_type=kind, attempt=_passed(world.officer, kind), actor=None
    )
    actor = world.hr_here.user

    suspend_credential(credential=credential, actor=actor, reason="调查")
    surrender_credential(credential=credential, actor=actor, reason="调离")

    assert list(CredentialEvent.objects.values_list("kind", flat=True)) == ["granted", "suspended", "surrendered"]
    assert AuditEntry.objects.filter(target_type="quizzes.credential").count() == 3
    with pytest.raises(DomainError) as refused:
        revoke_credential(credential=credential, actor=actor, reason="x")
    assert refused.value.code == "credential_state"


def test_public_lookup_is_throttled(world, api):
    from django.conf import settings

    limit = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public_credential"].split("/")[0])
    url = reverse("api:public-credential", kwargs={"token_or_number": "XF-none"})

    statuses = [api.get(url).status_code for _ in range(limit + 1)]

    assert statuses[:limit] == [404] * limit
    assert statuses[limit] == 429
    assert api.get(url).json()["code"] == "throttled"
