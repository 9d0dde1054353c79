"""The demo data of every app, seeded in the order of the arrows."""

from __future__ import annotations

from django.conf import settings

from quizzes import demo as quizzes_demo
from training import demo as training_demo


def seed_all() -> list[str]:
    accounts = training_demo.seed()
    lines = [f"demo organisation: {len(accounts)} accounts"]
    lines += [f"  {username} / {settings.DEMO_PASSWORD}" for username in accounts]
    lines += quizzes_demo.seed()
    return lines
