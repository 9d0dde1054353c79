"""An admin limited to a department subtree sees only its rows in the Django admin too."""

import pytest

from tests.training.factories import PersonFactory

pytestmark = pytest.mark.django_db


def names_listed(client, url, people):
    html = client.get(url).content.decode()
    return sorted(p.staff_number for p in people if p.staff_number in html)


def test_a_scoped_admin_lists_only_people_of_the_subtree(world, scoped_admin_client):
    outsider = PersonFactory(staff_number="X0009", department=world.elsewhere)
    client = scoped_admin_client(scope=world.here)
    everyone = [world.officer, world.other_officer, world.hr_here, world.hr_elsewhere, outsider]
    assert names_listed(client, "/admin/training/person/", everyone) == ["W0001", "W0002", "W0003"]


def test_a_scoped_admin_cannot_open_someone_elsewhere(world, scoped_admin_client):
    outsider = PersonFactory(staff_number="X0009", department=world.elsewhere)
    client = scoped_admin_client(scope=world.here)
    response = client.get(f"/admin/training/person/{outsider.pk}/change/")
    assert response.status_code == 302  # the admin answers "does not exist" and goes back to its index
    assert response["Location"] == "/admin/"


def test_an_unscoped_admin_lists_everyone(world, scoped_admin_client):
    outsider = PersonFactory(staff_number="X0009", department=world.elsewhere)
    client = scoped_admin_client(scope=None)
    everyone = [world.officer, world.other_officer, world.hr_here, world.hr_elsewhere, outsider]
    assert names_listed(client, "/admin/training/person/", everyone) == ["W0001", "W0002", "W0003", "W0004", "X0009"]


def test_a_scoped_admin_sees_departments_of_the_subtree_only(world, scoped_admin_client):
    client = scoped_admin_client(scope=world.here)
    html = client.get("/admin/training/department/").content.decode()
    assert "综合执法中心" in html
    assert "市场监管所" not in html
