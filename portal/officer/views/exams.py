"""Exams: the list, starting one, the one-question-per-screen page, the result.

Starting and submitting go through quizzes' services (the page's script saves
each answer through the API, which calls the same service); the result shows
exactly what the API shows the owner, so the review policy holds on both paths.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.errors import DomainError
from portal.officer.errors import message_for
from quizzes import selectors as quiz_selectors
from quizzes import services as quiz_services
from quizzes.api.attempts import attempt_payload
from quizzes.models import Attempt, AttemptStatus, Quiz
from quizzes.services.attempts import limits_for
from training.selectors import person_for


def _person_or_404(request):
    person = person_for(request.user)
    if person is None:
        raise Http404
    return person


def _owned_or_404(request, attempt_id) -> Attempt:
    attempt = quiz_selectors.attempt_for_owner(attempt_id=attempt_id, user=request.user)
    if attempt is None:
        raise Http404
    return attempt


def open_exams_for(person, *, now=None) -> list:
    """The exams a person can start or resume now (for the home page)."""
    now = now or timezone.now()
    return [
        offer
        for offer in quiz_selectors.quizzes_for(person=person, now=now)
        if offer.open_attempt_id
        or (
            (offer.quiz.opens_at is None or offer.quiz.opens_at <= now)
            and offer.attempts_left != 0
            and offer.prerequisites_met
        )
    ]


@login_required
def exam_list(request):
    person = _person_or_404(request)
    offers = quiz_selectors.quizzes_for(person=person, now=timezone.now())
    now = timezone.now()
    return render(
        request,
        "portal/officer/exams.html",
        {
            "offers": offers,
            "now": now,
            "results": _my_results(person),
            "nav": "exams",
        },
    )


def _my_results(person):
    return list(
        Attempt.objects.filter(person=person, status=AttemptStatus.SUBMITTED)
        .select_related("quiz")
        .only("id", "finished_at", "score", "max_score", "percent", "passed", "quiz__title", "quiz__kind")
        .order_by("-finished_at")[:20]
    )


@login_required
@require_POST
def exam_start(request, quiz_id: int):
    person = _person_or_404(request)
    quiz = get_object_or_404(Quiz.objects.select_related("audience"), pk=quiz_id, is_published=True)
    try:
        attempt, _created = quiz_services.start_attempt(
            person=person, quiz=quiz, password=request.POST.get("password") or None
        )
    except DomainError as error:
        messages.error(request, message_for(error))
        return redirect("portal:exams")
    return redirect("portal:attempt", attempt_id=attempt.pk)


@login_required
def attempt_page(request, attempt_id):
    attempt = _owned_or_404(request, attempt_id)
    if attempt.status != AttemptStatus.OPEN:
        return redirect("portal:attempt-result", attempt_id=attempt.pk)
    return render(
        request,
        "portal/officer/attempt.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "api_url": reverse("api:attempt-detail", kwargs={"attempt_id": attempt.pk}),
            "submit_url": reverse("api:attempt-submit", kwargs={"attempt_id": attempt.pk}),
            "texts": _script_texts(),
            # an untimed practice still has a far server deadline; the clock would only distract
            "timed": bool(limits_for(quiz=attempt.quiz, person=attempt.person)[0] or attempt.quiz.closes_at),
            "nav": "exams",
        },
    )


@login_required
def attempt_result(request, attempt_id):
    attempt = _owned_or_404(request, attempt_id)
    if attempt.status == AttemptStatus.OPEN:
        if attempt.deadline >= timezone.now():
            return redirect("portal:attempt", attempt_id=attempt.pk)
        attempt = quiz_services.submit_attempt(attempt=attempt, person=attempt.person)
    payload = attempt_payload(attempt)
    feedback = payload.get("feedback") or {}
    questions = []
    for q in payload["questions"]:
        fb = feedback.get(str(q["question_id"]))
        given = (payload["answers"].get(str(q["question_id"])) or {}).get("value")
        questions.append({"q": q, "feedback": fb, "given": given, "texts": _option_texts(q, given, fb)})
    return render(
        request,
        "portal/officer/attempt_result.html",
        {"attempt": attempt, "quiz": attempt.quiz, "result": payload["result"], "questions": questions, "nav": "exams"},
    )


def _option_texts(question: dict, given, feedback) -> dict:
    """The chosen and the correct options as text (true/false as 对/错)."""

    def text(value):
        if value is None:
            return _("未作答")
        if isinstance(value, bool):
            return _("对") if value else _("错")
        by_key = {o["key"]: o["text"] for o in question["options"]}
        return "；".join(by_key.get(k, "?") for k in value) or _("未作答")

    return {"given": text(given), "correct": text(feedback["correct_value"]) if feedback else ""}


def _script_texts() -> dict:
    return {
        "question_n": _("第 %(n)s 题 / 共 %(total)s 题"),
        "types": {"single": _("单选题：选一项"), "multiple": _("多选题：选所有正确的项"), "true_false": _("判断题")},
        "true_text": _("对"),
        "false_text": _("错"),
        "your_answer": _("您的答案"),
        "map_item": _("第 %(n)s 题"),
        "saved": _("已保存"),
        "not_saved_yet": _("尚未保存"),
        "unanswered": _("未作答"),
        "closed": _("作答已结束"),
        "offline": _("离线：%(n)s 个答案保存在本机，联网后自动提交"),
        "saving": _("正在保存 %(n)s 个答案…"),
        "all_saved": _("全部答案已保存"),
        "storage_full": _("本机无法保存答案，请保持联网。"),
        "load_failed": _("加载失败，正在重试…"),
        "signed_out": _("登录已失效，请在新窗口重新登录，答案仍保存在本机。"),
        "refused": _("服务器拒绝了这个答案："),
        "unanswered_list": _("还有 %(n)s 题未作答："),
        "all_answered": _("全部题目已作答。"),
        "wait_saving": _("还有 %(n)s 个答案正在保存，请稍候（需要联网）。"),
        "submit_failed": _("交卷失败，请检查网络后重试。"),
        "correct": _("回答正确"),
        "wrong": _("回答错误"),
        "answer_is": _("正确答案："),
        "explanation": _("解析："),
        "legal_basis": _("法律依据："),
    }
