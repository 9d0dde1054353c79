"""Writes of the quizzes app (see each module)."""

from .attempts import extend_open_attempts, save_answer, start_attempt, submit_attempt, submit_expired_attempts
from .bank import QuestionData, create_question, import_questions, update_question
from .credentials import (
    grant_credential,
    record_expired_credentials,
    renew_credential,
    revoke_credential,
    surrender_credential,
    suspend_credential,
)
from .regrade import regrade_question

__all__ = [
    "QuestionData",
    "create_question",
    "extend_open_attempts",
    "grant_credential",
    "import_questions",
    "record_expired_credentials",
    "regrade_question",
    "renew_credential",
    "revoke_credential",
    "save_answer",
    "start_attempt",
    "submit_attempt",
    "submit_expired_attempts",
    "surrender_credential",
    "suspend_credential",
    "update_question",
]
