"""Exams: the list, starting one, the one-question-per-screen page, the result."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def exam_list(request):
    return render(request, "portal/officer/exams.html", {"nav": "exams"})


@login_required
def exam_start(request, quiz_id: int):
    return render(request, "portal/officer/exams.html", {"nav": "exams"})


@login_required
def attempt_page(request, attempt_id):
    return render(request, "portal/officer/exams.html", {"nav": "exams"})


@login_required
def attempt_result(request, attempt_id):
    return render(request, "portal/officer/exams.html", {"nav": "exams"})
