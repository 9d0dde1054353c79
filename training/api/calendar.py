"""A person's sessions as a private iCalendar feed, reached by a secret token that can be rotated."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiTypes, extend_schema
from icalendar import Calendar, Event
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from ..models import CalendarFeed, SessionStatus, TrainingSession
from ..selectors import audience_ids_including
from ..services.calendar import calendar_feed_for, rotate_calendar_token
from .common import require_person


class CalendarOut(serializers.Serializer):
    url = serializers.CharField()


def _feed_url(feed: CalendarFeed) -> str:
    return settings.SITE_URL + reverse("api:calendar-feed", kwargs={"token": feed.token})


class MyCalendarView(APIView):
    @extend_schema(responses={200: CalendarOut}, operation_id="me_calendar")
    def get(self, request):
        return Response({"url": _feed_url(calendar_feed_for(person=require_person(request)))})


class RotateCalendarView(APIView):
    @extend_schema(request=None, responses={200: CalendarOut}, operation_id="me_calendar_rotate")
    def post(self, request):
        feed = rotate_calendar_token(person=require_person(request), actor=request.user)
        return Response({"url": _feed_url(feed)})


class CalendarFeedView(APIView):
    """Anonymous by design (calendar apps cannot log in): the secret token is the credential."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]

    @extend_schema(responses={(200, "text/calendar"): OpenApiTypes.STR}, auth=[], operation_id="calendar_feed")
    def get(self, request, token: str):
        feed = CalendarFeed.objects.select_related("person__department").filter(token=token).first()
        if feed is None:
            raise Http404
        person = feed.person
        sessions = TrainingSession.objects.filter(
            audience_id__in=audience_ids_including(person), starts_at__gte=timezone.now() - timedelta(days=180)
        ).order_by("starts_at")[:500]
        cal = Calendar()
        cal.add("prodid", "-//xuefa//training//ZH")
        cal.add("version", "2.0")
        cal.add("x-wr-calname", "学法培训")
        for s in sessions:
            event = Event()
            event.add("uid", f"session-{s.pk}@xuefa")
            event.add("summary", s.title)
            event.add("dtstart", s.starts_at)
            event.add("dtend", s.ends_at)
            event.add("dtstamp", s.updated_at)
            if s.place:
                event.add("location", s.place)
            if s.online_url:
                event.add("url", s.online_url)
            event.add("status", "CANCELLED" if s.status == SessionStatus.CANCELLED else "CONFIRMED")
            cal.add_component(event)
        response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "private, max-age=300"
        return response
