"""External training records: evidence limits, approval into the ledger, rejection with a reason, the file view."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from notifications.models import Notification
from tests.training.factories import PDF, external_record
from training.models import ExternalRecord, HoursEntry, PersonYearHours

LIST = reverse("api:external-record-list")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def submit(client, evidence: tuple[str, bytes] | None = None, **overrides):
    data = {"title": "省执法培训班", "content_category": "specialised_law", "hours": "6", "completed_on": "2026-03-10"}
    data.update(overrides)
    if evidence:
        data["evidence"] = SimpleUploadedFile(*evidence)
    return client.post(LIST, data, format="multipart")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content"), [("a.pdf", PDF), ("a.png", PNG), ("photo.jpg", JPEG)])
def test_officer_submits_with_evidence(world, name, content):
    response = submit(world.client("officer"), (name, content))
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["hours"], body["person"]["id"]) == ("pending", "6.0", world.officer.pk)
    assert body["evidence_url"] == reverse("api:external-record-evidence", kwargs={"pk": body["id"]})
    assert HoursEntry.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("evidence", "overrides", "code"),
    [
        (("fake.pdf", b"MZ\x90\x00 not a pdf"), {}, "evidence_invalid"),
        (("a.html", b"<html><script>alert(1)</script>"), {}, "evidence_invalid"),
        (("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024)), {}, "evidence_invalid"),
        (None, {"hours": "-3"}, "hours_invalid"),
        (None, {"hours": "0"}, "hours_invalid"),
        (None, {"hours": "300"}, "hours_invalid"),
        (None, {"completed_on": "2099-01-01"}, "completed_on_invalid"),
    ],
)
def test_bad_submissions_are_refused_and_nothing_is_stored(world, tmp_path, evidence, overrides, code):
    response = submit(world.client("officer"), evidence, **overrides)
    assert (response.status_code, response.json()["code"]) == (400, code)
    assert ExternalRecord.objects.count() == 0
    assert list(tmp_path.rglob("*.*")) == []


@pytest.mark.django_db
def test_hr_approves_and_the_hours_enter_the_ledger_once(world):
    row = external_record(world.officer, evidence=PDF)
    client = world.client("hr_here")

    response = client.post(reverse("api:external-record-approve", kwargs={"pk": row.pk}))
    again = client.post(reverse("api:external-record-approve", kwargs={"pk": row.pk}))

    assert (response.status_code, response.json()["status"]) == (200, "approved")
    assert (again.status_code, again.json()["code"]) == (409, "record_already_decided")
    assert list(HoursEntry.objects.values_list("person_id", "year", "category", "hours", "source", "source_ref")) == [
        (world.officer.pk, 2026, "specialised_law", Decimal("6.0"), "external", f"external:{row.pk}")
    ]
    assert PersonYearHours.objects.get(person=world.officer, year=2026).specialised_law == Decimal("6.0")
    assert Notification.objects.filter(recipient=world.officer.user, kind="external_record_decided").count() == 1


@pytest.mark.django_db
def test_reject_needs_a_reason_and_credits_nothing(world):
    row = external_record(world.officer)
    client = world.client("hr_here")
    url = reverse("api:external-record-reject", kwargs={"pk": row.pk})

    assert client.post(url, {"reason": ""}).json()["code"] == "validation_error"
    response = client.post(url, {"reason": "证明不清晰"})

    assert (response.status_code, response.json()["status"], response.json()["decision_reason"]) == (
        200,
        "rejected",
        "证明不清晰",
    )
    assert HoursEntry.objects.count() == 0


@pytest.mark.django_db
def test_evidence_is_served_to_the_owner_with_its_sniffed_type(world):
    row = external_record(world.officer, evidence=PDF)
    response = world.client("officer").get(reverse("api:external-record-evidence", kwargs={"pk": row.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert (
        world.client("other_officer").get(reverse("api:external-record-evidence", kwargs={"pk": row.pk})).status_code
        == 404
    )


@pytest.mark.django_db
def test_external_list_runs_a_fixed_number_of_queries(world, count_queries):
    client = world.client("hr_here")
    for _ in range(2):
        external_record(world.officer)
    client.get(LIST)
    few = count_queries(client.get, LIST)
    for _ in range(18):
        external_record(world.other_officer)
    assert count_queries(client.get, LIST) == few


@pytest.mark.django_db
def test_nobody_approves_their_own_record(world):
    row = external_record(world.hr_here)
    response = world.client("hr_here").post(reverse("api:external-record-approve", kwargs={"pk": row.pk}))
    assert (response.status_code, response.json()["code"]) == (409, "cannot_decide_own_record")
    assert HoursEntry.objects.count() == 0
