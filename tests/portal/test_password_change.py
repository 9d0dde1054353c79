"""The first-login password change: every page waits for it; the change ends the old tokens."""

import pytest
from django.urls import reverse
from knox.models import AuthToken

from audit.models import AuditEntry
from training.accounts import reset_password


@pytest.fixture
def must_change(world):
    world.officer.must_change_password = True
    world.officer.save(update_fields=["must_change_password"])
    return world


def test_pages_redirect_to_the_password_change_until_it_is_done(must_change):
    # given an officer who must change the first password
    client = must_change.client("officer")

    # when they open any page
    response = client.get(reverse("portal:record"))

    # then they are sent to the password change
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:password-change")


def test_the_api_and_the_public_page_are_not_redirected(must_change):
    client = must_change.client("officer")

    response = client.get("/api/v1/me/")

    assert response.status_code == 200


def test_changing_the_password_lifts_the_demand_and_ends_other_tokens(must_change):
    # given an officer with a device token who must change the password
    client = must_change.client("officer")
    assert AuthToken.objects.filter(user=must_change.officer.user).count() == 1

    # when they change it
    response = client.post(
        reverse("portal:password-change"),
        {"old_password": "pw-for-tests-1", "new_password1": "Xuefa-new-2026", "new_password2": "Xuefa-new-2026"},
        format="multipart",
    )

    # then they land home, the flag is off, the password is new, other tokens ended, an audit entry says so
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    must_change.officer.refresh_from_db()
    must_change.officer.user.refresh_from_db()
    assert must_change.officer.must_change_password is False
    assert must_change.officer.user.check_password("Xuefa-new-2026") is True
    assert AuthToken.objects.filter(user=must_change.officer.user).count() == 0
    entry = AuditEntry.objects.get(action="password_changed")
    assert entry.after == {"tokens_ended": 1}
    assert "Xuefa-new-2026" not in str(entry.after)
    assert client.get(reverse("portal:record")).status_code == 200


def test_a_wrong_current_password_changes_nothing(must_change):
    client = must_change.client("officer")

    response = client.post(
        reverse("portal:password-change"),
        {"old_password": "wrong", "new_password1": "Xuefa-new-2026", "new_password2": "Xuefa-new-2026"},
        format="multipart",
    )

    assert response.status_code == 200
    must_change.officer.refresh_from_db()
    must_change.officer.user.refresh_from_db()
    assert must_change.officer.must_change_password is True
    assert must_change.officer.user.check_password("pw-for-tests-1") is True
    assert AuditEntry.objects.filter(action="password_changed").count() == 0


def test_a_weak_new_password_is_refused(must_change):
    client = must_change.client("officer")

    response = client.post(
        reverse("portal:password-change"),
        {"old_password": "pw-for-tests-1", "new_password1": "12345678", "new_password2": "12345678"},
        format="multipart",
    )

    assert response.status_code == 200
    must_change.officer.refresh_from_db()
    assert must_change.officer.must_change_password is True


def test_a_password_reset_by_hr_forces_a_change_at_the_next_login(world, client):
    one_time = reset_password(person=world.officer, actor=world.hr_here.user)

    logged_in = client.post(reverse("portal:login"), {"username": "officer", "password": one_time}, follow=True)

    assert logged_in.redirect_chain[-1] == (reverse("portal:password-change"), 302)
    assert "首次登录或密码被重置后，请先设置您自己的密码。" in logged_in.content.decode()
