"""The quizzes demo: a real bank, quizzes demo-officer can take, credentials; idempotent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes import demo
from quizzes.demo_bank import QUESTIONS
from quizzes.models import Attempt, Credential, Question, Quiz, QuizKind
from quizzes.selectors import quizzes_for
from quizzes.services import start_attempt
from training import demo as training_demo
from training.models import Person

pytestmark = pytest.mark.django_db


def test_the_bank_is_complete_and_well_formed():
    stems = [q[1] for q in QUESTIONS]
    assert len(QUESTIONS) >= 150
    assert len(stems) == len(set(stems))
    assert all(q[4] and q[5] for q in QUESTIONS)  # every question has an explanation and a legal basis
    assert {q[6] for q in QUESTIONS} >= {
        "宪法",
        "行政处罚法",
        "行政许可法",
        "行政强制法",
        "行政复议法",
        "行政诉讼法",
        "国家赔偿法",
    }


def test_seed_twice_duplicates_nothing_and_demo_officer_can_start():
    training_demo.seed()
    demo.seed()
    counts = (Question.objects.count(), Quiz.objects.count(), Attempt.objects.count(), Credential.objects.count())

    demo.seed()

    assert (
        Question.objects.count(),
        Quiz.objects.count(),
        Attempt.objects.count(),
        Credential.objects.count(),
    ) == counts
    assert counts[0] == len(QUESTIONS)
    officer = Person.objects.get(user__username="demo-officer")
    offers = {offer.quiz.kind: offer for offer in quizzes_for(person=officer, now=timezone.now())}
    assert offers[QuizKind.CERTIFICATION].prerequisites_met is True
    for kind in (QuizKind.PRACTICE, QuizKind.ASSESSMENT, QuizKind.CERTIFICATION):
        attempt, created = start_attempt(person=officer, quiz=offers[kind].quiz)
        assert created is True
        assert len(attempt.paper["questions"]) > 0
    today = timezone.localdate()
    live = Credential.objects.filter(status="active")
    assert live.count() >= 1
    assert live.filter(expires_on__lte=today + timedelta(days=90), expires_on__gte=today).count() == 1
