"""People: the department page, progress endpoints, import checked whole, transfers and leavers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from tests.training.factories import DepartmentFactory, PersonFactory, people_xlsx
from training.errors import PersonInactive
from training.models import Department, Person
from training.selectors import progress
from training.services.ledger import credit_hours
from training.services.people import deactivate_person, transfer_person

D = Decimal


@pytest.mark.django_db
def test_hr_lists_only_people_of_their_scope_with_standing(world):
    credit_hours(person=world.officer, year=2026, category="general_law", hours=D("90"), source="attendance")
    credit_hours(person=world.officer, year=2026, category="other", hours=D("1"), source="attendance")

    response = world.client("hr_here").get(reverse("api:person-list"), {"year": 2026})

    rows = response.json()["results"]
    assert [r["staff_number"] for r in rows] == ["W0001", "W0002", "W0003"]
    officer = rows[0]
    assert officer["progress"]["standing"] == "done"
    assert [(r["code"], r["earned_hours"], r["required_hours"]) for r in officer["progress"]["rules"]] == [
        ("annual", "91.0", "90.0"),
        ("enforcement_legal", "90.0", "60.0"),
    ]


@pytest.mark.django_db
def test_people_list_filters_by_department_subtree_and_search(world):
    sub = DepartmentFactory(parent=world.elsewhere)
    PersonFactory(department=sub, name="孙悟空", staff_number="X9")
    client = world.client("admin")
    assert [
        r["staff_number"]
        for r in client.get(reverse("api:person-list"), {"department": world.elsewhere.pk}).json()["results"]
    ] == ["W0004", "X9"]
    assert [
        r["staff_number"] for r in client.get(reverse("api:person-list"), {"search": "悟空"}).json()["results"]
    ] == ["X9"]


@pytest.mark.django_db
def test_the_department_page_runs_a_fixed_number_of_queries(world, count_queries):
    client = world.client("admin")
    url = reverse("api:person-list") + f"?department={world.elsewhere.pk}&page_size=100"
    client.get(url)
    few = count_queries(client.get, url)
    for i in range(20):
        p = PersonFactory(department=world.elsewhere, is_enforcement_officer=i % 2 == 0)
        credit_hours(person=p, year=2026, category="new_laws", hours=D("3"), source="attendance")
    many = count_queries(client.get, url)
    assert few == many


@pytest.mark.django_db
def test_progress_endpoint_shape(world):
    credit_hours(person=world.officer, year=2026, category="new_laws", hours=D("7.5"), source="attendance", reason="x")
    response = world.client("officer").get(reverse("api:me-progress"), {"year": 2026})
    body = response.json()
    assert body["year"] == 2026
    assert set(body) == {"year", "as_of", "standing", "rules", "entries"}
    annual = body["rules"][0]
    assert set(annual) == {
        "code",
        "name",
        "required_hours",
        "earned_hours",
        "earned_days",
        "remaining_hours",
        "expected_hours",
        "on_pace",
        "by_category",
    }
    assert (annual["earned_hours"], annual["earned_days"], annual["remaining_hours"]) == ("7.5", "1.00", "82.5")
    assert [(e["hours"], e["category"], e["source"]) for e in body["entries"]] == [("7.5", "new_laws", "attendance")]


@pytest.mark.django_db
def test_a_bad_year_is_a_validation_error(world):
    response = world.client("officer").get(reverse("api:me-progress"), {"year": "soon"})
    assert (response.status_code, response.json()["code"]) == (400, "validation_error")


@pytest.mark.django_db
def test_transfer_keeps_the_hours_and_moves_hr_scope(world):
    credit_hours(person=world.officer, year=2026, category="other", hours=D("5"), source="attendance")
    transfer_person(person=world.officer, department=world.elsewhere, actor=world.admin.user)

    assert progress(person=world.officer, year=2026).rules[0].earned_hours == D("5.0")
    assert (
        world.client("hr_elsewhere").get(reverse("api:person-detail", kwargs={"pk": world.officer.pk})).status_code
        == 200
    )
    assert world.client("hr_here").get(reverse("api:person-detail", kwargs={"pk": world.officer.pk})).status_code == 404
    assert AuditEntry.objects.filter(action="training.person.transfer").count() == 1


@pytest.mark.django_db
def test_a_leaver_is_deactivated_once(world):
    deactivate_person(person=world.officer, actor=world.admin.user, left_on=date(2026, 6, 30))
    world.officer.refresh_from_db()
    assert (world.officer.is_active, world.officer.left_on) == (False, date(2026, 6, 30))
    with pytest.raises(PersonInactive):
        deactivate_person(person=world.officer, actor=world.admin.user, left_on=date(2026, 7, 1))
    assert progress(person=world.officer, year=2026).rules[0].required_hours == D("44.5")  # 181/365 × 90 = 44.63


# --- import -----------------------------------------------------------------------


def post_xlsx(client, content: bytes, name="people.xlsx"):
    return client.post(reverse("api:person-import"), {"file": SimpleUploadedFile(name, content)}, format="multipart")


@pytest.mark.django_db
def test_import_creates_departments_and_people_and_transfers_existing_ones(world):
    content = people_xlsx(
        [["NEW", "新设科室", "ROOT"], ["NEW-1", "新设一组", "NEW"]],
        [
            ["N0001", "新人甲", "NEW-1", "公务员", "是", "城市管理", "13900000000", "2026-09-01"],
            ["N0002", "新人乙", "NEW", "auxiliary", "否", "", "", ""],
            ["W0002", "王芳", "NEW-1", "事业人员", "否", "", "", "2015-03-01"],
        ],
    )

    response = post_xlsx(world.client("admin"), content)

    assert (response.status_code, response.json()) == (
        200,
        {"departments_created": 2, "people_created": 2, "people_updated": 1},
    )
    new1 = Department.objects.get(code="NEW-1")
    assert new1.path == f"{world.root.path}{Department.objects.get(code='NEW').pk}/{new1.pk}/"
    jia = Person.objects.get(staff_number="N0001")
    assert (jia.name, jia.category, jia.is_enforcement_officer, jia.joined_on, jia.user.username) == (
        "新人甲",
        "civil_servant",
        True,
        date(2026, 9, 1),
        "n0001",
    )
    assert jia.user.has_usable_password() is False
    moved = Person.objects.get(staff_number="W0002")
    assert (moved.department_id, moved.category) == (new1.pk, "institution_staff")


@pytest.mark.django_db
def test_a_bad_people_file_names_every_bad_row_and_imports_nothing(world):
    before = (Department.objects.count(), Person.objects.count())
    content = people_xlsx(
        [["NEW", "新设科室", "NOWHERE"]],
        [
            ["N0001", "新人甲", "NEW", "公务员", "是", "", "", "2026-09-01"],
            ["", "无工号", "HERE", "公务员", "否", "", "", ""],
            ["N0003", "丙", "GONE", "公务员", "否", "", "", ""],
            ["N0004", "丁", "HERE", "临时工", "否", "", "", ""],
            ["N0005", "戊", "HERE", "公务员", "也许", "", "", "明天"],
            ["N0006", "己", "HERE", "辅助人员", "是", "", "", ""],
            ["N0001", "重复", "HERE", "公务员", "否", "", "", ""],
        ],
    )

    response = post_xlsx(world.client("admin"), content)

    assert (response.status_code, response.json()["code"]) == (400, "import_invalid")
    errors = response.json()["detail"]["errors"]
    assert [(e["sheet"], e["line"]) for e in errors] == [
        ("部门", 2),
        ("人员", 3),
        ("人员", 4),
        ("人员", 5),
        ("人员", 6),
        ("人员", 7),
        ("人员", 8),
    ]
    assert (Department.objects.count(), Person.objects.count()) == before


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content"), [("people.csv", b"a,b"), ("people.xlsx", b"PK-broken")])
def test_an_unreadable_people_file_is_refused(world, name, content):
    response = post_xlsx(world.client("admin"), content, name=name)
    assert (response.status_code, response.json()["code"]) == (400, "import_invalid")
