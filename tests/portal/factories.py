"""Objects the portal tests need, made through the apps' own services."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from training.services.sessions import AudienceSpec, schedule_session


def session_now(*, departments, title="法治专题培训：行政处罚法", hours="3.0", starts_in=timedelta(minutes=-10)):
    """A session running now (it started ``-starts_in`` ago) for the given departments."""
    start = timezone.now() + starts_in
    return schedule_session(
        actor=None,
        title=title,
        kind="thematic_legal_training",
        content_category="general_law",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        credited_hours=Decimal(hours),
        audience=AudienceSpec(departments=[d.pk for d in departments]),
        place="三楼会议室",
    )


def certification_exam(*, questions: int = 4, title="行政执法资格考试", time_limit=30, kind="certification"):
    """A published certification exam of ``questions`` true/false and single-choice questions,
    one point each, pass mark 60, with its credential type; the bank made through quizzes' service."""
    from quizzes.models import CredentialType, Quiz, QuizSection
    from quizzes.services import QuestionData, create_question

    tag = f"exam-{Quiz.objects.count() + 1}"
    half = questions // 2
    for n in range(half):
        create_question(
            data=QuestionData(
                type="true_false",
                stem=f"判断：行政机关实施行政处罚必须有法定依据。（{n + 1}）",
                answer=True,
                tags=[tag],
            ),
            actor=None,
        )
    for n in range(questions - half):
        create_question(
            data=QuestionData(
                type="single",
                stem=f"行政处罚的种类不包括下列哪一项？（{n + 1}）",
                options=["警告", "罚款", "记功", "没收违法所得"],
                answer=[2],
                explanation="记功是奖励，不是处罚。",
                legal_basis="《行政处罚法》第九条",
                tags=[tag],
            ),
            actor=None,
        )
    credential_type, _created = CredentialType.objects.get_or_create(
        code="enforcement", defaults={"name": "行政执法证", "number_prefix": "JH"}
    )
    quiz = Quiz.objects.create(
        title=title,
        kind=kind,
        time_limit_minutes=time_limit,
        opens_at=timezone.now() - timedelta(hours=1),
        closes_at=timezone.now() + timedelta(days=1),
        attempts_allowed=2,
        pass_mark=Decimal("60"),
        shuffle_questions=False,
        shuffle_options=False,
        review_policy={"certification": "never", "practice": "immediate"}.get(kind, "after_submit"),
        credential_type=credential_type if kind == "certification" else None,
        required_legal_hours=Decimal("0"),
    )
    QuizSection.objects.create(quiz=quiz, position=0, question_type="true_false", tags=[tag], count=half)
    QuizSection.objects.create(quiz=quiz, position=1, question_type="single", tags=[tag], count=questions - half)
    return quiz


def passed_attempt(person, quiz=None):
    """A submitted, passed attempt of ``person`` at a certification exam, answered through quizzes' services."""
    from quizzes.services import save_answer, start_attempt, submit_attempt

    quiz = quiz or certification_exam()
    attempt, _created = start_attempt(person=person, quiz=quiz)
    for n, entry in enumerate(attempt.paper["questions"], start=1):
        value = True if entry["type"] == "true_false" else [entry["options"][2]["key"]]
        save_answer(attempt=attempt, person=person, question_id=entry["question_id"], value=value, seq=n)
    return submit_attempt(attempt=attempt, person=person)


def granted_credential(person, *, actor=None):
    """A credential granted through quizzes' service on a passed certification attempt."""
    from quizzes.services import grant_credential

    attempt = passed_attempt(person)
    return grant_credential(person=person, credential_type=attempt.quiz.credential_type, attempt=attempt, actor=actor)
