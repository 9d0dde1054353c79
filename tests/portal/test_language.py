"""Chinese by default, English when chosen."""

from django.conf import settings
from django.urls import reverse


def test_pages_are_chinese_by_default(world):
    html = world.client("officer").get(reverse("portal:home")).content.decode()

    assert '<html lang="zh-Hans">' in html
    assert "近期培训" in html


def test_english_is_chosen_with_the_language_switch(world):
    client = world.client("officer")

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, format="multipart")
    html = client.get(reverse("portal:home")).content.decode()

    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in html
    assert "Upcoming sessions" in html
    assert "近期培训" not in html
