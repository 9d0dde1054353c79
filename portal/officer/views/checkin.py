"""Checking in to a session: the page a scanned QR URL opens, with the code filled in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def check_in_start(request):
    return render(request, "portal/officer/check_in.html", {"nav": "check-in"})


@login_required
def check_in(request, session_id: int):
    return render(request, "portal/officer/check_in.html", {"nav": "check-in", "code": request.GET.get("code", "")})
