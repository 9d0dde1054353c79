"""API routes of the portal (reports that join the apps)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
