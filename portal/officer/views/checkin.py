"""Checking in to a session: the page a scanned QR URL opens, with the code filled in.

The QR code on the projector encodes ``/check-in/<session_id>/?code=<code>``;
opening it only shows the page (a GET never checks in), the officer confirms
with one tap. Typing the code works on the same page and on the start page.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.errors import DomainError
from portal.officer.errors import CHECK_IN, message_for
from training import selectors as training_selectors
from training.models import Attendance, AttendanceStatus, SessionStatus
from training.services.attendance import check_in as check_in_service

# Sessions offered on the start page: those running now or starting within this long.
SOON = timedelta(hours=2)


def _person_or_404(request):
    person = training_selectors.person_for(request.user)
    if person is None:
        raise Http404
    return person


def checkable_now(user, person) -> list:
    """Sessions of the person running now or starting soon (what check-in is offered for)."""
    now = timezone.now()
    return list(
        training_selectors.sessions_visible_to(user, person)
        .filter(status=SessionStatus.SCHEDULED, starts_at__lte=now + SOON, ends_at__gte=now)
        .order_by("starts_at")[:10]
    )


def _attempt(request, session, person, code):
    try:
        attendance = check_in_service(session=session, person=person, code=code)
    except DomainError as error:
        messages.error(request, message_for(error, CHECK_IN))
        return None
    return attendance


@login_required
def check_in_start(request):
    """Type the code: pick the session (preselected when only one is on) and enter the six digits."""
    person = _person_or_404(request)
    sessions = checkable_now(request.user, person)
    if request.method == "POST":
        session_id = request.POST.get("session", "")
        session = next((s for s in sessions if str(s.pk) == session_id), None)
        if session is None:
            messages.error(request, _("请选择要签到的培训。"))
        elif _attempt(request, session, person, request.POST.get("code", "")) is not None:
            return redirect("portal:check-in", session_id=session.pk)
    return render(
        request,
        "portal/officer/check_in_start.html",
        {"sessions": sessions, "nav": "check-in", "code": request.POST.get("code", "")},
    )


@login_required
def check_in(request, session_id: int):
    person = _person_or_404(request)
    session = get_object_or_404(training_selectors.sessions_visible_to(request.user, person), pk=session_id)
    if request.method == "POST" and _attempt(request, session, person, request.POST.get("code", "")) is not None:
        return redirect("portal:check-in", session_id=session.pk)
    attendance = Attendance.objects.filter(session=session, person=person, status=AttendanceStatus.ATTENDED).first()
    return render(
        request,
        "portal/officer/check_in.html",
        {
            "session": session,
            "attendance": attendance,
            "code": request.POST.get("code", request.GET.get("code", ""))[:12],
            "nav": "check-in",
        },
    )
