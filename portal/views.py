from datetime import timedelta

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from notifications.selectors import inbox, unread_count
from training import selectors as training_selectors
from training.roles import roles_of
from training.selectors import person_for
from training.services.attendance import WINDOW_BEFORE as CHECK_IN_WINDOW_BEFORE

from .forms import LoginForm
from .officer.views.checkin import checkable_now
from .officer.views.exams import open_exams_for

UPCOMING = timedelta(days=30)


class LoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def home(request):
    """The officer's start page: this year's progress per rule, what is coming, what is unread."""
    person = person_for(request.user)
    year = timezone.localdate().year
    context = {
        "person": person,
        "roles": roles_of(request.user),
        "unread": unread_count(request.user),
        "latest": list(inbox(request.user).filter(read_at__isnull=True)[:3]),
        "year": year,
        "nav": "home",
        # sessions starting before this are open for check-in already
        "check_in_opens_before": timezone.now() + CHECK_IN_WINDOW_BEFORE,
    }
    if person is not None:
        context["progress"] = training_selectors.progress(person=person, year=year)
        context["upcoming"] = list(training_selectors.upcoming_sessions_for(person=person, within=UPCOMING)[:5])
        context["checkable"] = checkable_now(request.user, person)
        context["exams"] = open_exams_for(person)
    return render(request, "portal/home.html", context)
