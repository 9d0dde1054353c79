"""The quizzes admin: the pages open, the import page checks a file whole, the extend action."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from quizzes.models import Attempt, Credential, Question
from quizzes.services import start_attempt

from .factories import bank, make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw-for-tests-1")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "name",
    [
        "admin:quizzes_question_changelist",
        "admin:quizzes_question_add",
        "admin:quizzes_question_import",
        "admin:quizzes_quiz_changelist",
        "admin:quizzes_quiz_add",
        "admin:quizzes_attempt_changelist",
        "admin:quizzes_credential_changelist",
        "admin:quizzes_credentialtype_changelist",
    ],
)
def test_admin_pages_open(world, admin_client, name):
    bank(single=1, multiple=0, true_false=0)

    response = admin_client.get(reverse(name))

    assert response.status_code == 200


def test_credential_list_filters_open(world, admin_client):
    response = admin_client.get(reverse("admin:quizzes_credential_changelist"), {"expiring": "90", "status": "active"})

    assert response.status_code == 200


def test_question_change_page_opens(world, admin_client):
    question = bank(single=1, multiple=0, true_false=0)[0]

    response = admin_client.get(reverse("admin:quizzes_question_change", args=[question.pk]))

    assert response.status_code == 200
    assert "单选0" in response.content.decode()


def test_admin_adds_a_question_through_the_service(world, admin_client):
    data = {
        "type": "single",
        "category": "行政许可法",
        "difficulty": 2,
        "status": "active",
        "stem": "行政许可一般应在多少日内作出决定？",
        "options": "二十日\n三十日",
        "answer": "A",
        "explanation": "",
        "legal_basis": "《行政许可法》第四十二条",
        "tags_text": "行政许可法",
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
    }

    response = admin_client.post(reverse("admin:quizzes_question_add"), data)

    assert response.status_code == 302
    question = Question.objects.get()
    assert (question.current.stem, question.current.answer, question.tags) == (
        "行政许可一般应在多少日内作出决定？",
        [1],
        ["行政许可法"],
    )


def test_import_page_lists_every_bad_line_and_creates_nothing(world, admin_client):
    bad = "::a::没有答案\n\n::b::好题 {=对 ~错}\n\n::c::没有正确 {~甲 ~乙}\n"

    response = admin_client.post(
        reverse("admin:quizzes_question_import"),
        {"file": SimpleUploadedFile("bank.txt", bad.encode()), "format": "gift"},
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "第 1 行" in text
    assert "第 5 行" in text
    assert Question.objects.count() == 0


def test_extend_action_gives_open_attempts_more_time(world, admin_client):
    bank()
    quiz = make_quiz(time_limit=30)
    attempt, _ = start_attempt(person=world.officer, quiz=quiz)
    deadline = attempt.deadline

    response = admin_client.post(
        reverse("admin:quizzes_quiz_changelist"),
        {"action": "extend_open_attempts", "_selected_action": [quiz.pk], "minutes": "15"},
    )

    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.deadline == deadline + timedelta(minutes=15)
    assert AuditEntry.objects.filter(action="quizzes.open_attempts_extended").count() == 1
    assert Attempt.objects.count() == 1
    assert Credential.objects.count() == 0


def test_regrade_page_fixes_the_key_and_recomputes(world, admin_client):
    from decimal import Decimal

    from quizzes.models import QuestionType, Regrade
    from quizzes.services import save_answer, submit_attempt

    from .factories import make_question

    question = make_question(type=QuestionType.SINGLE, stem="唯一题")
    quiz = make_quiz(sections=[(QuestionType.SINGLE, 1, "100")])
    attempt, _ = start_attempt(person=world.officer, quiz=quiz)
    entry = attempt.paper["questions"][0]
    chosen = next(k for k, option_id in entry["keys"].items() if option_id == 2)
    save_answer(attempt=attempt, person=world.officer, question_id=question.pk, value=[chosen], seq=1)
    submit_attempt(attempt=attempt, person=world.officer)

    response = admin_client.post(
        reverse("admin:quizzes_question_regrade", args=[question.pk]),
        {"version": 1, "answer": "B", "reason": "答案录入错误"},
    )

    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.score == Decimal("100.00")
    assert list(Regrade.objects.values_list("old_score", "new_score")) == [(Decimal("0.00"), Decimal("100.00"))]
