"""GET /api/v1/reports/annual/: the figures of the annual 法治政府建设 report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from tests.portal.test_reports_exam_columns import credential, passed_exam
from tests.training.factories import PersonFactory
from training.models import Audience, TrainingSession
from training.services.ledger import credit_hours

URL = reverse("api:reports-annual")
YEAR = 2025


def held(kind: str, month: int):
    start = timezone.make_aware(dt.datetime(YEAR, month, 10, 9, 0))
    return TrainingSession.objects.create(
        title=f"{kind} {month}",
        kind=kind,
        content_category="general_law",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        credited_hours=Decimal("3.0"),
        audience=Audience.objects.create(),
        status="held",
    )


def test_the_year_s_figures(world):
    # given 3 central-group studies and 6 thematic trainings held, and two enforcement officers
    for month in (1, 2, 3):
        held("central_group_study", month)
    for month in range(1, 7):
        held("thematic_legal_training", month)
    second = PersonFactory(department=world.here, is_enforcement_officer=True, user=None)
    credit_hours(person=world.officer, year=YEAR, category="general_law", hours=Decimal("90.0"), source="correction")
    credit_hours(person=second, year=YEAR, category="other", hours=Decimal("45.0"), source="correction")
    credit_hours(person=world.other_officer, year=YEAR, category="other", hours=Decimal("90.0"), source="correction")
    passed_exam(world.officer)
    passed_exam(second, score="40.00", passed=False)
    credential(world.officer, expires_on=dt.date(2030, 6, 1))

    # when the admin asks for the year
    body = world.client("admin").get(URL, {"year": YEAR}).json()

    # then studies 3 of 8, trainings 6 of 6, officers average (90 + 45) / 2 / 7.5 = 9.0 days of 12
    assert body["studies_held"] == 3
    assert body["studies_target"] == 8
    assert body["studies_met"] is False
    assert body["trainings_held"] == 6
    assert body["trainings_target"] == 6
    assert body["trainings_met"] is True
    assert body["enforcement_officers"] == 2
    assert body["enforcement_average_days"] == "9.0"
    assert body["enforcement_days_target"] == "12.0"
    assert body["enforcement_met"] is False
    certification = next(e for e in body["exams"] if e["kind"] == "certification")
    assert certification == {
        "kind": "certification",
        "label": certification["label"],
        "attempts": 2,
        "passed": 1,
        "people": 2,
        "pass_rate": "50.0",
    }
    assert body["credentials"] == {"granted": 0, "suspended": 0, "revoked": 0}


def test_officers_are_refused(world, api):
    assert world.client("officer").get(URL).status_code == 403
    assert api.get(URL).status_code == 401


def test_hr_sees_the_enforcement_average_of_their_own_subtree(world):
    credit_hours(person=world.officer, year=YEAR, category="general_law", hours=Decimal("30.0"), source="correction")

    here = world.client("hr_here").get(URL, {"year": YEAR}).json()
    elsewhere = world.client("hr_elsewhere").get(URL, {"year": YEAR}).json()

    assert (here["enforcement_officers"], here["enforcement_average_days"]) == (1, "4.0")
    assert (elsewhere["enforcement_officers"], elsewhere["enforcement_average_days"]) == (0, "0.0")
