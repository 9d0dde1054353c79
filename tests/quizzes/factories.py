"""Factories and small builders for the quizzes tests."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from quizzes.models import (
    CredentialType,
    Question,
    QuestionType,
    QuestionVersion,
    Quiz,
    QuizKind,
    QuizSection,
)
from quizzes.passwords import hash_start_password


def make_question(
    *,
    type: str = QuestionType.SINGLE,
    stem: str = "题干",
    options: list[str] | None = None,
    answer=None,
    tags: list[str] | None = None,
    explanation: str = "解析文字",
    legal_basis: str = "《行政处罚法》第四十二条",
) -> Question:
    if type == QuestionType.TRUE_FALSE:
        opts: list[dict] = []
        key = True if answer is None else answer
    else:
        texts = options or ["甲", "乙", "丙", "丁"]
        opts = [{"id": i + 1, "text": t} for i, t in enumerate(texts)]
        key = answer if answer is not None else ([1] if type == QuestionType.SINGLE else [1, 2])
    question = Question.objects.create(type=type, tags=tags or ["行政处罚法"], category=(tags or ["行政处罚法"])[0])
    version = QuestionVersion.objects.create(
        question=question,
        number=1,
        stem=stem,
        options=opts,
        answer=key,
        explanation=explanation,
        legal_basis=legal_basis,
    )
    question.current = version
    question.save(update_fields=["current"])
    return question


class CredentialTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CredentialType
        django_get_or_create = ("code",)

    code = "enforcement"
    name = "行政执法证"
    number_prefix = "XF"


def make_quiz(
    *,
    kind: str = QuizKind.ASSESSMENT,
    sections: list[tuple[str, int, str]] | None = None,
    time_limit: int | None = 30,
    opens_in: timedelta | None = timedelta(hours=-1),
    closes_in: timedelta | None = timedelta(hours=2),
    attempts_allowed: int | None = None,
    password: str = "",
    required_hours: str = "0",
    credential_type: CredentialType | None = None,
    audience=None,
    **extra,
) -> Quiz:
    now = timezone.now()
    if kind == QuizKind.CERTIFICATION and attempts_allowed is None:
        attempts_allowed = 2
    quiz = Quiz.objects.create(
        title=f"{kind} quiz",
        kind=kind,
        time_limit_minutes=time_limit,
        opens_at=now + opens_in if opens_in is not None else None,
        closes_at=now + closes_in if closes_in is not None else None,
        attempts_allowed=attempts_allowed,
        start_password_hash=hash_start_password(password),
        required_legal_hours=Decimal(required_hours),
        credential_type=credential_type
        if credential_type or kind != QuizKind.CERTIFICATION
        else CredentialTypeFactory(),
        audience=audience,
        **extra,
    )
    for position, (qtype, count, points) in enumerate(sections or [(QuestionType.SINGLE, 2, "50")]):
        QuizSection.objects.create(
            quiz=quiz, position=position, question_type=qtype, count=count, points=Decimal(points)
        )
    return quiz


def bank(*, single: int = 3, multiple: int = 3, true_false: int = 3, tags: list[str] | None = None) -> list[Question]:
    """A bank where option 1 is the right one (multiple: options 1 and 2; true/false: true)."""
    made = [make_question(type=QuestionType.SINGLE, stem=f"单选{i}", tags=tags) for i in range(single)]
    made += [make_question(type=QuestionType.MULTIPLE, stem=f"多选{i}", tags=tags) for i in range(multiple)]
    made += [make_question(type=QuestionType.TRUE_FALSE, stem=f"判断{i}", tags=tags) for i in range(true_false)]
    return made


def right_value(attempt, entry) -> object:
    """The right answer of a paper entry in the attempt's keys (read from the server's side of the paper)."""
    version = QuestionVersion.objects.get(pk=entry["version_id"])
    if entry["type"] == QuestionType.TRUE_FALSE:
        return version.answer
    back = {option_id: key for key, option_id in entry["keys"].items()}
    return sorted(back[i] for i in version.answer)


def wrong_value(attempt, entry) -> object:
    version = QuestionVersion.objects.get(pk=entry["version_id"])
    if entry["type"] == QuestionType.TRUE_FALSE:
        return not version.answer
    wrong = [key for key, option_id in entry["keys"].items() if option_id not in version.answer]
    return wrong[:1]
