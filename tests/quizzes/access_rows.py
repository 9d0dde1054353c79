"""Access rows of the quizzes routes: the objects belong to world.officer (department "here")."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.access import Row, expect

STAFF_ONLY = expect(401, 403, 403, 403, 403, 200)
OWNER_ONLY = expect(401, 200, 404, 404, 404, 404)
HR_MANAGES = expect(401, 403, 403, 404, 200, 200)


def _quiz(world, ctx):
    from quizzes.models import QuizKind

    from .factories import bank, make_quiz

    bank()
    ctx["quiz"] = make_quiz(kind=QuizKind.CERTIFICATION, attempts_allowed=5)
    return {"quiz_id": ctx["quiz"].pk}


def _attempt(world, ctx):
    from quizzes.services import start_attempt

    _quiz(world, ctx)
    ctx["attempt"], _ = start_attempt(person=world.officer, quiz=ctx["quiz"])
    return {"attempt_id": ctx["attempt"].pk}


def _answer(world, ctx):
    kwargs = _attempt(world, ctx)
    return {**kwargs, "question_id": ctx["attempt"].paper["questions"][0]["question_id"]}


def _passed(world, ctx):
    from quizzes.services import save_answer, submit_attempt

    from .factories import right_value

    _attempt(world, ctx)
    attempt = ctx["attempt"]
    for entry in attempt.paper["questions"]:
        save_answer(
            attempt=attempt,
            person=world.officer,
            question_id=entry["question_id"],
            value=right_value(attempt, entry),
            seq=1,
        )
    ctx["attempt"] = submit_attempt(attempt=attempt, person=world.officer)
    return {}


def _credential(world, ctx):
    from quizzes.services import grant_credential

    _passed(world, ctx)
    ctx["credential"] = grant_credential(
        person=world.officer, credential_type=ctx["quiz"].credential_type, attempt=ctx["attempt"], actor=None
    )
    return {"credential_id": ctx["credential"].pk}


def _renewable(world, ctx):
    from quizzes.models import Credential

    kwargs = _credential(world, ctx)
    Credential.objects.filter(pk=ctx["credential"].pk).update(expires_on=timezone.localdate() + timedelta(days=60))
    return kwargs


def _question(world, ctx):
    from .factories import make_question

    return {"question_id": make_question().pk}


QUESTION = {"type": "single", "stem": "题干", "options": ["甲", "乙"], "answer": "A"}

ROWS = [
    Row("api:question-list", "get", STAFF_ONLY),
    Row("api:question-list", "post", expect(401, 403, 403, 403, 403, 201), body=lambda w, c: QUESTION),
    Row("api:question-detail", "get", STAFF_ONLY, setup=_question),
    Row("api:question-detail", "patch", STAFF_ONLY, setup=_question, body=lambda w, c: {"stem": "新题干"}),
    # The matrix posts JSON: the admin passes the role check and meets the multipart parser
    # (a real file import is in test_bank.py).
    Row(
        "api:question-import",
        "post",
        expect(401, 403, 403, 403, 403, 415),
        body=lambda w, c: {"format": "gift"},
        label="JSON body",
    ),
    Row("api:question-export", "get", STAFF_ONLY, setup=lambda w, c: _question(w, c) and {}, query="format=xlsx"),
    Row("api:quiz-list", "get", expect(401, 200, 200, 200, 200, 200)),
    Row("api:quiz-start", "post", expect(401, 201, 201, 201, 201, 201), setup=_quiz, body=lambda w, c: {}),
    Row("api:quiz-statistics", "get", STAFF_ONLY, setup=lambda w, c: _passed(w, c) or {"quiz_id": c["quiz"].pk}),
    Row(
        "api:quiz-question-statistics",
        "get",
        STAFF_ONLY,
        setup=lambda w, c: _passed(w, c) or {"quiz_id": c["quiz"].pk},
    ),
    Row("api:legal-area-statistics", "get", STAFF_ONLY, setup=_passed),
    Row("api:attempt-detail", "get", OWNER_ONLY, setup=_attempt),
    Row(
        "api:attempt-answer",
        "put",
        OWNER_ONLY,
        setup=_answer,
        body=lambda w, c: {"value": [c["attempt"].paper["questions"][0]["options"][0]["key"]], "seq": 1},
    ),
    Row("api:attempt-submit", "post", OWNER_ONLY, setup=_attempt, body=lambda w, c: {}),
    Row("api:result-list", "get", expect(401, 403, 403, 200, 200, 200), setup=_passed),
    Row(
        "api:credential-list", "get", expect(401, 200, 200, 200, 200, 200), setup=lambda w, c: _credential(w, c) and {}
    ),
    Row(
        "api:credential-list",
        "post",
        expect(401, 403, 403, 404, 201, 201),
        setup=_passed,
        body=lambda w, c: {"person": w.officer.pk, "credential_type": "enforcement", "attempt": str(c["attempt"].pk)},
    ),
    Row("api:credential-detail", "get", expect(401, 200, 404, 404, 200, 200), setup=_credential),
    Row("api:credential-suspend", "post", HR_MANAGES, setup=_credential, body=lambda w, c: {"reason": "调查"}),
    Row("api:credential-revoke", "post", HR_MANAGES, setup=_credential, body=lambda w, c: {"reason": "情节严重"}),
    Row("api:credential-renew", "post", HR_MANAGES, setup=_renewable, body=lambda w, c: {"reason": "换证"}),
    Row("api:credential-surrender", "post", HR_MANAGES, setup=_credential, body=lambda w, c: {"reason": "离岗"}),
    Row("api:credential-events", "get", expect(401, 200, 404, 404, 200, 200), setup=_credential),
    Row(
        "api:public-credential",
        "get",
        expect(200, 200, 200, 200, 200, 200),
        setup=lambda w, c: _credential(w, c) and {"token_or_number": str(c["credential"].public_token)},
    ),
]
