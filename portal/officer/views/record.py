"""My record: sessions attended, external records, results, the printable transcript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.errors import DomainError
from portal.forms import ExternalRecordForm
from portal.officer.errors import EXTERNAL_RECORD, message_for
from quizzes import selectors as quiz_selectors
from quizzes.models import Attempt, AttemptStatus
from training import selectors as training_selectors
from training.models import Attendance, AttendanceStatus, ExternalRecord, ExternalStatus, HoursEntry, HoursSource
from training.services.external import submit_external_record


def _person_or_404(request):
    person = training_selectors.person_for(request.user)
    if person is None:
        raise Http404
    return person


def _year(request) -> int:
    """The year asked for, within the years the organisation can have records for."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return this_year
    return year if 2000 <= year <= this_year + 1 else this_year


def _record(person, year: int) -> dict:
    """Everything on the record page and the transcript, in a fixed number of queries."""
    return {
        "attended": list(
            Attendance.objects.filter(person=person, status=AttendanceStatus.ATTENDED, session__starts_at__year=year)
            .select_related("session")
            .order_by("-session__starts_at")
        ),
        "externals": list(ExternalRecord.objects.filter(person=person).order_by("-created_at")[:50]),
        "approved_externals": list(
            ExternalRecord.objects.filter(
                person=person, status=ExternalStatus.APPROVED, completed_on__year=year
            ).order_by("completed_on")
        ),
        "results": list(
            Attempt.objects.filter(person=person, status=AttemptStatus.SUBMITTED, finished_at__year=year)
            .select_related("quiz")
            .only("id", "finished_at", "score", "max_score", "passed", "quiz__title", "quiz__kind")
            .order_by("-finished_at")
        ),
        "corrections": list(
            HoursEntry.objects.filter(person=person, year=year, source=HoursSource.CORRECTION).order_by(
                "created_at", "id"
            )
        ),
        "progress": training_selectors.progress(person=person, year=year),
        "credential": quiz_selectors.credential_for(person=person),
        "year": year,
        "today": timezone.localdate(),
    }


@login_required
def my_record(request):
    person = _person_or_404(request)
    return render(
        request, "portal/officer/record.html", {"person": person, "nav": "record", **_record(person, _year(request))}
    )


@login_required
def external_new(request):
    person = _person_or_404(request)
    form = ExternalRecordForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submit_external_record(
                person=person,
                actor=request.user,
                title=data["title"],
                provider=data["provider"],
                content_category=data["content_category"],
                hours=data["hours"],
                completed_on=data["completed_on"],
                evidence=data["evidence"],
            )
        except DomainError as error:
            form.add_error(None, message_for(error, EXTERNAL_RECORD))
        else:
            messages.success(request, _("已提交，人事部门审核通过后计入学时。"))
            return redirect("portal:record")
    return render(request, "portal/officer/external_new.html", {"form": form, "nav": "record"})


@login_required
def transcript(request):
    """A printable transcript (the browser's print or save-as-PDF makes the PDF)."""
    person = _person_or_404(request)
    return render(
        request,
        "portal/officer/transcript.html",
        {"person": person, "printed_at": timezone.localtime(), **_record(person, _year(request))},
    )
