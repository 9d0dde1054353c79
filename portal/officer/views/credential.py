"""My credential: number, status, validity and the QR code of its public page."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from quizzes import selectors as quiz_selectors
from training.selectors import person_for


def public_url(credential) -> str:
    """The public page of a credential, as printed in its QR code (SITE_URL, not the request's host)."""
    return settings.SITE_URL + reverse("portal:verify", kwargs={"key": str(credential.public_token)})


def qr_svg(url: str, *, title: str) -> str:
    """The URL as an inline SVG QR code (segno draws it on the server; no image request)."""
    return segno.make(url, error="m").svg_inline(scale=5, border=2, title=title, omitsize=True)


@login_required
def my_credential(request):
    person = person_for(request.user)
    if person is None:
        raise Http404
    credential = quiz_selectors.credential_for(person=person)
    context = {"person": person, "credential": credential, "nav": "credential"}
    if credential is not None:
        today = timezone.localdate()
        url = public_url(credential)
        context.update(
            status=credential.effective_status(today),
            public_url=url,
            qr=mark_safe(qr_svg(url, title=credential.number)),  # noqa: S308 - segno's own SVG, no user HTML
            days_left=(credential.expires_on - today).days,
        )
    return render(request, "portal/officer/credential.html", context)
