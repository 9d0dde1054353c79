"""Chinese unless the person chose English: the browser's Accept-Language does not decide."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_english_browser_still_gets_chinese(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-Hans">' in response.content.decode()


def test_the_language_cookie_chooses_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()


def test_an_unknown_language_cookie_falls_back_to_chinese(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert client.get("/accounts/login/")["Content-Language"] == "zh-hans"


def test_api_errors_follow_the_same_rule(api):
    response = api.post("/api/v1/auth/token/", {"username": "x"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["detail"] == {"password": ["该字段是必填项。"]}


def test_passed_and_approve_are_different_words_in_english():
    from django.utils import translation

    with translation.override("en"):
        assert translation.gettext("通过") == "Passed"
        assert translation.pgettext("decision", "通过") == "Approve"
