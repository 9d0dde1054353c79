"""My credential: number, status, validity and the QR code of its public page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def my_credential(request):
    return render(request, "portal/officer/credential.html", {"nav": "credential"})
