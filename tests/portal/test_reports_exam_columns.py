"""The compliance report's exam and credential columns (one report, one export)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from quizzes.models import Attempt, Credential, CredentialType, ExternalResult, Quiz

URL = reverse("api:reports-compliance")
YEAR = 2025


def passed_exam(person, *, score="82.00", passed=True, finished_at=None):
    quiz = Quiz.objects.create(title="2025年行政执法资格考试", kind="certification")
    finished_at = finished_at or timezone.make_aware(dt.datetime(2025, 6, 3, 10, 0))
    return Attempt.objects.create(
        quiz=quiz,
        person=person,
        status="submitted",
        started_at=finished_at - dt.timedelta(minutes=50),
        deadline=finished_at,
        finished_at=finished_at,
        score=Decimal(score),
        percent=Decimal(score),
        passed=passed,
    )


def credential(person, *, expires_on, status="active", number="XF2025-0001"):
    kind, _ = CredentialType.objects.get_or_create(code="enforcement", defaults={"name": "行政执法证"})
    result = ExternalResult.objects.create(
        person=person, credential_type=kind, passed_on=dt.date(2024, 1, 5), document_ref="省考2024-17"
    )
    return Credential.objects.create(
        number=number,
        holder=person,
        credential_type=kind,
        issued_on=expires_on - dt.timedelta(days=5 * 365),
        expires_on=expires_on,
        status=status,
        external_result=result,
    )


def test_the_row_carries_the_last_exam_and_the_credential(world):
    today = timezone.localdate()
    passed_exam(world.officer)
    credential(world.officer, expires_on=today + dt.timedelta(days=60))

    response = world.client("hr_here").get(URL, {"year": YEAR})

    officer = next(r for r in response.json()["results"] if r["person"]["staff_number"] == "W0001")
    assert officer["last_exam"] == {
        "quiz": "2025年行政执法资格考试",
        "finished_at": "2025-06-03T10:00:00+08:00",
        "score": "82.00",
        "passed": True,
    }
    assert officer["credential"] == {
        "number": "XF2025-0001",
        "status": "active",
        "expires_on": (today + dt.timedelta(days=60)).isoformat(),
    }


def test_an_expired_credential_reads_as_expired(world):
    credential(world.officer, expires_on=timezone.localdate() - dt.timedelta(days=1))

    response = world.client("hr_here").get(URL, {"year": YEAR, "credential": "expired"})

    assert [r["credential"]["status"] for r in response.json()["results"]] == ["expired"]


def test_filter_by_credential_expiring_within_90_days_and_without_credential(world):
    today = timezone.localdate()
    credential(world.officer, expires_on=today + dt.timedelta(days=89))
    credential(world.other_officer, expires_on=today + dt.timedelta(days=400), number="XF2025-0002")

    expiring = world.client("hr_here").get(URL, {"year": YEAR, "credential": "expiring"})
    without = world.client("hr_here").get(URL, {"year": YEAR, "credential": "none"})

    assert [r["person"]["staff_number"] for r in expiring.json()["results"]] == ["W0001"]
    assert [r["person"]["staff_number"] for r in without.json()["results"]] == ["W0003"]


def test_the_csv_has_the_exam_and_credential_columns(world):
    passed_exam(world.officer, score="55.00", passed=False)
    credential(world.officer, expires_on=dt.date(2030, 5, 31))

    response = world.client("hr_here").get(URL, {"year": YEAR, "export": "csv"})

    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][13:] == ["最近考试", "考试日期", "考试成绩", "考试结果", "执法证号", "执法证状态", "执法证有效期至"]
    assert rows[1][13:] == [
        "2025年行政执法资格考试",
        "2025-06-03",
        "55.00",
        "未通过",
        "XF2025-0001",
        "有效",
        "2030-05-31",
    ]
