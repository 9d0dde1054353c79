"""Demo data for the quizzes app: the bank written from the laws on the syllabus,
a practice set demo-officer can start at once, a periodic assessment, this
year's certification exam (open now), last round's passed attempts with the
credentials granted on them (one expiring within 90 days).

Idempotent: what exists is found, not created again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from training.models import LEGAL_CATEGORIES, Category, ContentCategory, HoursEntry, HoursSource, Person

from . import services
from .demo_bank import QUESTIONS
from .models import (
    Attempt,
    Credential,
    CredentialType,
    QuestionType,
    QuestionVersion,
    Quiz,
    QuizKind,
    QuizSection,
    ReviewPolicy,
)
from .services.bank import LETTERS, QuestionData

CERT_HOURS = Decimal("20")


def _bank() -> int:
    existing = set(QuestionVersion.objects.values_list("stem", flat=True))
    items = []
    for line, (kind, stem, options, answer, explanation, basis, area, difficulty) in enumerate(QUESTIONS, start=1):
        if stem in existing:
            continue
        value = answer if isinstance(answer, bool) else [LETTERS.index(ch) for ch in answer]
        items.append(
            (
                line,
                QuestionData(
                    type=kind,
                    stem=stem,
                    options=list(options),
                    answer=value,
                    explanation=explanation,
                    legal_basis=basis,
                    tags=[area],
                    category=area,
                    difficulty=difficulty,
                ),
            )
        )
    if not items:
        return 0
    return len(services.import_questions(items=items, errors=[], dry_run=False, actor=None))


def _quiz(title: str, sections: Sequence[tuple[str, str, int, str]], **fields) -> tuple[Quiz, bool]:
    quiz, created = Quiz.objects.get_or_create(title=title, defaults=fields)
    if created:
        for position, (name, qtype, count, points) in enumerate(sections):
            QuizSection.objects.create(
                quiz=quiz, position=position, title=name, question_type=qtype, count=count, points=Decimal(points)
            )
    return quiz, created


CERT_SECTIONS = [
    ("单项选择题", QuestionType.SINGLE, 30, "2"),
    ("多项选择题", QuestionType.MULTIPLE, 5, "4"),
    ("判断题", QuestionType.TRUE_FALSE, 20, "1"),
]


def _pass(attempt: Attempt, person: Person, now) -> Attempt:
    """Answer every question right (the demo's earlier exam round)."""
    versions = QuestionVersion.objects.in_bulk(attempt.paper["version_ids"])
    for entry in attempt.paper["questions"]:
        key = versions[entry["version_id"]].answer
        if entry["type"] == QuestionType.TRUE_FALSE:
            value = key
        else:
            value = [k for k, option_id in entry["keys"].items() if option_id in key]
        services.save_answer(
            attempt=attempt, person=person, question_id=entry["question_id"], value=value, seq=1, now=now
        )
    return services.submit_attempt(attempt=attempt, person=person, now=now)


def _ensure_hours(person: Person, year: int) -> None:
    from training.selectors import hours_earned

    earned = hours_earned(person=person, year=year, categories=LEGAL_CATEGORIES)
    if earned < CERT_HOURS:
        HoursEntry.objects.create(
            person=person,
            year=year,
            category=ContentCategory.GENERAL_LAW,
            hours=CERT_HOURS - earned,
            source=HoursSource.CORRECTION,
            reason="demo",
        )


@transaction.atomic
def seed() -> list[str]:
    now = timezone.now()
    today = timezone.localdate()
    added = _bank()
    kind, _ = CredentialType.objects.get_or_create(
        code="enforcement", defaults={"name": "行政执法证", "number_prefix": "JH"}
    )
    _quiz(
        "行政执法基础知识练习",
        [
            ("单选", QuestionType.SINGLE, 5, "2"),
            ("多选", QuestionType.MULTIPLE, 2, "3"),
            ("判断", QuestionType.TRUE_FALSE, 5, "1"),
        ],
        kind=QuizKind.PRACTICE,
        description="随时可练：每题作答后即显示答案与解析。",
        review_policy=ReviewPolicy.IMMEDIATE,
        attempts_allowed=None,
    )
    _quiz(
        f"{today.year}年第四季度平时考核",
        [("单选", QuestionType.SINGLE, 10, "6"), ("判断", QuestionType.TRUE_FALSE, 10, "4")],
        kind=QuizKind.ASSESSMENT,
        description="平时考核：成绩记入年度考核。",
        time_limit_minutes=30,
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=30),
        attempts_allowed=1,
    )
    _quiz(
        f"{today.year}年行政执法资格考试",
        CERT_SECTIONS,
        kind=QuizKind.CERTIFICATION,
        description="通用法律知识。满分100分，60分合格；可补考一次。",
        time_limit_minutes=90,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=14),
        attempts_allowed=2,
        review_policy=ReviewPolicy.NEVER,
        credential_type=kind,
        required_legal_hours=CERT_HOURS,
    )
    demo_officer = Person.objects.filter(user__username="demo-officer").first()
    if demo_officer is not None:
        _ensure_hours(demo_officer, timezone.localdate().year)

    held_at = now - timedelta(days=60)
    earlier, created = _quiz(
        "上一轮行政执法资格考试",
        CERT_SECTIONS,
        kind=QuizKind.CERTIFICATION,
        description="已结束的考试轮次。",
        time_limit_minutes=90,
        opens_at=held_at - timedelta(hours=2),
        closes_at=held_at + timedelta(days=1),
        attempts_allowed=2,
        review_policy=ReviewPolicy.NEVER,
        credential_type=kind,
    )
    granted = 0
    if created:
        officers = list(
            Person.objects.filter(is_enforcement_officer=True, is_active=True, barred_from_credentials=False)
            .exclude(category=Category.AUXILIARY)
            .exclude(user__username="demo-officer")
            .order_by("staff_number")[:6]
        )
        for person in officers:
            attempt, _ = services.start_attempt(person=person, quiz=earlier, now=held_at)
            attempt = _pass(attempt, person, held_at + timedelta(minutes=50))
            if Credential.objects.filter(holder=person, credential_type=kind).exists():
                continue
            credential = services.grant_credential(
                person=person, credential_type=kind, attempt=attempt, actor=None, reason="demo"
            )
            granted += 1
            if granted == 1:  # a card issued years ago, due for renewal within 90 days
                Credential.objects.filter(pk=credential.pk).update(
                    issued_on=today - relativedelta(years=5) + timedelta(days=60),
                    expires_on=today + timedelta(days=59),
                )
    return [f"quizzes: {added} questions added, {Quiz.objects.count()} quizzes, {granted} credentials granted"]
