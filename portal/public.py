"""The public credential page (亮证执法): no login, only what a citizen needs to check."""

from __future__ import annotations

from django.shortcuts import render


def verify(request, key: str):
    return render(request, "portal/public/verify.html", {})
