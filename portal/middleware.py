"""Pages wait until a first-login password has been changed."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse

# Paths a person who must change the password may still reach: the change
# page itself, logging out, the language switch, static files and the API
# (API clients get the rule from their own login, not from a page redirect).
OPEN_PREFIXES = ("/static/", "/api/", "/i18n/", "/verify/", "/healthz")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and _must_change(user):
            allowed = {reverse("portal:password-change"), reverse("portal:logout"), reverse("portal:login")}
            if request.path not in allowed and not request.path.startswith(OPEN_PREFIXES):
                return redirect("portal:password-change")
        return self.get_response(request)


def _must_change(user) -> bool:
    person = getattr(user, "person", None)  # a missing person raises an AttributeError subclass
    return bool(person is not None and person.must_change_password)
