"""The public credential page (亮证执法): no login, only what a citizen needs to check.

Shows number, name, type, domain, status and validity — nothing else about
the holder. The status is computed (expired once the validity has passed,
whether or not the nightly job has run).
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from quizzes import selectors as quiz_selectors


class PublicPageThrottle(SimpleRateThrottle):
    """The same rate per client as the public credential API (THROTTLE_PUBLIC), so numbers
    cannot be enumerated faster through the page than through the API."""

    scope = "public_credential"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": f"page:{self.get_ident(request)}"}


def verify(request, key: str):
    if not PublicPageThrottle().allow_request(request, None):
        return render(request, "portal/public/verify.html", {"throttled": True}, status=429)
    credential = quiz_selectors.public_credential(key.strip()[:64])
    if credential is None:
        return render(request, "portal/public/verify.html", {"key": key[:64]}, status=404)
    today = timezone.localdate()
    return render(
        request,
        "portal/public/verify.html",
        {
            "card": {
                "number": credential.number,
                "name": credential.holder.name,
                "credential_type": credential.credential_type.name,
                "domain": credential.domain,
                "status": credential.effective_status(today),
                "valid_from": credential.issued_on,
                "valid_until": credential.expires_on,
            },
            "today": today,
        },
    )
