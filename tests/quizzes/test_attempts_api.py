"""Taking a quiz through the API: start, save, submit, resume — and the hostile calls."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Answer, Attempt, AttemptStatus, QuestionType, QuestionVersion, QuizKind, QuizOverride
from quizzes.services import save_answer, start_attempt, submit_attempt
from training.models import HoursEntry

from .factories import bank, make_quiz, right_value, wrong_value

pytestmark = pytest.mark.django_db


def _start(client, quiz, body=None):
    return client.post(reverse("api:quiz-start", kwargs={"quiz_id": quiz.pk}), body or {}, format="json")


def _save(client, attempt_id, question_id, value, seq):
    url = reverse("api:attempt-answer", kwargs={"attempt_id": attempt_id, "question_id": question_id})
    return client.put(url, {"value": value, "seq": seq}, format="json")


def _secrets(attempt: Attempt) -> list[str]:
    """Every string that would betray correctness: bank option ids, explanations, legal bases."""
    found = []
    for version in QuestionVersion.objects.filter(pk__in=attempt.paper["version_ids"]):
        found += [version.explanation, version.legal_basis]
    return found


def _assert_no_correctness(payload, attempt: Attempt):
    text = json.dumps(payload, ensure_ascii=False)
    for secret in _secrets(attempt):
        assert secret not in text
    for word in ("correct", "explanation", "legal_basis", "answer_key", "version_id", "keys", "fraction", "tags"):
        assert f'"{word}' not in text
    for entry in payload.get("questions", []):
        for option in entry["options"]:
            assert set(option) == {"key", "text"}


def test_start_returns_the_frozen_paper_without_correctness(world):
    bank()
    quiz = make_quiz(sections=[(QuestionType.SINGLE, 2, "30"), (QuestionType.TRUE_FALSE, 2, "20")])
    client = world.client("officer")

    response = _start(client, quiz)

    assert response.status_code == 201
    body = response.json()
    attempt = Attempt.objects.get(pk=body["id"])
    assert set(body) == {
        "id",
        "quiz",
        "status",
        "started_at",
        "deadline",
        "server_now",
        "questions",
        "answers",
        "result",
    }
    assert body["status"] == "open"
    assert body["result"] is None
    assert len(body["questions"]) == 4
    assert sorted(q["type"] for q in body["questions"]) == ["single", "single", "true_false", "true_false"]
    assert body["answers"] == {}
    assert attempt.max_score == Decimal("100.00")
    _assert_no_correctness(body, attempt)
    keys = [o["key"] for q in body["questions"] for o in q["options"]]
    assert len(keys) == len(set(keys))
    assert all(not k.isdigit() for k in keys)


def test_second_start_returns_the_open_attempt(world):
    bank()
    quiz = make_quiz()
    client = world.client("officer")
    first = _start(client, quiz).json()

    again = _start(client, quiz)

    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    assert Attempt.objects.count() == 1


def test_deadline_is_the_earlier_of_limit_and_close(world):
    bank()
    quiz = make_quiz(time_limit=60, closes_in=timedelta(minutes=20))

    attempt, _ = start_attempt(person=world.officer, quiz=quiz)

    assert attempt.deadline == quiz.closes_at


def test_override_gives_more_time_and_attempts(world):
    bank()
    quiz = make_quiz(time_limit=30, attempts_allowed=1, closes_in=timedelta(days=1))
    QuizOverride.objects.create(quiz=quiz, person=world.officer, time_limit_minutes=45, attempts_allowed=2)
    now = timezone.now()

    first, _ = start_attempt(person=world.officer, quiz=quiz, now=now)
    submit_attempt(attempt=first, person=world.officer, now=now)
    second, created = start_attempt(person=world.officer, quiz=quiz, now=now)

    assert first.deadline == now + timedelta(minutes=45)
    assert created is True
    assert second.number == 2


@pytest.mark.parametrize(
    ("opens", "closes", "code"),
    [
        (timedelta(hours=1), timedelta(hours=2), "exam_window_not_open"),
        (timedelta(hours=-2), timedelta(hours=-1), "exam_window_closed"),
    ],
)
def test_start_outside_the_window_is_refused(world, opens, closes, code):
    bank()
    quiz = make_quiz(opens_in=opens, closes_in=closes)

    response = _start(world.client("officer"), quiz)

    assert response.status_code == 409
    assert response.json()["code"] == code
    assert Attempt.objects.count() == 0


def test_start_needs_the_password(world):
    bank()
    quiz = make_quiz(password="法治2026")
    client = world.client("officer")

    missing = _start(client, quiz)
    wrong = _start(client, quiz, {"password": "nope"})
    right = _start(client, quiz, {"password": "法治2026"})

    assert (missing.status_code, missing.json()["code"]) == (409, "start_password_required")
    assert (wrong.status_code, wrong.json()["code"]) == (409, "start_password_wrong")
    assert right.status_code == 201
    assert Attempt.objects.count() == 1


def test_certification_needs_the_legal_hours_of_this_year(world):
    bank()
    quiz = make_quiz(kind=QuizKind.CERTIFICATION, required_hours="40")
    client = world.client("officer")
    year = timezone.localdate().year
    HoursEntry.objects.create(
        person=world.officer, year=year, category="general_law", hours=Decimal("30"), source="correction"
    )
    HoursEntry.objects.create(
        person=world.officer, year=year, category="other", hours=Decimal("30"), source="correction"
    )
    HoursEntry.objects.create(
        person=world.officer, year=year - 1, category="general_law", hours=Decimal("30"), source="correction"
    )

    refused = _start(client, quiz)
    HoursEntry.objects.create(
        person=world.officer, year=year, category="new_laws", hours=Decimal("10"), source="correction"
    )
    allowed = _start(client, quiz)

    assert refused.status_code == 409
    assert refused.json()["code"] == "prerequisite_hours_missing"
    assert refused.json()["detail"] == {"required": "40.0", "earned": "30.0"}
    assert allowed.status_code == 201


def test_start_over_the_limit_is_refused(world):
    bank()
    quiz = make_quiz(attempts_allowed=1)
    attempt, _ = start_attempt(person=world.officer, quiz=quiz)
    submit_attempt(attempt=attempt, person=world.officer)

    response = _start(world.client("officer"), quiz)

    assert response.status_code == 409
    assert response.json()["code"] == "attempts_exhausted"
    assert Attempt.objects.count() == 1


def test_start_outside_the_audience_is_refused(world):
    from training.models import Audience

    bank()
    audience = Audience.objects.create()
    audience.departments.add(world.elsewhere)
    quiz = make_quiz(audience=audience)

    response = _start(world.client("officer"), quiz)

    assert response.status_code == 409
    assert response.json()["code"] == "not_in_audience"
    assert Attempt.objects.count() == 0


def test_save_stores_and_a_late_retry_with_an_older_seq_is_ignored(world):
    bank()
    quiz = make_quiz()
    client = world.client("officer")
    body = _start(client, quiz).json()
    question = body["questions"][0]
    first_key, second_key = question["options"][0]["key"], question["options"][1]["key"]

    newer = _save(client, body["id"], question["question_id"], [second_key], 5)
    older = _save(client, body["id"], question["question_id"], [first_key], 3)

    assert newer.status_code == 200
    assert newer.json()["value"] == [second_key]
    assert older.status_code == 200
    assert older.json()["value"] == [second_key]
    assert older.json()["seq"] == 5
    stored = Answer.objects.get()
    assert (stored.value, stored.seq) == ([second_key], 5)
    _assert_no_correctness(newer.json(), Attempt.objects.get(pk=body["id"]))
    resumed = client.get(reverse("api:attempt-detail", kwargs={"attempt_id": body["id"]})).json()
    assert resumed["answers"][str(question["question_id"])]["value"] == [second_key]
    _assert_no_correctness(resumed, Attempt.objects.get(pk=body["id"]))


def test_save_after_the_deadline_is_refused(world):
    bank()
    quiz = make_quiz(time_limit=10)
    attempt, _ = start_attempt(person=world.officer, quiz=quiz, now=timezone.now() - timedelta(minutes=11))
    entry = attempt.paper["questions"][0]

    response = _save(world.client("officer"), attempt.pk, entry["question_id"], [entry["options"][0]["key"]], 1)

    assert response.status_code == 409
    assert response.json()["code"] == "attempt_closed"
    assert Answer.objects.count() == 0


def test_save_to_a_question_not_on_the_paper_is_refused(world):
    questions = bank()
    quiz = make_quiz()
    attempt, _ = start_attempt(person=world.officer, quiz=quiz)
    on_paper = {q["question_id"] for q in attempt.paper["questions"]}
    other = next(q for q in questions if q.pk not in on_paper)

    response = _save(world.client("officer"), attempt.pk, other.pk, [], 1)

    assert response.status_code == 400
    assert response.json()["code"] == "question_not_on_paper"
    assert Answer.objects.count() == 0


def test_save_with_a_bank_option_id_instead_of_a_key_is_refused(world):
    bank()
    quiz = make_quiz()
    attempt, _ = start_attempt(person=world.officer, quiz=quiz)
    entry = attempt.paper["questions"][0]

    response = _save(world.client("officer"), attempt.pk, entry["question_id"], ["1"], 1)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_answer"
    assert Answer.objects.count() == 0


@pytest.mark.parametrize("role", ["other_officer", "hr_here", "admin"])
def test_another_persons_attempt_is_a_404(world, role):
    bank()
    quiz = make_quiz()
    attempt, _ = start_attempt(person=world.officer, quiz=quiz)
    entry = attempt.paper["questions"][0]
    client = world.client(role)

    read = client.get(reverse("api:attempt-detail", kwargs={"attempt_id": attempt.pk}))
    save = _save(client, attempt.pk, entry["question_id"], [entry["options"][0]["key"]], 1)
    submit = client.post(reverse("api:attempt-submit", kwargs={"attempt_id": attempt.pk}))

    assert (read.status_code, save.status_code, submit.status_code) == (404, 404, 404)
    assert Answer.objects.count() == 0
    assert Attempt.objects.get().status == "open"


def test_submit_grades_on_the_server_and_again_returns_the_same_result(world):
    bank()
    quiz = make_quiz(sections=[(QuestionType.SINGLE, 2, "50")])
    client = world.client("officer")
    attempt, _ = start_attempt(person=world.officer, quiz=quiz)
    first, second = attempt.paper["questions"]
    save_answer(
        attempt=attempt,
        person=world.officer,
        question_id=first["question_id"],
        value=right_value(attempt, first),
        seq=1,
    )
    save_answer(
        attempt=attempt,
        person=world.officer,
        question_id=second["question_id"],
        value=wrong_value(attempt, second),
        seq=1,
    )
    url = reverse("api:attempt-submit", kwargs={"attempt_id": attempt.pk})

    response = client.post(url, {"score": "100", "passed": True, "status": "open"}, format="json")
    again = client.post(url, {}, format="json")

    assert response.status_code == 200
    result = response.json()["result"]
    assert result["score"] == "50.00"
    assert result["percent"] == "50.00"
    assert result["passed"] is False
    assert again.json()["result"] == result
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score, attempt.passed) == ("submitted", Decimal("50.00"), False)


def test_submit_after_the_deadline_grades_what_was_saved_and_finishes_at_the_deadline(world):
    bank()
    quiz = make_quiz(sections=[(QuestionType.SINGLE, 2, "50")], time_limit=10)
    start = timezone.now() - timedelta(minutes=30)
    attempt, _ = start_attempt(person=world.officer, quiz=quiz, now=start)
    entry = attempt.paper["questions"][0]
    save_answer(
        attempt=attempt,
        person=world.officer,
        question_id=entry["question_id"],
        value=right_value(attempt, entry),
        seq=1,
        now=start + timedelta(minutes=5),
    )

    response = world.client("officer").post(reverse("api:attempt-submit", kwargs={"attempt_id": attempt.pk}))

    assert response.status_code == 200
    attempt.refresh_from_db()
    assert attempt.finished_at == start + timedelta(minutes=10)
    assert attempt.score == Decimal("50.00")


def test_a_body_cannot_set_score_or_passed_on_save(world):
    bank()
    quiz = make_quiz()
    attempt, _ = start_attempt(person=world.officer, quiz=quiz)
    entry = attempt.paper["questions"][0]
    url = reverse("api:attempt-answer", kwargs={"attempt_id": attempt.pk, "question_id": entry["question_id"]})

    world.client("officer").put(
        url,
        {"value": wrong_value(attempt, entry), "seq": 1, "score": 100, "passed": True, "correct": True},
        format="json",
    )

    attempt.refresh_from_db()
    assert (attempt.status, attempt.score, attempt.passed) == ("open", None, None)


def test_practice_locks_an_answered_question_and_then_shows_its_answer(world):
    bank()
    quiz = make_quiz(kind=QuizKind.PRACTICE, review_policy="immediate")
    client = world.client("officer")
    body = _start(client, quiz).json()
    attempt = Attempt.objects.get(pk=body["id"])
    entry = attempt.paper["questions"][0]
    unanswered = attempt.paper["questions"][1]
    version = QuestionVersion.objects.get(pk=entry["version_id"])

    first = _save(client, attempt.pk, entry["question_id"], wrong_value(attempt, entry), 1)
    retry = _save(client, attempt.pk, entry["question_id"], right_value(attempt, entry), 2)
    resumed = client.get(reverse("api:attempt-detail", kwargs={"attempt_id": attempt.pk})).json()

    assert first.json()["feedback"] == {
        "correct": False,
        "correct_value": right_value(attempt, entry),
        "explanation": version.explanation,
        "legal_basis": version.legal_basis,
    }
    assert retry.json()["value"] == wrong_value(attempt, entry)
    assert retry.json()["seq"] == 1
    assert list(resumed["feedback"]) == [str(entry["question_id"])]
    assert str(unanswered["question_id"]) not in resumed["feedback"]


def test_certification_never_shows_correctness_even_after_submit(world):
    bank()
    quiz = make_quiz(kind=QuizKind.CERTIFICATION, review_policy="after_submit")
    client = world.client("officer")
    body = _start(client, quiz).json()
    attempt = Attempt.objects.get(pk=body["id"])
    entry = attempt.paper["questions"][0]
    _save(client, attempt.pk, entry["question_id"], right_value(attempt, entry), 1)

    submitted = client.post(reverse("api:attempt-submit", kwargs={"attempt_id": attempt.pk})).json()
    read = client.get(reverse("api:attempt-detail", kwargs={"attempt_id": attempt.pk})).json()

    for payload in (submitted, read):
        _assert_no_correctness(payload, attempt)
        assert payload["result"]["score"] == "50.00"


def test_assessment_shows_review_after_submit(world):
    bank()
    quiz = make_quiz(kind=QuizKind.ASSESSMENT, review_policy="after_submit")
    client = world.client("officer")
    attempt, _ = start_attempt(person=world.officer, quiz=quiz)

    submitted = client.post(reverse("api:attempt-submit", kwargs={"attempt_id": attempt.pk})).json()

    assert sorted(submitted["feedback"]) == sorted(str(q["question_id"]) for q in attempt.paper["questions"])
    assert all(f["correct"] is False for f in submitted["feedback"].values())


def test_quiz_list_shows_attempts_and_prerequisites(world):
    bank()
    quiz = make_quiz(kind=QuizKind.CERTIFICATION, required_hours="10", password="pw")
    make_quiz(opens_in=timedelta(days=-3), closes_in=timedelta(days=-2))  # closed: not listed
    attempt_quiz = make_quiz(attempts_allowed=3)
    attempt, _ = start_attempt(person=world.officer, quiz=attempt_quiz)

    response = world.client("officer").get(reverse("api:quiz-list"))

    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()["results"]}
    assert sorted(rows) == sorted([quiz.pk, attempt_quiz.pk])
    assert rows[quiz.pk]["needs_password"] is True
    assert rows[quiz.pk]["prerequisites_met"] is False
    assert rows[quiz.pk]["attempts_left"] == 2
    assert rows[attempt_quiz.pk]["attempts_used"] == 1
    assert rows[attempt_quiz.pk]["attempts_left"] == 2
    assert rows[attempt_quiz.pk]["open_attempt"] == str(attempt.pk)


def test_results_are_scoped_and_never_carry_answers(world):
    bank()
    quiz = make_quiz()
    mine, _ = start_attempt(person=world.officer, quiz=quiz)
    submit_attempt(attempt=mine, person=world.officer)

    here = world.client("hr_here").get(reverse("api:result-list"), {"quiz": quiz.pk})
    elsewhere = world.client("hr_elsewhere").get(reverse("api:result-list"), {"quiz": quiz.pk})

    assert here.status_code == 200
    assert [r["attempt"] for r in here.json()["results"]] == [str(mine.pk)]
    assert "answers" not in json.dumps(here.json())
    assert "questions" not in here.json()["results"][0]
    assert elsewhere.json()["results"] == []


def test_second_failed_certification_attempt_flags_the_person_for_hr(world, django_capture_on_commit_callbacks):
    from notifications.models import Notification

    bank()
    quiz = make_quiz(kind=QuizKind.CERTIFICATION)
    first, _ = start_attempt(person=world.officer, quiz=quiz)
    submit_attempt(attempt=first, person=world.officer)
    second, _ = start_attempt(person=world.officer, quiz=quiz)

    with django_capture_on_commit_callbacks(execute=True):
        submit_attempt(attempt=second, person=world.officer)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.flagged_for_hr, second.flagged_for_hr) == (False, True)
    assert list(Notification.objects.values_list("recipient__username", "kind")) == [
        ("hr_here", "certification_failed_twice")
    ]


def test_submit_expired_attempts_closes_them_at_their_deadline(world):
    from quizzes.services import submit_expired_attempts

    bank()
    quiz = make_quiz(time_limit=10)
    start = timezone.now() - timedelta(minutes=15)
    late, _ = start_attempt(person=world.officer, quiz=quiz, now=start)
    running, _ = start_attempt(person=world.other_officer, quiz=quiz)

    closed = submit_expired_attempts(now=timezone.now())

    late.refresh_from_db()
    running.refresh_from_db()
    assert closed == 1
    assert (late.status, late.finished_at) == (AttemptStatus.SUBMITTED, start + timedelta(minutes=10))
    assert running.status == AttemptStatus.OPEN


def test_the_deadline_task_submits_expired_attempts(world):
    from quizzes.tasks import submit_expired_attempts as task

    bank()
    quiz = make_quiz(time_limit=5)
    attempt, _ = start_attempt(person=world.officer, quiz=quiz, now=timezone.now() - timedelta(minutes=6))

    closed = task.apply().get()
    again = task.apply().get()

    attempt.refresh_from_db()
    assert (closed, again) == (1, 0)
    assert attempt.status == AttemptStatus.SUBMITTED
    assert attempt.finished_at == attempt.deadline


def test_beat_runs_the_deadline_task_every_minute():
    from config.beat import BEAT_SCHEDULE

    entry = BEAT_SCHEDULE["quizzes-submit-expired-attempts"]
    assert entry["task"] == "quizzes.tasks.submit_expired_attempts"
    assert entry["schedule"].minute == set(range(60))


def test_start_after_an_unclosed_expired_attempt_closes_it_at_its_deadline_first(world):
    bank()
    quiz = make_quiz(time_limit=10, attempts_allowed=2)
    old, _ = start_attempt(person=world.officer, quiz=quiz, now=timezone.now() - timedelta(minutes=20))

    new, created = start_attempt(person=world.officer, quiz=quiz)

    old.refresh_from_db()
    assert created is True
    assert (old.status, old.finished_at) == (AttemptStatus.SUBMITTED, old.deadline)
    assert (new.number, new.status) == (2, AttemptStatus.OPEN)


def test_a_certification_exam_allows_a_first_try_and_one_resit_by_default():
    from quizzes.models import Quiz

    exam = Quiz.objects.create(title="执法资格考试", kind=QuizKind.CERTIFICATION)
    practice = Quiz.objects.create(title="练习", kind=QuizKind.PRACTICE)

    assert (exam.attempts_allowed, exam.pass_mark) == (2, Decimal("60"))
    assert practice.attempts_allowed is None
