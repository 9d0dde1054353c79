"""GET /api/v1/reports/compliance/: rows, scope, files, and a fixed number of queries."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from audit.models import AuditEntry
from tests.training.factories import PersonFactory
from training.services.ledger import credit_hours

URL = reverse("api:reports-compliance")
YEAR = 2025  # a past year: expected by today = the whole requirement
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def give(person, hours: str, category: str = "general_law", year: int = YEAR):
    credit_hours(person=person, year=year, category=category, hours=Decimal(hours), source="correction")


def row_for(results, staff_number):
    return next(r for r in results if r["person"]["staff_number"] == staff_number)


def test_a_row_per_person_with_hours_days_and_pace(world):
    # given the officer (an enforcement officer) with 45 legal and 15 other 学时, and the other officer done
    give(world.officer, "45.0", "general_law")
    give(world.officer, "15.0", "other")
    give(world.other_officer, "90.0", "other")

    # when HR of the department asks for the year
    response = world.client("hr_here").get(URL, {"year": YEAR})

    # then each person of the subtree has a row with exact figures
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3  # officer, other officer, HR herself
    officer = row_for(body["results"], "W0001")
    assert officer["person"] == {
        "id": world.officer.pk,
        "name": "李明",
        "staff_number": "W0001",
        "department": {"id": world.here.pk, "name": "综合执法中心"},
        "category": "civil_servant",
        "is_enforcement_officer": True,
    }
    assert officer["rules"]["annual"] == {
        "code": "annual",
        "earned": "60.0",
        "required": "90.0",
        "expected": "90.0",
        "days": "8.0",
        "on_pace": False,
    }
    assert officer["rules"]["enforcement_legal"] == {
        "code": "enforcement_legal",
        "earned": "45.0",
        "required": "60.0",
        "expected": "60.0",
        "days": "6.0",
        "on_pace": False,
    }
    assert officer["on_pace"] is False
    assert officer["last_exam"] is None
    assert officer["credential"] is None
    other = row_for(body["results"], "W0002")
    assert list(other["rules"]) == ["annual"]
    assert other["rules"]["annual"]["days"] == "12.0"
    assert other["on_pace"] is True


def test_the_scope_limits_the_rows_and_a_department_outside_it_is_not_found(world):
    # when HR of "elsewhere" asks for its own scope, then for the officers' department
    mine = world.client("hr_elsewhere").get(URL, {"year": YEAR})
    theirs = world.client("hr_elsewhere").get(URL, {"year": YEAR, "department": world.here.pk})

    # then only its own people, and 404 for the other department
    assert [r["person"]["staff_number"] for r in mine.json()["results"]] == ["W0004"]
    assert theirs.status_code == 404
    assert theirs.json()["code"] == "not_found"


def test_an_admin_may_narrow_to_a_department_subtree(world):
    response = world.client("admin").get(URL, {"year": YEAR, "department": world.here.pk})

    assert [r["person"]["staff_number"] for r in response.json()["results"]] == ["W0001", "W0002", "W0003"]


def test_officers_are_refused_and_anonymous_callers_must_log_in(world, api):
    assert world.client("officer").get(URL).json()["code"] == "permission_denied"
    assert api.get(URL).status_code == 401


def test_filters_by_pace_and_category(world):
    give(world.other_officer, "90.0", "other")

    behind = world.client("admin").get(URL, {"year": YEAR, "pace": "behind", "department": world.here.pk})
    done = world.client("admin").get(URL, {"year": YEAR, "pace": "done"})
    cadres = world.client("admin").get(URL, {"year": YEAR, "category": "leading_cadre"})

    assert [r["person"]["staff_number"] for r in behind.json()["results"]] == ["W0001", "W0003"]
    assert [r["person"]["staff_number"] for r in done.json()["results"]] == ["W0002"]
    assert cadres.json()["count"] == 0


def test_ordering_by_hours_descending_pages_after_sorting(world):
    give(world.officer, "30.0")
    give(world.other_officer, "60.0")

    response = world.client("admin").get(
        URL, {"year": YEAR, "ordering": "-hours", "page_size": 2, "department": world.here.pk}
    )

    body = response.json()
    assert body["count"] == 3
    assert [r["person"]["staff_number"] for r in body["results"]] == ["W0002", "W0001"]
    assert body["next"].endswith("page=2") or "page=2" in body["next"]
    assert body["previous"] is None


def test_a_bad_filter_is_a_validation_error(world):
    response = world.client("admin").get(URL, {"pace": "sideways"})

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_csv_is_streamed_with_the_same_columns(world):
    give(world.officer, "45.0")

    response = world.client("hr_here").get(URL, {"year": YEAR, "export": "csv"})

    assert response.status_code == 200
    assert response.streaming is True
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _csv_rows(response)
    assert rows[0][:9] == [
        "工号",
        "姓名",
        "部门",
        "人员类别",
        "执法人员",
        "年度学时",
        "年度应修学时",
        "年度天数",
        "年度按进度",
    ]
    assert rows[1][:13] == [
        "W0001", "李明", "综合执法中心", "公务员", "是", "45.0", "90.0", "6.0", "否", "45.0", "60.0", "6.0", "否",
    ]  # fmt: skip
    assert [r[0] for r in rows[1:]] == ["W0001", "W0002", "W0003"]


def test_accept_header_chooses_the_file(world):
    as_csv = world.client("hr_here").get(URL, {"year": YEAR}, HTTP_ACCEPT="text/csv")
    as_xlsx = world.client("hr_here").get(URL, {"year": YEAR}, HTTP_ACCEPT=XLSX)

    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert as_xlsx["Content-Type"] == XLSX


def test_xlsx_holds_every_row(world):
    give(world.officer, "7.5", "new_laws")

    response = world.client("hr_here").get(URL, {"year": YEAR, "export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="compliance-2025.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0:2] == ("工号", "姓名")
    assert rows[1][0:13] == ("W0001", "李明", "综合执法中心", "公务员", "是", 7.5, 90, 1, "否", 7.5, 60, 1, "否")
    assert len(rows) == 4


def _people(world, n):
    for i in range(n):
        person = PersonFactory(department=world.here, is_enforcement_officer=bool(i % 2), user=None)
        give(person, "12.5", "specialised_law")


@pytest.mark.parametrize(
    "query", [{}, {"pace": "behind"}, {"ordering": "-hours"}, {"export": "csv"}, {"export": "xlsx"}]
)
def test_a_fixed_number_of_queries_whatever_the_number_of_people(world, count_queries, query):
    client = world.client("hr_here")
    params = {"year": YEAR, **query}

    def fetch():
        response = client.get(URL, params)
        if response.streaming:
            b"".join(response.streaming_content)

    _people(world, 3)
    fetch()  # the year's policy is made on first use
    with_three = count_queries(fetch)
    _people(world, 27)
    with_thirty = count_queries(fetch)

    assert with_thirty == with_three


def test_search_by_name_or_staff_number_and_hours_ascending(world):
    give(world.officer, "30.0")
    give(world.other_officer, "10.0")

    by_name = world.client("admin").get(URL, {"year": YEAR, "search": "王"})
    by_number = world.client("admin").get(URL, {"year": YEAR, "search": "W0001"})
    ascending = world.client("admin").get(URL, {"year": YEAR, "ordering": "hours", "department": world.here.pk})

    assert [r["person"]["staff_number"] for r in by_name.json()["results"]] == ["W0002"]
    assert [r["person"]["staff_number"] for r in by_number.json()["results"]] == ["W0001"]
    assert [r["person"]["staff_number"] for r in ascending.json()["results"]] == ["W0003", "W0002", "W0001"]


def test_an_unknown_department_is_not_found(world):
    response = world.client("admin").get(URL, {"year": YEAR, "department": 999999})

    assert response.status_code == 404


def test_a_file_leaves_an_audit_entry(world):
    world.client("hr_here").get(URL, {"year": YEAR, "export": "xlsx", "department": world.here.pk})
    world.client("hr_here").get(URL, {"year": YEAR})

    entry = AuditEntry.objects.get(action="report_exported")
    assert (entry.actor, entry.target_id) == (world.hr_here.user, "compliance")
    assert entry.after == {"format": "xlsx", "year": 2025, "department": world.here.pk}
