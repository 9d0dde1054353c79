"""Statistics for admins and the selectors the reports and reminder jobs read."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Credential, QuestionType, QuizKind
from quizzes.selectors import (
    annual_figures,
    credential_status_for_people,
    credentials_expiring_between,
    latest_results_for_people,
    quizzes_with_window_closing_between,
    quizzes_with_window_opening_between,
)
from quizzes.services import grant_credential, save_answer, start_attempt, submit_attempt, suspend_credential

from .factories import CredentialTypeFactory, bank, make_question, make_quiz, right_value, wrong_value

pytestmark = pytest.mark.django_db


def _take(person, quiz, right: int, *, now=None):
    """Answer the first ``right`` questions right and the rest wrong."""
    attempt, _ = start_attempt(person=person, quiz=quiz, now=now)
    for index, entry in enumerate(attempt.paper["questions"]):
        value = right_value(attempt, entry) if index < right else wrong_value(attempt, entry)
        save_answer(attempt=attempt, person=person, question_id=entry["question_id"], value=value, seq=1, now=now)
    return submit_attempt(attempt=attempt, person=person, now=now)


def test_quiz_statistics_give_distribution_and_pass_rate(world):
    make_question(type=QuestionType.SINGLE, stem="甲")
    make_question(type=QuestionType.SINGLE, stem="乙")
    quiz = make_quiz(sections=[(QuestionType.SINGLE, 2, "50")], shuffle_questions=False)
    _take(world.officer, quiz, 2)
    _take(world.other_officer, quiz, 1)
    _take(world.hr_elsewhere, quiz, 0)

    body = world.client("admin").get(reverse("api:quiz-statistics", kwargs={"quiz_id": quiz.pk})).json()

    assert (body["attempts"], body["passed"], body["pass_rate"]) == (3, 1, "33.3")
    assert body["mean"] == "50.00"
    assert body["median"] == "50.00"
    counts = {band["from"]: band["count"] for band in body["distribution"]}
    assert (counts[0], counts[50], counts[90]) == (1, 1, 1)


def test_question_statistics_give_facility_and_discrimination(world):
    first = make_question(type=QuestionType.SINGLE, stem="甲")
    make_question(type=QuestionType.SINGLE, stem="乙")
    make_question(type=QuestionType.SINGLE, stem="丙")
    quiz = make_quiz(sections=[(QuestionType.SINGLE, 3, "50")])
    people = [world.officer, world.other_officer, world.hr_here, world.hr_elsewhere]
    # the strong two answer all right, the weak two only the easy question "甲"
    for person, strong in zip(people, [True, True, False, False], strict=True):
        attempt, _ = start_attempt(person=person, quiz=quiz)
        for entry in attempt.paper["questions"]:
            right = strong or entry["question_id"] == first.pk
            value = right_value(attempt, entry) if right else wrong_value(attempt, entry)
            save_answer(attempt=attempt, person=person, question_id=entry["question_id"], value=value, seq=1)
        submit_attempt(attempt=attempt, person=person)

    rows = world.client("admin").get(reverse("api:quiz-question-statistics", kwargs={"quiz_id": quiz.pk})).json()

    by_stem = {row["stem"]: row for row in rows}
    assert by_stem["甲"]["facility_index"] == "100.00"
    assert by_stem["甲"]["discrimination_index"] is None  # everyone right: no spread to correlate
    assert by_stem["乙"]["facility_index"] == "50.00"
    assert by_stem["乙"]["discrimination_index"] == "100.00"


def test_legal_area_statistics_rank_the_weakest_departments(world):
    make_question(type=QuestionType.SINGLE, stem="甲", tags=["行政复议法"])
    quiz = make_quiz(sections=[(QuestionType.SINGLE, 1, "100")])
    _take(world.officer, quiz, 1)  # here
    _take(world.hr_elsewhere, quiz, 0)  # elsewhere

    rows = world.client("admin").get(reverse("api:legal-area-statistics"), {"quiz": quiz.pk}).json()

    assert [row["legal_area"] for row in rows] == ["行政复议法"]
    assert [(d["name"], d["facility"]) for d in rows[0]["weakest_departments"]] == [
        ("市场监管所", "0.00"),
        ("综合执法中心", "100.00"),
    ]


def test_report_selectors_answer_in_a_fixed_number_of_queries(world, count_queries):
    bank()
    kind = CredentialTypeFactory()
    quiz = make_quiz(kind=QuizKind.CERTIFICATION, credential_type=kind, attempts_allowed=3)
    passed = _take(world.officer, quiz, 2)
    _take(world.other_officer, quiz, 0)
    grant_credential(person=world.officer, credential_type=kind, attempt=passed, actor=None)
    ids = [world.officer.pk, world.other_officer.pk, world.hr_here.pk]
    today = timezone.localdate()

    results = latest_results_for_people(person_ids=ids)
    credentials = credential_status_for_people(person_ids=ids, today=today)

    assert sorted(results) == [world.officer.pk, world.other_officer.pk]
    assert (results[world.officer.pk]["passed"], results[world.officer.pk]["percent"]) == (True, Decimal("100.00"))
    assert results[world.other_officer.pk]["passed"] is False
    assert list(credentials) == [world.officer.pk]
    assert credentials[world.officer.pk]["status"] == "active"
    assert count_queries(latest_results_for_people, person_ids=ids) == 1
    assert count_queries(credential_status_for_people, person_ids=ids, today=today) == 1
    assert count_queries(annual_figures, year=today.year) == 2


def test_annual_figures_count_pass_rates_and_credential_changes(world):
    bank()
    kind = CredentialTypeFactory()
    quiz = make_quiz(kind=QuizKind.CERTIFICATION, credential_type=kind, attempts_allowed=3)
    passed = _take(world.officer, quiz, 2)
    _take(world.other_officer, quiz, 0)
    credential = grant_credential(person=world.officer, credential_type=kind, attempt=passed, actor=None)
    suspend_credential(credential=credential, actor=None, reason="调查")

    figures = annual_figures(year=timezone.localtime().year)

    assert figures["exams"]["certification"] == {"attempts": 2, "passed": 1, "people": 2, "pass_rate": Decimal("50.0")}
    assert figures["exams"]["practice"]["attempts"] == 0
    assert (
        figures["credentials"]["granted"],
        figures["credentials"]["suspended"],
        figures["credentials"]["revoked"],
    ) == (1, 1, 0)


def test_expiry_and_window_selectors_for_the_reminder_jobs(world):
    bank()
    kind = CredentialTypeFactory()
    quiz = make_quiz(kind=QuizKind.CERTIFICATION, credential_type=kind)
    credential = grant_credential(
        person=world.officer, credential_type=kind, attempt=_take(world.officer, quiz, 2), actor=None
    )
    today = timezone.localdate()
    Credential.objects.filter(pk=credential.pk).update(expires_on=today + timedelta(days=30))
    now = timezone.now()

    expiring = list(credentials_expiring_between(today + timedelta(days=29), today + timedelta(days=31)))
    opening = list(quizzes_with_window_opening_between(now - timedelta(hours=2), now))
    closing = list(quizzes_with_window_closing_between(now, now + timedelta(hours=3)))
    none_opening = list(quizzes_with_window_opening_between(now, now + timedelta(hours=2)))

    assert expiring == [credential]
    assert opening == [quiz]
    assert closing == [quiz]
    assert none_opening == []


def test_quiz_list_makes_a_fixed_number_of_queries(world, count_queries):
    from quizzes.selectors import quizzes_for

    bank()
    make_quiz()
    before = count_queries(quizzes_for, person=world.officer)
    for _ in range(4):
        make_quiz(kind=QuizKind.CERTIFICATION, required_hours="10")

    after = count_queries(quizzes_for, person=world.officer)

    assert after <= before + 1  # the hours query appears once there is a certification exam
