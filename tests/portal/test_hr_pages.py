"""The HR pages: dashboard, transcript, decisions on external records, password resets,
the xlsx export and the annual report."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import authenticate
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from portal.reports import compliance, summary
from tests.portal.test_reports_exam_columns import credential, passed_exam
from tests.training.factories import PersonFactory, UserFactory
from training.models import Attendance, Audience, ExternalRecord, HoursEntry, TrainingSession
from training.roles import HR
from training.services.ledger import credit_hours

YEAR = 2025


def give(person, hours: str, category: str = "general_law"):
    credit_hours(person=person, year=YEAR, category=category, hours=Decimal(hours), source="correction")


def test_the_dashboard_lists_the_subtree_with_hours_pace_and_charts(world):
    give(world.officer, "45.0")

    response = world.client("hr_here").get(reverse("portal:hr-dashboard"), {"year": YEAR})

    html = response.content.decode()
    assert response.status_code == 200
    for name in ("李明", "王芳", "赵敏"):
        assert name in html
    assert "周强" not in html  # elsewhere
    assert "45.0 / 90.0" in html
    assert html.count('<svg class="chart"') == 4
    assert "cdn" not in html.lower()


def test_the_dashboard_filters_by_pace(world):
    give(world.other_officer, "90.0", "other")

    response = world.client("hr_here").get(reverse("portal:hr-dashboard"), {"year": YEAR, "pace": "on_pace"})

    assert [r.person.staff_number for r in response.context["rows"]] == ["W0002"]


def test_the_dashboard_pages_by_25(world):
    for _ in range(26):
        PersonFactory(department=world.here, user=None)

    first = world.client("hr_here").get(reverse("portal:hr-dashboard"), {"year": YEAR})
    second = world.client("hr_here").get(reverse("portal:hr-dashboard"), {"year": YEAR, "page": 2})

    assert (first.context["count"], first.context["pages"]) == (29, 2)
    assert len(first.context["rows"]) == 25
    assert len(second.context["rows"]) == 4
    assert 'rel="next"' in first.content.decode()


def test_a_department_outside_the_scope_is_not_found(world):
    response = world.client("hr_elsewhere").get(reverse("portal:hr-dashboard"), {"department": world.here.pk})

    assert response.status_code == 404


def test_the_dashboard_makes_a_fixed_number_of_queries(world, count_queries):
    client = world.client("hr_here")
    url = reverse("portal:hr-dashboard")
    for _ in range(3):
        PersonFactory(department=world.here, user=None)
    client.get(url, {"year": YEAR})
    with_three = count_queries(client.get, url, {"year": YEAR, "pace": "behind"})
    for _ in range(27):
        give(PersonFactory(department=world.here, user=None, is_enforcement_officer=True), "10.0")
    with_thirty = count_queries(client.get, url, {"year": YEAR, "pace": "behind"})

    assert with_thirty == with_three


def test_the_transcript_shows_progress_and_the_ledger(world):
    give(world.officer, "7.5", "new_laws")

    response = world.client("hr_here").get(reverse("portal:hr-person", args=[world.officer.pk]), {"year": YEAR})

    html = response.content.decode()
    assert response.status_code == 200
    assert "李明 <span" in html
    assert [e.hours for e in response.context["entries"]] == [Decimal("7.5")]
    assert response.context["facts"].rules["enforcement_legal"].earned == Decimal("7.5")


def test_the_transcript_of_someone_outside_the_scope_is_not_found(world):
    response = world.client("hr_elsewhere").get(reverse("portal:hr-person", args=[world.officer.pk]))

    assert response.status_code == 404


def test_a_password_reset_shows_a_one_time_password_once_and_demands_a_change(world):
    url = reverse("portal:hr-person-reset-password", args=[world.officer.pk])

    response = world.client("hr_here").post(url)

    one_time = response.context["one_time"]
    world.officer.refresh_from_db()
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert len(one_time) == 12
    assert one_time in response.content.decode()
    assert authenticate(username="officer", password=one_time) == world.officer.user
    assert world.officer.must_change_password is True
    entry = AuditEntry.objects.get(action="password_reset")
    assert (entry.actor, entry.target_id) == (world.hr_here.user, str(world.officer.user.pk))
    assert one_time not in str(entry.after)


def test_a_password_reset_outside_the_scope_changes_nothing(world):
    url = reverse("portal:hr-person-reset-password", args=[world.officer.pk])

    response = world.client("hr_elsewhere").post(url)

    world.officer.refresh_from_db()
    assert response.status_code == 404
    assert authenticate(username="officer", password="pw-for-tests-1") == world.officer.user
    assert world.officer.must_change_password is False
    assert not AuditEntry.objects.filter(action="password_reset").exists()


@pytest.fixture
def pending(world):
    return ExternalRecord.objects.create(
        person=world.officer,
        title="新修订行政复议法网络专题培训",
        content_category="new_laws",
        hours=Decimal("4.5"),
        completed_on=dt.date(YEAR, 9, 1),
    )


def test_hr_approves_an_external_record_and_it_enters_the_ledger(world, pending):
    url = reverse("portal:hr-external-decide", args=[pending.pk])

    response = world.client("hr_here").post(url, {"decision": "approve"}, format="multipart")

    pending.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:hr-person", args=[world.officer.pk])
    assert pending.status == "approved"
    assert list(HoursEntry.objects.filter(person=world.officer).values_list("year", "hours", "source")) == [
        (YEAR, Decimal("4.5"), "external")
    ]


def test_a_rejection_needs_a_reason_and_changes_nothing_without_one(world, pending):
    url = reverse("portal:hr-external-decide", args=[pending.pk])

    refused = world.client("hr_here").post(url, {"decision": "reject", "reason": " "}, format="multipart")
    pending.refresh_from_db()
    assert refused.status_code == 302
    assert pending.status == "pending"

    world.client("hr_here").post(url, {"decision": "reject", "reason": "证书不清晰"}, format="multipart")
    pending.refresh_from_db()
    assert (pending.status, pending.decision_reason) == ("rejected", "证书不清晰")
    assert not HoursEntry.objects.filter(person=world.officer).exists()


def test_hr_elsewhere_cannot_decide_a_record_of_this_department(world, pending):
    url = reverse("portal:hr-external-decide", args=[pending.pk])

    response = world.client("hr_elsewhere").post(url, {"decision": "approve"}, format="multipart")

    pending.refresh_from_db()
    assert response.status_code == 404
    assert pending.status == "pending"


def test_the_export_is_the_report_s_xlsx(world):
    give(world.officer, "15.0")

    response = world.client("hr_here").get(reverse("portal:hr-export"), {"year": YEAR, "pace": "behind"})

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[0] for r in rows] == ["工号", "W0001", "W0002", "W0003"]
    assert rows[1][5:8] == (15, 90, 2)


def test_the_annual_page_shows_the_figures(world):
    give(world.officer, "90.0")

    response = world.client("admin").get(reverse("portal:hr-annual"), {"year": YEAR})

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["figures"].enforcement_average_days == Decimal("12.0")
    assert "法治政府建设年度报告" in html
    assert "党委中心组集体学法" in html


def test_the_charts_figures_take_a_fixed_number_of_queries(world, count_queries):
    scope = compliance.resolve_scope(world.hr_here.user, None)
    flt = compliance.ComplianceFilter(year=YEAR)
    for _ in range(3):
        give(PersonFactory(department=world.here, user=None), "10.0")
    summary.dashboard_summary(scope, flt)
    with_three = count_queries(summary.dashboard_summary, scope, flt)
    for _ in range(27):
        give(PersonFactory(department=world.here, user=None, is_enforcement_officer=True), "50.0")
    with_thirty = count_queries(summary.dashboard_summary, scope, flt)

    assert with_thirty == with_three


def test_the_charts_count_days_and_credentials_expiring_within_90_days(world):
    give(world.officer, "90.0")
    give(world.other_officer, "30.0")
    credential(world.officer, expires_on=timezone.localdate() + dt.timedelta(days=30))

    response = world.client("hr_here").get(reverse("portal:hr-dashboard"), {"year": YEAR})

    data = response.context["summary"]
    assert data.hours_buckets == [("0–3", 1), ("3–6", 1), ("6–9", 0), ("9–12", 0), ("≥12", 1)]
    assert data.credentials == {"active": 1}
    assert [(c.name, c.number) for c in data.expiring] == [("李明", "XF2025-0001")]
    assert data.expiry_buckets == [("0–30", 1), ("31–60", 0), ("61–90", 0)]
    assert "XF2025-0001" in response.content.decode()


def test_the_transcript_lists_exam_results_and_credentials_without_answers(world):
    passed_exam(world.officer, score="91.00")
    credential(world.officer, expires_on=dt.date(2030, 1, 31))

    response = world.client("hr_here").get(reverse("portal:hr-person", args=[world.officer.pk]), {"year": YEAR})

    html = response.content.decode()
    assert [(a.score, a.passed) for a in response.context["results"]] == [(Decimal("91.00"), True)]
    assert [(c.number, label) for c, label in response.context["credentials"]] == [("XF2025-0001", "有效")]
    assert "2030-01-31" in html
    assert "paper" not in html


def test_the_transcript_lists_the_sessions_attended_in_the_year(world):
    start = timezone.make_aware(dt.datetime(YEAR, 4, 2, 9, 0))
    session = TrainingSession.objects.create(
        title="行政处罚法专题讲座",
        kind="thematic_legal_training",
        content_category="general_law",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        credited_hours=Decimal("3.0"),
        audience=Audience.objects.create(),
        status="held",
    )
    Attendance.objects.create(session=session, person=world.officer, status="attended", credited_hours=Decimal("3.0"))

    response = world.client("hr_here").get(reverse("portal:hr-person", args=[world.officer.pk]), {"year": YEAR})

    assert [(a.session.title, a.credited_hours) for a in response.context["attended"]] == [
        ("行政处罚法专题讲座", Decimal("3.0"))
    ]
    assert "行政处罚法专题讲座" in response.content.decode()


def test_hr_cannot_reset_another_hr_s_password_or_their_own(world):
    colleague = PersonFactory(department=world.here, user=UserFactory(username="hr_colleague", roles=[HR]))
    client = world.client("hr_here")

    other = client.post(reverse("portal:hr-person-reset-password", args=[colleague.pk]))
    own = client.post(reverse("portal:hr-person-reset-password", args=[world.hr_here.pk]))

    colleague.refresh_from_db()
    world.hr_here.refresh_from_db()
    assert other.status_code == 302
    assert own.status_code == 302
    assert authenticate(username="hr_colleague", password="pw-for-tests-1") == colleague.user
    assert authenticate(username="hr_here", password="pw-for-tests-1") == world.hr_here.user
    assert (colleague.must_change_password, world.hr_here.must_change_password) == (False, False)
    assert not AuditEntry.objects.filter(action="password_reset").exists()


def test_an_admin_may_reset_an_hr_password(world):
    response = world.client("admin").post(reverse("portal:hr-person-reset-password", args=[world.hr_here.pk]))

    assert response.status_code == 200
    assert authenticate(username="hr_here", password=response.context["one_time"]) == world.hr_here.user


def test_column_headers_sort_the_table_keeping_the_filters(world):
    give(world.officer, "30.0")
    give(world.other_officer, "60.0")

    response = world.client("hr_here").get(reverse("portal:hr-dashboard"), {"year": YEAR, "category": "civil_servant"})
    resorted = world.client("hr_here").get(
        reverse("portal:hr-dashboard"), {"year": YEAR, "category": "civil_servant", "ordering": "-hours"}
    )

    assert response.context["sort"]["hours"] == "year=2025&category=civil_servant&ordering=-hours"
    assert [r.person.staff_number for r in resorted.context["rows"]] == ["W0002", "W0001", "W0003"]
    assert 'aria-sort="descending"' in resorted.content.decode()
