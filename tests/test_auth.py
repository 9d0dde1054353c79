"""Token login per device, logout of one device or all, lockout after failures."""

from __future__ import annotations

import pytest
from knox.models import AuthToken

from audit.models import AuditEntry
from tests.training.factories import PersonFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def officer():
    return PersonFactory(user__username="li.ming", user__password="correct-horse-9")


def login(api, username="li.ming", password="correct-horse-9"):
    return api.post(TOKEN_URL, {"username": username, "password": password}, format="json")


def test_login_returns_a_token_and_its_expiry(api, officer):
    response = login(api)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expiry"}
    assert len(body["token"]) == 64
    assert AuthToken.objects.filter(user=officer.user).count() == 1


def test_each_device_gets_its_own_token(api, officer):
    first = login(api).json()["token"]
    second = login(api).json()["token"]
    assert first != second
    assert AuthToken.objects.filter(user=officer.user).count() == 2


def test_a_token_authenticates_me(api, officer):
    token = login(api).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["username"] == "li.ming"


def test_logout_ends_only_this_devices_token(api, officer):
    phone = login(api).json()["token"]
    tablet = login(api).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {phone}")
    assert api.post("/api/v1/auth/logout/").status_code == 204
    assert api.get("/api/v1/me/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Token {tablet}")
    assert api.get("/api/v1/me/").status_code == 200
    assert AuthToken.objects.filter(user=officer.user).count() == 1


def test_logout_all_ends_every_token(api, officer):
    phone = login(api).json()["token"]
    tablet = login(api).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {phone}")
    assert api.post("/api/v1/auth/logout-all/").status_code == 204
    api.credentials(HTTP_AUTHORIZATION=f"Token {tablet}")
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert AuthToken.objects.filter(user=officer.user).count() == 0


def test_wrong_password_is_401_and_audited_without_the_password(api, officer):
    response = login(api, password="wrong-password-1")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    entry = AuditEntry.objects.get(action="login_failed")
    assert entry.target_id == "li.ming"
    assert entry.after == {"failures": 1}
    assert "wrong-password-1" not in str(entry.before) + str(entry.after) + entry.reason
    assert AuthToken.objects.count() == 0


def test_five_failures_lock_the_account_even_for_the_right_password(api, officer, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    for _ in range(5):
        assert login(api, password="nope-nope-1").status_code == 401
    response = login(api)
    assert response.status_code == 429
    assert response.json()["code"] == "login_locked"
    assert response["Retry-After"] == str(settings.LOGIN_FAILURE_WINDOW)
    assert AuthToken.objects.count() == 0
    assert AuditEntry.objects.filter(action="login_failed").count() == 5


def test_a_success_resets_the_failure_count(api, officer, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    login(api, password="nope-nope-1")
    login(api, password="nope-nope-1")
    assert login(api).status_code == 200
    login(api, password="nope-nope-1")
    login(api, password="nope-nope-1")
    assert login(api).status_code == 200


def test_an_inactive_user_cannot_log_in(api, officer):
    officer.user.is_active = False
    officer.user.save(update_fields=["is_active"])
    assert login(api).status_code == 401


def test_a_garbage_token_is_401_not_500(api, officer):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token-çç")
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_web_login_uses_the_same_lockout(client, officer, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):
        client.post("/accounts/login/", {"username": "li.ming", "password": "bad-bad-1"})
    response = client.post("/accounts/login/", {"username": "li.ming", "password": "correct-horse-9"})
    assert response.status_code == 200  # the form again, with the lockout message
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="login_failed").count() == 2


def test_web_login_with_good_credentials_starts_a_session(client, officer):
    response = client.post("/accounts/login/", {"username": "li.ming", "password": "correct-horse-9"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.user.pk)


def test_an_expired_token_is_refused_and_removed_at_the_next_login(api, officer):
    from datetime import timedelta

    from django.utils import timezone

    token = login(api).json()["token"]
    AuthToken.objects.filter(user=officer.user).update(expiry=timezone.now() - timedelta(seconds=1))
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").status_code == 401
    assert AuthToken.objects.filter(user=officer.user).count() == 0


def test_a_token_of_a_deactivated_user_is_refused(api, officer):
    token = login(api).json()["token"]
    officer.user.is_active = False
    officer.user.save(update_fields=["is_active"])
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_token_with_the_right_key_but_wrong_rest_is_refused(api, officer):
    token = login(api).json()["token"]
    forged = token[:15] + ("0" if token[15] != "0" else "1") + token[16:]
    api.credentials(HTTP_AUTHORIZATION=f"Token {forged}")
    assert api.get("/api/v1/me/").status_code == 401
