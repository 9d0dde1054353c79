"""My reminders (the inbox) and which outbound channels they take."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.errors import DomainError
from notifications import services as notification_services
from notifications.selectors import channel_settings, inbox, unread_count

PAGE = 50


@login_required
def reminders(request):
    if request.method == "POST":
        choices = [
            {
                "channel": row["channel"],
                "enabled": request.POST.get(f"channel-{row['channel']}") == "on",
                "address": request.POST.get(f"address-{row['channel']}", "").strip(),
            }
            for row in channel_settings(request.user)
            if row["configurable"] and row["available"]
        ]
        try:
            notification_services.set_channel_preferences(user=request.user, choices=choices)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("提醒方式已保存。"))
        return redirect("portal:reminders")
    return render(
        request,
        "portal/officer/reminders.html",
        {
            "notifications": list(inbox(request.user)[:PAGE]),
            "unread": unread_count(request.user),
            "channels": channel_settings(request.user),
            "nav": "home",
        },
    )


@login_required
@require_POST
def mark_read(request, notification_id):
    try:
        notification = notification_services.mark_read(user=request.user, notification_id=notification_id)
    except DomainError as error:
        raise Http404 from error
    target = notification.url
    if (
        request.POST.get("open")
        and target
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        return redirect(target)
    return redirect("portal:reminders")
