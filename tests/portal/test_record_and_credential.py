"""My record, the external record form, the transcript, my credential and the public page."""

import datetime as dt
from decimal import Decimal

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.portal.factories import granted_credential
from training.models import ExternalRecord, TrainingPolicy

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_submitting_an_external_record_with_a_photo(world):
    client = world.client("officer")

    response = client.post(
        reverse("portal:external-new"),
        {
            "title": "省司法厅执法培训班",
            "provider": "省司法厅",
            "content_category": "specialised_law",
            "hours": "6.0",
            "completed_on": "2026-03-02",
            "evidence": SimpleUploadedFile("cert.png", PNG, content_type="image/png"),
        },
        format="multipart",
    )

    assert response.status_code == 302
    row = ExternalRecord.objects.get(person=world.officer)
    assert (row.title, row.hours, row.status, row.evidence_type) == (
        "省司法厅执法培训班",
        Decimal("6.0"),
        "pending",
        "image/png",
    )
    assert "省司法厅执法培训班" in client.get(reverse("portal:record")).content.decode()


def test_an_evidence_file_that_is_not_an_image_or_pdf_is_refused(world):
    client = world.client("officer")

    response = client.post(
        reverse("portal:external-new"),
        {
            "title": "培训",
            "content_category": "general_law",
            "hours": "2.0",
            "completed_on": "2026-03-02",
            "evidence": SimpleUploadedFile("cert.png", b"MZ not an image", content_type="image/png"),
        },
        format="multipart",
    )

    assert response.status_code == 200
    assert "证明材料须为图片或 PDF" in response.content.decode()
    assert ExternalRecord.objects.count() == 0


def test_the_transcript_is_printable(world):
    html = world.client("officer").get(reverse("portal:transcript")).content.decode()

    assert "李明" in html
    assert "W0001" in html
    assert "window.print()" in html


def test_my_credential_shows_number_status_and_a_qr_code_of_the_public_page(world):
    credential = granted_credential(world.officer)

    html = world.client("officer").get(reverse("portal:credential")).content.decode()

    assert credential.number in html
    assert 'id="credential-status">有效' in html
    assert "<svg" in html
    assert f"/verify/{credential.public_token}/" in html


def test_the_public_page_shows_only_the_public_facts(world, api):
    credential = granted_credential(world.officer)

    by_token = api.get(reverse("portal:verify", kwargs={"key": str(credential.public_token)}))
    by_number = api.get(reverse("portal:verify", kwargs={"key": credential.number}))

    html = by_token.content.decode()
    assert by_token.status_code == 200
    assert by_number.status_code == 200
    assert credential.number in html
    assert "李明" in html
    assert "W0001" not in html  # no staff number
    assert "综合执法中心" not in html  # no department


def test_the_public_page_computes_expiry(world, api):
    credential = granted_credential(world.officer)

    with time_machine.travel(dt.datetime.combine(credential.expires_on, dt.time(12)) + dt.timedelta(days=2)):
        html = api.get(reverse("portal:verify", kwargs={"key": credential.number})).content.decode()

    assert 'id="credential-status">已过期' in html


def test_an_unknown_credential_is_not_found(db, api):
    response = api.get(reverse("portal:verify", kwargs={"key": "JH-0000"}))

    assert response.status_code == 404
    assert "未找到该证件" in response.content.decode()


def test_the_public_page_is_throttled_per_client(db, api):
    url = reverse("portal:verify", kwargs={"key": "JH-0000"})

    statuses = [api.get(url).status_code for _ in range(61)]

    assert statuses[:60] == [404] * 60
    assert statuses[60] == 429


def test_an_absurd_year_falls_back_to_this_year(world):
    response = world.client("officer").get(reverse("portal:transcript"), {"year": "99999"})

    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year
    assert not TrainingPolicy.objects.filter(year=99999).exists()
