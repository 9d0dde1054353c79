from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from notifications.selectors import unread_count
from training.roles import roles_of
from training.selectors import person_for

from .forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "person": person_for(request.user),
            "roles": roles_of(request.user),
            "unread": unread_count(request.user),
        },
    )
