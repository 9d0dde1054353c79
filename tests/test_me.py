"""GET /api/v1/me/ for each role and for an anonymous caller."""

import pytest

pytestmark = pytest.mark.django_db


def test_anonymous_gets_401_in_the_envelope(api):
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json() == {
        "code": "not_authenticated",
        "message": "Authentication credentials were not provided or are invalid.",
        "detail": None,
    }
    assert response["WWW-Authenticate"] == "Token"


def test_officer_sees_their_person(world):
    response = world.client("officer").get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json() == {
        "id": world.officer.user.pk,
        "username": "officer",
        "roles": ["officer"],
        "person": {
            "id": world.officer.pk,
            "name": "李明",
            "staff_number": "W0001",
            "department": {"id": world.here.pk, "name": "综合执法中心"},
            "category": "civil_servant",
            "is_enforcement_officer": True,
        },
        "scope_department_id": None,
    }


def test_hr_has_officer_and_hr_roles_and_a_scope(world):
    body = world.client("hr_here").get("/api/v1/me/").json()
    assert body["roles"] == ["officer", "hr"]
    assert body["scope_department_id"] == world.here.pk


def test_admin_without_scope_sees_the_whole_organisation(world):
    body = world.client("admin").get("/api/v1/me/").json()
    assert body["roles"] == ["officer", "admin"]
    assert body["scope_department_id"] is None


def test_superuser_without_a_person_is_admin(api, django_user_model):
    user = django_user_model.objects.create_superuser("root-user", password="pw-1234567")
    api.force_authenticate(user)
    body = api.get("/api/v1/me/").json()
    assert body["roles"] == ["admin"]
    assert body["person"] is None


def test_me_takes_a_fixed_number_of_queries(world, count_queries):
    client = world.client("hr_here")
    assert count_queries(client.get, "/api/v1/me/") == count_queries(client.get, "/api/v1/me/")
