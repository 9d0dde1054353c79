"""Races on PostgreSQL with real threads: starts, submits, saves and grants."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from audit.models import AuditEntry
from quizzes.models import Answer, Attempt, Credential, CredentialEvent, QuizKind
from quizzes.services import grant_credential, save_answer, start_attempt, submit_attempt

from .factories import CredentialTypeFactory, bank, make_quiz, right_value

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(n: int, fn) -> list:
    """Run ``fn`` in n threads released together; return what each returned or raised."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = fn(i)
        except Exception as exc:  # collected and asserted by the test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_twenty_concurrent_starts_make_one_attempt(world):
    bank()
    quiz = make_quiz()

    results = _race(20, lambda i: start_attempt(person=world.officer, quiz=quiz))

    assert [r for r in results if isinstance(r, Exception)] == []
    assert len({attempt.pk for attempt, _ in results}) == 1
    assert sum(1 for _, created in results if created) == 1
    assert Attempt.objects.count() == 1


def test_concurrent_submits_grade_once(world):
    bank()
    quiz = make_quiz()
    attempt, _ = start_attempt(person=world.officer, quiz=quiz)
    entry = attempt.paper["questions"][0]
    save_answer(
        attempt=attempt,
        person=world.officer,
        question_id=entry["question_id"],
        value=right_value(attempt, entry),
        seq=1,
    )

    results = _race(10, lambda i: submit_attempt(attempt=Attempt(pk=attempt.pk), person=world.officer))

    assert [r for r in results if isinstance(r, Exception)] == []
    assert {(r.score, r.finished_at) for r in results} == {(attempt.max_score / 2, results[0].finished_at)}
    assert AuditEntry.objects.filter(action="quizzes.attempt_submitted").count() == 1


def test_saves_racing_with_submit_are_graded_or_refused_never_lost(world):
    bank()
    quiz = make_quiz()
    attempt, _ = start_attempt(person=world.officer, quiz=quiz)
    entries = attempt.paper["questions"]

    def act(i):
        if i == 0:
            return submit_attempt(attempt=Attempt(pk=attempt.pk), person=world.officer)
        entry = entries[i % len(entries)]
        loaded = Attempt.objects.get(pk=attempt.pk)
        return save_answer(
            attempt=loaded,
            person=world.officer,
            question_id=entry["question_id"],
            value=right_value(loaded, entry),
            seq=i,
        )

    _race(8, act)

    attempt.refresh_from_db()
    graded = {int(qid) for qid, mark in attempt.marks.items() if mark == "1"}
    stored = set(Answer.objects.filter(attempt=attempt).values_list("question_id", flat=True))
    assert stored == graded


def test_concurrent_seq_saves_keep_the_highest(world):
    bank()
    quiz = make_quiz()
    attempt, _ = start_attempt(person=world.officer, quiz=quiz)
    entry = attempt.paper["questions"][0]
    keys = [o["key"] for o in entry["options"]]

    _race(
        12,
        lambda i: save_answer(
            attempt=Attempt.objects.get(pk=attempt.pk),
            person=world.officer,
            question_id=entry["question_id"],
            value=[keys[i % len(keys)]],
            seq=i,
        ),
    )

    stored = Answer.objects.get()
    assert (stored.seq, stored.value) == (11, [keys[11 % len(keys)]])


def test_concurrent_grants_make_one_credential(world):
    bank()
    kind = CredentialTypeFactory()
    quiz = make_quiz(kind=QuizKind.CERTIFICATION, credential_type=kind)
    attempt, _ = start_attempt(person=world.officer, quiz=quiz)
    for entry in attempt.paper["questions"]:
        save_answer(
            attempt=attempt,
            person=world.officer,
            question_id=entry["question_id"],
            value=right_value(attempt, entry),
            seq=1,
        )
    submit_attempt(attempt=attempt, person=world.officer)
    actor = world.hr_here.user

    results = _race(
        10, lambda i: grant_credential(person=world.officer, credential_type=kind, attempt=attempt, actor=actor)
    )

    assert sum(1 for r in results if isinstance(r, Credential)) == 1
    assert {getattr(r, "code", None) for r in results if not isinstance(r, Credential)} == {"already_holds"}
    assert Credential.objects.count() == 1
    assert CredentialEvent.objects.filter(kind="granted").count() == 1


def test_start_and_submit_lock_only_their_own_rows(world):
    """A lock on a joined row (the department, the quiz) would queue every start of a
    department, or every submit of an exam, behind one another."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    bank()
    quiz = make_quiz()

    with CaptureQueriesContext(connection) as ctx:
        attempt, _ = start_attempt(person=world.officer, quiz=quiz)
        submit_attempt(attempt=attempt, person=world.officer)

    locks = [q["sql"] for q in ctx.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(locks) == 2
    assert 'FOR UPDATE OF "training_person"' in locks[0]
    assert "training_department" not in locks[0]
    assert 'FOR UPDATE OF "quizzes_attempt"' in locks[1]
