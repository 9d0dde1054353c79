"""Reminder texts from templates: ``notifications/<kind>.txt``, the title on the
first line, the body after it (Chinese first, translatable)."""

from __future__ import annotations

from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse


def render_message(kind: str, context: dict) -> tuple[str, str]:
    text = get_template(f"notifications/{kind}.txt").render(context)
    title, _, body = text.strip().partition("\n")
    return title.strip()[:200], body.strip()


def link(name: str, **kwargs) -> str:
    """The path of a named page for a reminder's link, or "" where the page does not exist."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""
