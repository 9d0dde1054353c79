"""Logging in: the lockout after repeated failures, and the audit of each failure.

Both the token login of the API and the session login of the pages call
``authenticate_or_refuse``, so the lockout holds on every path.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.db import transaction
from knox.models import AuthToken

from audit.errors import DomainError
from audit.services import record

from .models import Person
from .roles import ADMIN, HR, has_role


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


def change_password(*, user, new_password: str):
    """Set a user's new password and lift the first-login demand to change it.

    Every API token of the user ends and other sessions stop matching the new
    password hash (OWASP ASVS V3.3: sessions invalidated on password change);
    the caller keeps its own session with ``update_session_auth_hash``. The
    password is never written to the audit entry.
    """
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        Person.objects.filter(user=user, must_change_password=True).update(must_change_password=False)
        ended = AuthToken.objects.filter(user=user).delete()[0]
        record(actor=user, action="password_changed", target=user, after={"tokens_ended": ended})
    person = getattr(user, "person", None)  # a missing person raises an AttributeError subclass
    if person is not None:
        person.must_change_password = False
    return user


def reset_password(*, person, actor) -> str:
    """Give a person a new one-time password and demand a change at the next login.

    HR reset passwords for people in their scope (DESIGN.md, roles); the
    caller checks the scope. Every API token of the user ends, the new
    password is returned once to be handed over and never stored in the audit
    entry.
    """
    if person.user_id is None:
        raise DomainError("This person has no account.", code="no_account")
    # HR hand out passwords to officers; only an admin resets an HR or admin account, and
    # nobody resets their own here (that is the password change, which asks for the old one).
    if person.user_id == getattr(actor, "pk", None) or (
        has_role(person.user, HR, ADMIN) and not has_role(actor, ADMIN)
    ):
        raise DomainError("You may not reset this password.", code="password_reset_not_allowed", status=403)
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    one_time = "".join(secrets.choice(alphabet) for _ in range(12))
    with transaction.atomic():
        user = person.user
        user.set_password(one_time)
        user.save(update_fields=["password"])
        Person.objects.filter(pk=person.pk).update(must_change_password=True)
        ended = AuthToken.objects.filter(user=user).delete()[0]
        record(actor=actor, action="password_reset", target=user, after={"tokens_ended": ended})
    person.must_change_password = True
    return one_time
