"""The refusals of the quizzes app, each with its stable code (API.md, errors)."""

from __future__ import annotations

from audit.errors import DomainError, InvalidInput


def refuse(code: str, message: str, *, detail=None, status: int = 409) -> DomainError:
    """A 409 (unless told): a rule or the object's state refuses the request."""
    return DomainError(message, code=code, detail=detail, status=status)


def invalid(code: str, message: str, *, detail=None) -> InvalidInput:
    """A 400: the request does not fit what it addresses."""
    return InvalidInput(message, code=code, detail=detail)
