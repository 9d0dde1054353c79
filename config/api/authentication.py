from __future__ import annotations

import binascii
from functools import cache
from hmac import compare_digest

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS
from rest_framework import exceptions

INVALID = "Invalid token."


@cache
def _lookup():
    """One statement that reads the token and its user (prepared by psycopg after
    a few uses, with DB_SERVER_SIDE_BINDING), and the field names to build both."""
    token_model, user_model = get_token_model(), get_user_model()
    token_fields = [f.attname for f in token_model._meta.concrete_fields]
    user_fields = [f.attname for f in user_model._meta.concrete_fields]
    quote = connection.ops.quote_name
    columns = [f"t.{quote(f.column)}" for f in token_model._meta.concrete_fields]
    columns += [f"u.{quote(f.column)}" for f in user_model._meta.concrete_fields]
    # Names come from model metadata; the token key is a bound parameter.
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(token_model._meta.db_table)} t "  # noqa: S608
        f"JOIN {quote(user_model._meta.db_table)} u ON u.{quote(user_model._meta.pk.column)} = t.{quote('user_id')} "
        f"WHERE t.{quote('token_key')} = %s"
    )
    return sql, token_fields, user_fields


class DeviceTokenAuthentication(TokenAuthentication):
    """Knox's per-device tokens, read the cheap way; the same rules as knox.

    - One SQL statement reads the token and its user (knox makes an ORM
      query with a join, then another for the user's other tokens on every
      call; this is the hot path of every answer save).
    - An expired token is refused and deleted; the login view deletes the
      user's other expired tokens.
    - A token that is not ASCII is a 401, not a decoding error (a 500).
    """

    def authenticate_credentials(self, token: bytes):
        try:
            text = token.decode("ascii")
            digest = hash_token(text)
        except (UnicodeDecodeError, TypeError, binascii.Error, ValueError):
            raise exceptions.AuthenticationFailed(INVALID) from None
        sql, token_fields, user_fields = _lookup()
        with connection.cursor() as cursor:
            cursor.execute(sql, [text[: CONSTANTS.TOKEN_KEY_LENGTH]])
            rows = cursor.fetchall()
        split = len(token_fields)
        for row in rows:
            auth_token = get_token_model().from_db(connection.alias, token_fields, row[:split])
            if not compare_digest(digest, auth_token.digest):
                continue
            if auth_token.expiry is not None and auth_token.expiry < timezone.now():
                auth_token.delete()
                raise exceptions.AuthenticationFailed(INVALID)
            user = get_user_model().from_db(connection.alias, user_fields, row[split:])
            auth_token.user = user
            return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(INVALID)
