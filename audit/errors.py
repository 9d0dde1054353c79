"""The one exception type every service raises when a rule refuses a request.

It lives in the lowest package so that every app (and the API's exception
handler in config) can use it without an import running against the arrows.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule or an object's state refuses the request.

    ``code`` is stable and machine-readable (tests assert it); ``status`` is
    the HTTP status the API answers with (409 unless a subclass says otherwise).
    """

    code: str = "conflict"
    status: int = 409
    default_message: str = "The request conflicts with a rule."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        status: int | None = None,
        detail: Any = None,
    ) -> None:
        self.message = str(message or self.default_message)
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.detail = detail
        super().__init__(self.message)


class InvalidInput(DomainError):
    """Well-formed JSON whose content a rule rejects as a whole (400)."""

    code = "validation_error"
    status = 400
    default_message = "The request is invalid."
