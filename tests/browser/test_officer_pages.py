"""The other officer pages on a phone: record with an external record and its photo, the transcript,
reminders, the English switch — and, offline, changing an answer twice keeps the newest."""

from __future__ import annotations

import pytest

from notifications.services import notify
from quizzes.models import Answer, Attempt
from tests.portal.factories import certification_exam
from tests.training.factories import DepartmentFactory, PersonFactory
from training.models import ExternalRecord

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def officer(db):
    return PersonFactory(
        name="张伟",
        department=DepartmentFactory(name="市场监管所"),
        is_enforcement_officer=True,
        user__username="zhangwei",
    )


def _login(page):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("zhangwei")
    page.get_by_label("密码").fill("pw-for-tests-1")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")


def test_record_external_record_transcript_and_reminders(officer, phone, shoot, axe, tmp_path):
    notify(recipient=officer.user, kind="session_reminder", title="明天 9:00 民法典专题培训", body="三楼会议室")
    page = phone.new_page()
    _login(page)

    # an external record with a photo of the certificate
    page.goto("/record/external/")
    shoot(page, "30-external-new")
    axe(page, "external record form")
    page.get_by_label("培训名称").fill("省司法厅执法培训班")
    page.get_by_label("内容类别").select_option("specialised_law")
    page.get_by_label("学时", exact=True).fill("6")
    page.get_by_label("完成日期").fill("2026-03-02")
    photo = tmp_path / "certificate.png"
    photo.write_bytes(PNG)
    page.get_by_label("证书照片或 PDF").set_input_files(str(photo))
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_url("**/record/")
    shoot(page, "31-record")
    axe(page, "record")
    row = ExternalRecord.objects.get(person=officer)
    assert (row.title, str(row.hours), row.status, row.evidence_type) == (
        "省司法厅执法培训班",
        "6.0",
        "pending",
        "image/png",
    )

    page.goto("/check-in/")
    shoot(page, "31b-check-in-start")
    axe(page, "check-in start")

    page.goto("/credential/")
    shoot(page, "31c-no-credential")
    axe(page, "no credential yet")

    page.goto("/record/transcript/")
    shoot(page, "32-transcript")
    axe(page, "transcript")

    page.goto("/reminders/")
    shoot(page, "33-reminders")
    axe(page, "reminders")
    page.get_by_role("button", name="已读").click()
    page.wait_for_url("**/reminders/")
    assert officer.user.notifications.get().read_at is not None

    # the same page in English
    page.get_by_label("语言 / Language").select_option("en")
    page.get_by_role("button", name="切换").click()
    page.wait_for_url("**/reminders/")
    shoot(page, "34-reminders-en")
    axe(page, "reminders in English")
    assert page.locator("h1").first.inner_text().startswith("Reminders")


def test_offline_the_newest_of_two_answers_wins(officer, phone, shoot):
    quiz = certification_exam(questions=2)
    page = phone.new_page()
    _login(page)
    page.goto("/exams/")
    page.get_by_role("button", name="开始作答").click()
    page.wait_for_url("**/attempts/*/")
    page.locator("#q-stem").wait_for()
    attempt = Attempt.objects.get(person=officer, quiz=quiz)
    first = attempt.paper["questions"][0]

    # offline, the officer answers 错 and then changes it to 对
    phone.set_offline(True)
    page.get_by_label("错", exact=True).check()
    page.get_by_label("对", exact=True).check()
    page.wait_for_function("document.getElementById('save-state').dataset.state === 'offline'")
    phone.set_offline(False)
    page.wait_for_function("document.getElementById('save-state').dataset.state === 'saved'")

    stored = Answer.objects.get(attempt=attempt, question_id=first["question_id"])
    assert stored.value is True
    kept = page.evaluate(f"() => JSON.parse(localStorage.getItem('xuefa-attempt-{attempt.pk}'))")
    assert kept["answers"][str(first["question_id"])] == {"value": True, "seq": stored.seq, "confirmed": True}
    shoot(page, "35-attempt-newest-wins")


def test_a_practice_question_locks_and_explains_once_answered(officer, phone, shoot, axe):
    certification_exam(questions=2, kind="practice", title="行政处罚法练习")
    page = phone.new_page()
    _login(page)
    page.goto("/exams/")
    page.get_by_role("button", name="开始作答").click()
    page.wait_for_url("**/attempts/*/")
    page.locator("#q-stem").wait_for()
    page.get_by_role("button", name="下一题").click()

    page.get_by_label("警告", exact=True).check()

    page.locator("#q-feedback").wait_for()
    shoot(page, "36-practice-feedback")
    axe(page, "practice feedback")
    feedback = page.locator("#q-feedback").inner_text()
    assert "回答错误" in feedback
    assert "正确答案：记功" in feedback
    assert "《行政处罚法》第九条" in feedback
    assert page.get_by_label("记功", exact=True).is_disabled()
