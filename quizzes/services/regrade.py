"""Regrade: fix a wrong answer key and recompute every attempt that showed the question."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record

from ..errors import invalid
from ..grading import grade
from ..models import Attempt, AttemptStatus, QuestionType, QuestionVersion, Regrade
from .attempts import _keys_for, answers_of


def regrade_question(*, version: QuestionVersion, answer, actor, reason: str) -> list[Regrade]:
    """Correct the answer key of a version and recompute the submitted attempts that showed it.

    The key is corrected in place (what the paper showed is unchanged; only
    the judgement was wrong); each attempt keeps its old and new score in a
    Regrade row and an audit entry.
    """
    if not reason.strip():
        raise invalid("validation_error", _("请填写原因"), detail={"reason": [_("必填")]})
    with transaction.atomic():
        version = QuestionVersion.objects.select_for_update(of=("self",)).select_related("question").get(pk=version.pk)
        ids = {o["id"] for o in version.options}
        if version.question.type == QuestionType.TRUE_FALSE:
            if not isinstance(answer, bool):
                raise invalid("validation_error", _("判断题答案须为 true 或 false"), detail={"answer": ["bool"]})
        elif not isinstance(answer, list) or not answer or not set(answer) <= ids:
            raise invalid("validation_error", _("答案须为该题的选项"), detail={"answer": [_("无效")]})
        else:
            answer = sorted(set(answer))
        before = {"answer": version.answer}
        version.answer = answer
        version.save(update_fields=["answer"])
        record(
            actor=actor,
            action="quizzes.answer_key_fixed",
            target=version,
            before=before,
            after={"answer": answer},
            reason=reason,
        )
        from ..selectors.bank import attempts_showing

        regrades = []
        attempts = attempts_showing(version).filter(status=AttemptStatus.SUBMITTED).select_related("quiz")
        for attempt in attempts.select_for_update(of=("self",)):
            values = {qid: a["value"] for qid, a in answers_of(attempt).items()}
            score, _max_score, percent, passed, marks = grade(
                paper=attempt.paper,
                answers=values,
                keys=_keys_for(attempt),
                partial_credit=attempt.quiz.partial_credit,
                pass_mark=attempt.quiz.pass_mark,
            )
            regrade = Regrade.objects.create(
                attempt=attempt,
                version=version,
                old_score=attempt.score or Decimal("0"),
                new_score=score,
                old_passed=bool(attempt.passed),
                new_passed=passed,
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                reason=reason,
            )
            record(
                actor=actor,
                action="quizzes.attempt_regraded",
                target=attempt,
                before={"score": str(attempt.score), "passed": attempt.passed},
                after={"score": str(score), "passed": passed},
                reason=reason,
            )
            Attempt.objects.filter(pk=attempt.pk).update(score=score, percent=percent, passed=passed, marks=marks)
            regrades.append(regrade)
    return regrades
