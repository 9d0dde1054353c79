"""Reads of the quizzes app that other code may rely on (see each module)."""

from .attempts import attempt_for_owner, results_for
from .credentials import (
    credential_for,
    credentials_expiring_between,
    credentials_visible_to,
    public_credential,
)
from .quizzes import (
    audience_covers,
    people_without_attempt,
    quizzes_for,
    quizzes_with_window_closing_between,
    quizzes_with_window_opening_between,
)
from .reports import annual_figures, credential_status_for_people, latest_results_for_people

__all__ = [
    "annual_figures",
    "attempt_for_owner",
    "audience_covers",
    "credential_for",
    "credential_status_for_people",
    "credentials_expiring_between",
    "credentials_visible_to",
    "latest_results_for_people",
    "people_without_attempt",
    "public_credential",
    "quizzes_for",
    "quizzes_with_window_closing_between",
    "quizzes_with_window_opening_between",
    "results_for",
]
