"""Reminder texts from templates: ``notifications/<kind>.txt``, the title on the
first line, the body after it (Chinese first, translatable)."""

from __future__ import annotations

from django.template.loader import get_template


def render_message(kind: str, context: dict) -> tuple[str, str]:
    text = get_template(f"notifications/{kind}.txt").render(context)
    title, _, body = text.strip().partition("\n")
    return title.strip()[:200], body.strip()
