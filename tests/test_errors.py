"""The error envelope, its status codes, and the request id on every response."""

import pytest

pytestmark = pytest.mark.django_db


def test_validation_error_names_the_fields(api):
    response = api.post("/api/v1/auth/token/", {"username": "x"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "code": "validation_error",
        "message": "The request is invalid.",
        "detail": {"password": ["该字段是必填项。"]},  # Chinese is the default language
    }


def test_malformed_json_is_a_400_parse_error_not_a_500(api):
    response = api.generic("POST", "/api/v1/auth/token/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_wrong_method_is_405_in_the_envelope(world):
    response = world.client("officer").delete("/api/v1/me/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_unknown_api_path_is_a_json_404(api):
    response = api.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found.", "detail": None}


def test_every_response_carries_a_request_id(api, client):
    for response in (api.get("/api/v1/me/"), api.get("/api/v1/nothing/"), client.get("/healthz"), client.get("/")):
        assert len(response["X-Request-ID"]) == 32


def test_a_sane_incoming_request_id_is_kept_and_a_hostile_one_replaced(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc-123-def").headers["X-Request-ID"] == "abc-123-def"
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="x\r\nSet-Cookie: a=b").headers["X-Request-ID"]
    assert replaced != "x\r\nSet-Cookie: a=b"
    assert len(replaced) == 32


def test_the_request_id_reaches_the_audit_entry(api):
    from audit.models import AuditEntry

    api.post(
        "/api/v1/auth/token/",
        {"username": "ghost", "password": "nope-1"},
        format="json",
        HTTP_X_REQUEST_ID="req-00000001",
    )
    assert AuditEntry.objects.get(action="login_failed").request_id == "req-00000001"


def test_anonymous_is_refused_outside_the_allow_list(api):
    assert api.get("/api/v1/me/").status_code == 401
    assert api.get("/api/schema/").status_code == 200
    assert api.get("/healthz").status_code == 200


def test_a_nul_in_the_query_string_is_a_400_not_a_500(world):
    response = world.client("admin").get("/api/v1/questions/export/?format=gift&type=R-%00x")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


def test_a_nul_in_a_json_body_is_a_400(world):
    response = world.client("officer").generic(
        "POST", "/api/v1/auth/token/", '{"username": "a\\u0000b", "password": "x"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


def test_search_and_ordering_on_a_list_built_in_python_are_ignored_not_a_500(world):
    response = world.client("officer").get("/api/v1/quizzes/?search=abc&ordering=-nothing")
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_an_absurd_year_for_statistics_is_a_400(world):
    response = world.client("admin").get("/api/v1/statistics/legal-areas/?year=399455528257191552")
    assert response.status_code == 400
    assert list(response.json()["detail"]) == ["year"]
