"""My record: sessions attended, external records, results, the printable transcript."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def my_record(request):
    return render(request, "portal/officer/record.html", {"nav": "record"})


@login_required
def external_new(request):
    return render(request, "portal/officer/record.html", {"nav": "record"})


@login_required
def transcript(request):
    return render(request, "portal/officer/record.html", {"nav": "record"})
