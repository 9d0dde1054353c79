"""Attendance edits and bulk import: statuses, reasons, the ledger kept in step, a bad file changes nothing."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from tests.training.factories import PersonFactory, make_session
from training.models import Attendance, HoursEntry, PersonYearHours

SH = ZoneInfo("Asia/Shanghai")
D = Decimal


def edit_url(session, person):
    return reverse("api:session-attendance-detail", kwargs={"pk": session.pk, "person_id": person.pk})


def ledger():
    return list(HoursEntry.objects.order_by("id").values_list("year", "hours", "source"))


@pytest.mark.django_db
def test_admin_marks_attended_then_corrects_the_hours_with_a_reason(world):
    session = make_session(departments=[world.here], credited_hours="3")
    client = world.client("admin")

    first = client.patch(edit_url(session, world.officer), {"status": "attended"})
    second = client.patch(edit_url(session, world.officer), {"credited_hours": "1.5", "reason": "迟到一个半小时"})

    assert (first.status_code, first.json()["credited_hours"]) == (200, "3.0")
    assert (second.status_code, second.json()["credited_hours"], second.json()["reason"]) == (
        200,
        "1.5",
        "迟到一个半小时",
    )
    year = session.starts_at.astimezone(SH).year
    assert ledger() == [(year, D("3.0"), "attendance"), (year, D("-1.5"), "correction")]
    assert PersonYearHours.objects.get(person=world.officer, year=year).total == D("1.5")
    assert AuditEntry.objects.filter(action="training.attendance.edit").count() == 2


@pytest.mark.django_db
def test_changing_hours_without_a_reason_is_refused_and_nothing_changes(world):
    session = make_session(departments=[world.here], credited_hours="3")
    client = world.client("admin")
    client.patch(edit_url(session, world.officer), {"status": "attended"})

    response = client.patch(edit_url(session, world.officer), {"credited_hours": "2"})

    assert (response.status_code, response.json()["code"]) == (400, "reason_required")
    assert Attendance.objects.get().credited_hours == D("3.0")
    assert len(ledger()) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"status": "excused"}, "reason_required"),
        ({"status": "attended", "credited_hours": "-2", "reason": "x"}, "hours_invalid"),
        ({"status": "attended", "credited_hours": "999", "reason": "x"}, "hours_invalid"),
        ({"status": "absent", "credited_hours": "2", "reason": "x"}, "hours_invalid"),
        ({"status": "late"}, "validation_error"),
    ],
)
def test_bad_attendance_edits_are_refused(world, data, code):
    session = make_session(departments=[world.here])
    response = world.client("admin").patch(edit_url(session, world.officer), data)
    assert (response.status_code, response.json()["code"]) == (400, code)
    assert HoursEntry.objects.count() == 0
    assert Attendance.objects.filter(status="attended").count() == 0


@pytest.mark.django_db
def test_attended_then_absent_reverses_the_credit(world):
    session = make_session(departments=[world.here], credited_hours="2")
    client = world.client("admin")
    client.patch(edit_url(session, world.officer), {"status": "attended"})
    client.patch(edit_url(session, world.officer), {"status": "absent", "reason": "签到后离开"})
    year = session.starts_at.astimezone(SH).year
    assert ledger() == [(year, D("2.0"), "attendance"), (year, D("-2.0"), "correction")]
    assert PersonYearHours.objects.get(person=world.officer).total == D("0.0")


@pytest.mark.django_db
def test_a_session_across_new_year_credits_both_years(world):
    session = make_session(
        departments=[world.here],
        starts_at=datetime(2026, 12, 31, 18, tzinfo=SH),
        ends_at=datetime(2027, 1, 1, 2, tzinfo=SH),
        credited_hours="7.5",
    )
    world.client("admin").patch(edit_url(session, world.officer), {"status": "attended"})
    assert ledger() == [(2026, D("5.5"), "attendance"), (2027, D("2.0"), "attendance")]
    world.client("admin").patch(edit_url(session, world.officer), {"credited_hours": "4", "reason": "半程"})
    # 6 of 8 hours: 3.0 to 2026, 1.0 to 2027 → corrections of -2.5 and -1.0
    assert ledger()[2:] == [(2026, D("-2.5"), "correction"), (2027, D("-1.0"), "correction")]
    assert dict(PersonYearHours.objects.values_list("year", "total")) == {2026: D("3.0"), 2027: D("1.0")}


@pytest.mark.django_db
def test_attendance_list_runs_a_fixed_number_of_queries(world, count_queries):
    session = make_session(departments=[world.here])
    client = world.client("hr_here")
    url = reverse("api:session-attendance", kwargs={"pk": session.pk})
    for _ in range(2):
        Attendance.objects.create(session=session, person=PersonFactory(department=world.here))
    client.get(url)
    few = count_queries(client.get, url)
    for _ in range(18):
        Attendance.objects.create(session=session, person=PersonFactory(department=world.here))
    many = count_queries(client.get, url)
    assert few == many
    assert client.get(url).json()["count"] == 20


# --- import -------------------------------------------------------------------------


def upload(client, session, name, content: bytes):
    return client.post(
        reverse("api:session-attendance-import", kwargs={"pk": session.pk}),
        {"file": SimpleUploadedFile(name, content)},
        format="multipart",
    )


@pytest.mark.django_db
def test_import_csv_applies_every_row(world):
    session = make_session(departments=[world.here], credited_hours="3")
    csv_text = "工号,状态,学时,原因\nW0001,出勤,,\nW0002,请假,,出差\nW0003,出勤,2,早退一小时\n"

    response = upload(world.client("admin"), session, "att.csv", ("\ufeff" + csv_text).encode())

    assert (response.status_code, response.json()) == (200, {"updated": 3})
    rows = dict(Attendance.objects.values_list("person__staff_number", "status"))
    assert rows == {"W0001": "attended", "W0002": "excused", "W0003": "attended"}
    assert dict(Attendance.objects.values_list("person__staff_number", "credited_hours")) == {
        "W0001": D("3.0"),
        "W0002": D("0.0"),
        "W0003": D("2.0"),
    }


@pytest.mark.django_db
def test_import_xlsx(world):
    from openpyxl import Workbook

    session = make_session(departments=[world.here], credited_hours="3")
    book = Workbook()
    book.active.append(["工号", "状态", "学时", "原因"])
    book.active.append(["W0001", "缺勤", None, None])
    out = io.BytesIO()
    book.save(out)
    response = upload(world.client("admin"), session, "att.xlsx", out.getvalue())
    assert (response.status_code, response.json()) == (200, {"updated": 1})


@pytest.mark.django_db
def test_a_bad_import_names_every_bad_row_and_imports_nothing(world):
    session = make_session(departments=[world.here], credited_hours="3")
    csv_text = (
        "工号,状态,学时,原因\nW0001,出勤,,\nNOPE,出勤,,\nW0002,迟到,,\nW0003,请假,,\nW0005,出勤,-3,x\nW0001,缺勤,,\n"
    )

    response = upload(world.client("admin"), session, "att.csv", csv_text.encode())

    assert (response.status_code, response.json()["code"]) == (400, "import_invalid")
    assert [e["line"] for e in response.json()["detail"]["errors"]] == [3, 4, 5, 6, 7]
    assert Attendance.objects.count() == 0
    assert HoursEntry.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [("att.txt", b"hello"), ("att.xlsx", b"not a zip"), ("att.csv", "工号\n".encode()), ("att.csv", b"\xff\xfe")],
)
def test_unreadable_import_files_are_refused(world, name, content):
    session = make_session(departments=[world.here])
    response = upload(world.client("admin"), session, name, content)
    assert (response.status_code, response.json()["code"]) == (400, "import_invalid")
    assert Attendance.objects.count() == 0


@pytest.mark.django_db
def test_changing_a_sessions_hours_recredits_attendees_on_the_default(world):
    session = make_session(departments=[world.here], credited_hours="3")
    admin = world.client("admin")
    admin.patch(edit_url(session, world.officer), {"status": "attended"})
    admin.patch(edit_url(session, world.other_officer), {"status": "attended", "credited_hours": "1", "reason": "早退"})

    response = admin.patch(reverse("api:session-detail", kwargs={"pk": session.pk}), {"credited_hours": "2"})

    assert response.status_code == 200
    assert dict(Attendance.objects.values_list("person__staff_number", "credited_hours")) == {
        "W0001": D("2.0"),
        "W0002": D("1.0"),
    }
    assert dict(PersonYearHours.objects.values_list("person__staff_number", "total")) == {
        "W0001": D("2.0"),
        "W0002": D("1.0"),
    }
    assert [h for _, h, _ in ledger()] == [D("3.0"), D("1.0"), D("-1.0")]


@pytest.mark.django_db
def test_changing_a_sessions_category_moves_the_hours(world):
    session = make_session(departments=[world.here], credited_hours="3", content_category="other")
    admin = world.client("admin")
    admin.patch(edit_url(session, world.officer), {"status": "attended"})

    admin.patch(reverse("api:session-detail", kwargs={"pk": session.pk}), {"content_category": "new_laws"})

    hours = PersonYearHours.objects.get(person=world.officer)
    assert (hours.other, hours.new_laws, hours.total) == (D("0.0"), D("3.0"), D("3.0"))
    # a later change of hours now works in the new category
    admin.patch(reverse("api:session-detail", kwargs={"pk": session.pk}), {"credited_hours": "2"})
    hours.refresh_from_db()
    assert (hours.other, hours.new_laws, hours.total) == (D("0.0"), D("2.0"), D("2.0"))
