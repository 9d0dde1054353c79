"""The officer's journey on a phone, end to end, in Debian's Chromium:

log in → change the first password → check in by the QR URL → take the
certification exam to a pass with the network cut in the middle (answers given
offline are saved once it returns, none lost) → see the credential HR granted
→ HR sees the officer as certified and downloads the xlsx. Every page is
screenshotted into test-artifacts/ and checked with axe-core.
"""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import openpyxl
import pytest

from quizzes.models import Answer, Attempt
from quizzes.services import grant_credential
from tests.portal.factories import certification_exam, session_now
from tests.training.factories import DepartmentFactory, PersonFactory, UserFactory
from training.models import Attendance
from training.roles import HR
from training.services.attendance import current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Jinhu-law-2026"


def _login(page, username, password):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def _saved(page):
    page.wait_for_function("document.getElementById('save-state').dataset.state === 'saved'")


def _answer(page, index, attempt):
    """Answer the question on screen correctly, by its visible text, and go on."""
    entry = attempt.paper["questions"][index]
    page.get_by_label("记功" if entry["type"] == "single" else "对", exact=True).check()


def _expected_value(entry):
    if entry["type"] == "true_false":
        return True
    return [next(o["key"] for o in entry["options"] if o["text"] == "记功")]


def test_officer_journey_on_a_phone(live_server, phone, desk, shoot, axe):
    # given an enforcement officer with a new account, a session running now, a certification exam, HR over them
    root = DepartmentFactory(name="金湖街道")
    here = DepartmentFactory(name="综合执法中心", parent=root)
    officer = PersonFactory(
        name="李明华",
        staff_number="JH0001",
        department=here,
        is_enforcement_officer=True,
        enforcement_domain="城市管理",
        must_change_password=True,
        user__username="liminghua",
    )
    hr = PersonFactory(
        name="王秀兰", department=root, scope_department=root, user=UserFactory(username="wangxiulan", roles=[HR])
    )
    session = session_now(departments=[here], title="行政处罚法专题培训", hours="3.0")
    quiz = certification_exam(questions=6)
    page = phone.new_page()

    # when the officer logs in, they must change the first password
    _login(page, "liminghua", "pw-for-tests-1")
    page.wait_for_url("**/account/password/")
    shoot(page, "10-password-change")
    axe(page, "password change")
    page.get_by_label("当前密码").fill("pw-for-tests-1")
    page.get_by_label("新密码", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("再次输入新密码").fill(NEW_PASSWORD)
    page.get_by_role("button", name="保存新密码").click()
    page.wait_for_url(live_server.url + "/")
    shoot(page, "11-home")
    axe(page, "home")

    # and checks in by the QR URL: the code is filled in, one tap confirms
    shown = current_code(session=session)
    qr = urlsplit(shown.qr_url)
    page.goto(f"{qr.path}?{qr.query}")
    assert page.get_by_label("签到码（6 位数字）").input_value() == shown.code
    shoot(page, "12-check-in")
    axe(page, "check-in")
    page.get_by_role("button", name="确认签到").click()
    page.locator("#checked-in").wait_for()
    shoot(page, "13-checked-in")
    assert Attendance.objects.get(session=session, person=officer).status == "attended"

    # and starts the certification exam
    page.goto("/exams/")
    shoot(page, "14-exams")
    axe(page, "exams")
    page.get_by_role("button", name="开始作答").click()
    page.wait_for_url("**/attempts/*/")
    attempt = Attempt.objects.get(person=officer, quiz=quiz)
    questions = attempt.paper["questions"]
    page.locator("#q-stem").wait_for()

    # two answers online, each confirmed by the server
    for index in range(2):
        _answer(page, index, attempt)
        _saved(page)
        page.get_by_role("button", name="下一题").click()
    shoot(page, "15-attempt-online")
    axe(page, "attempt")

    # the network goes away for three answers: they stay on the phone, marked unsaved
    phone.set_offline(True)
    for index in range(2, 5):
        _answer(page, index, attempt)
        if index < 4:
            page.get_by_role("button", name="下一题").click()
    page.wait_for_function("document.getElementById('save-state').dataset.state === 'offline'")
    shoot(page, "16-attempt-offline")
    assert Answer.objects.filter(attempt=attempt).count() == 2
    kept = page.evaluate(f"() => JSON.parse(localStorage.getItem('xuefa-attempt-{attempt.pk}'))")
    assert sorted(a["confirmed"] for a in kept["answers"].values()) == [False, False, False, True, True]

    # when it returns, every one of them is saved
    phone.set_offline(False)
    _saved(page)
    stored = {a.question_id: a.value for a in Answer.objects.filter(attempt=attempt)}
    assert stored == {q["question_id"]: _expected_value(q) for q in questions[:5]}

    # the last answer, then reopening the page resumes with everything in place
    page.get_by_role("button", name="下一题").click()
    _answer(page, 5, attempt)
    _saved(page)
    page.reload()
    page.locator("#q-stem").wait_for()
    _saved(page)
    assert page.locator("#q-map button.answered").count() == 6

    # submitting asks for confirmation first, then shows a pass
    page.get_by_role("button", name="交卷").click()
    assert page.locator("#unanswered").inner_text() == "全部题目已作答。"
    shoot(page, "17-submit-confirm")
    page.get_by_role("button", name="确认交卷").click()
    page.wait_for_url("**/result/")
    shoot(page, "18-result")
    axe(page, "result")
    assert page.locator("#verdict").inner_text() == "合格"
    attempt.refresh_from_db()
    assert (attempt.status, attempt.passed, str(attempt.score)) == ("submitted", True, "6.00")
    stored = {a.question_id: a.value for a in Answer.objects.filter(attempt=attempt)}
    assert stored == {q["question_id"]: _expected_value(q) for q in questions}

    # and once HR grants the credential, the officer sees it with its QR code
    credential = grant_credential(
        person=officer, credential_type=quiz.credential_type, attempt=attempt, actor=hr.user, reason="考试合格"
    )
    page.goto("/credential/")
    shoot(page, "19-credential")
    axe(page, "credential")
    assert page.locator("#credential-number").inner_text() == credential.number
    assert page.locator("#credential-status").inner_text() == "有效"

    # the public page, as a citizen scanning the QR code sees it (no login)
    citizen = phone.browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    public = citizen.new_page()
    public.goto(f"/verify/{credential.public_token}/")
    shoot(public, "20-public-verify")
    axe(public, "public verify")
    assert public.locator("#public-number").inner_text() == credential.number
    assert public.locator("#public-name").inner_text() == "李明华"
    citizen.close()

    # then HR sees the officer as certified and downloads the xlsx
    desk_page = desk.new_page()
    _login(desk_page, "wangxiulan", "pw-for-tests-1")
    desk_page.goto("/hr/")
    shoot(desk_page, "21-hr-dashboard")
    axe(desk_page, "hr dashboard")
    row = desk_page.locator("tr", has_text="李明华")
    assert credential.number in row.inner_text()
    with desk_page.expect_download() as download_info:
        desk_page.get_by_role("link", name="导出 Excel").click()
    workbook = openpyxl.load_workbook(io.BytesIO(download_info.value.path().read_bytes()), read_only=True)
    cells = [str(c) for r in workbook.active.iter_rows(values_only=True) for c in r if c is not None]
    assert "李明华" in cells
    assert "JH0001" in cells
