"""Logging in on a phone, with the first-login password change."""

import pytest

from tests.training.factories import DepartmentFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_login_forces_a_password_change(live_server, phone, shoot, axe):
    # given an officer whose account was just created
    person = PersonFactory(
        name="李明", user__username="liming", must_change_password=True, department=DepartmentFactory()
    )
    page = phone.new_page()

    # when they log in
    page.goto("/")
    page.get_by_label("用户名").fill("liming")
    page.get_by_label("密码").fill("pw-for-tests-1")
    shoot(page, "00-login")
    axe(page, "login")
    page.get_by_role("button", name="登录").click()

    # then every page sends them to the password change until it is done
    page.wait_for_url("**/account/password/")
    shoot(page, "01-password-change")
    axe(page, "password change")
    page.goto("/record/")
    assert page.url.endswith("/account/password/")
    page.get_by_label("当前密码").fill("pw-for-tests-1")
    page.get_by_label("新密码", exact=True).fill("Xuefa-new-2026")
    page.get_by_label("再次输入新密码").fill("Xuefa-new-2026")
    page.get_by_role("button", name="保存新密码").click()
    page.wait_for_url(live_server.url + "/")
    shoot(page, "02-home")
    person.refresh_from_db()
    person.user.refresh_from_db()
    assert person.must_change_password is False
    assert person.user.check_password("Xuefa-new-2026") is True
