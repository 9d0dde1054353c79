"""Logging in: the lockout after repeated failures, and the audit of each failure.

Both the token login of the API and the session login of the pages call
``authenticate_or_refuse``, so the lockout holds on every path.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache

from audit.errors import DomainError
from audit.services import record


class LoginLocked(DomainError):
    code = "login_locked"
    status = 429
    default_message = "Too many failed logins; try again later."


class BadCredentials(DomainError):
    code = "not_authenticated"
    status = 401
    default_message = "Unable to log in with the given username and password."


def _key(username: str) -> str:
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return f"login-failures:{digest}"


def authenticate_or_refuse(*, request, username: str, password: str):
    """Return the user for good credentials.

    Refuse with ``login_locked`` (429) after LOGIN_FAILURE_LIMIT failures for a
    user name within LOGIN_FAILURE_WINDOW seconds, even for the right password;
    every failure writes an audit entry without the password (ASVS V7).
    """
    key = _key(username)
    failures = cache.get(key, 0)
    if failures >= settings.LOGIN_FAILURE_LIMIT:
        raise LoginLocked(detail={"retry_after": settings.LOGIN_FAILURE_WINDOW})
    user = authenticate(request, username=username, password=password)
    if user is None:
        try:
            failures = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW)
            failures = 1
        record(
            actor=None,
            action="login_failed",
            target_type="auth.user",
            target_id=username[:64],
            after={"failures": failures},
        )
        raise BadCredentials()
    cache.delete(key)
    return user
