"""The forced password change after the first login (and whenever the officer wants one)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.forms import FirstPasswordForm
from training.selectors import person_for


@login_required
def password_change(request):
    person = person_for(request.user)
    forced = bool(person is not None and person.must_change_password)
    form = FirstPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)  # this session stays; every other one ends
        messages.success(request, _("密码已修改。"))
        return redirect("portal:home")
    return render(request, "portal/officer/password_change.html", {"form": form, "forced": forced})
