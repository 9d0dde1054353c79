"""The start password (考试口令) of a quiz, stored salted and hashed.

It is a short-lived word read out in the exam room and checked at every
start, when thousands start at once: a salted SHA-256 compared in constant
time keeps that cheap, where a login-strength key derivation per start
would be the bottleneck of the exam.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


def hash_start_password(password: str) -> str:
    if not password:
        return ""
    salt = secrets.token_hex(8)
    digest = hashlib.sha256(f"{salt}:{password}".encode()).hexdigest()
    return f"sha256${salt}${digest}"


def check_start_password(password: str, stored: str) -> bool:
    try:
        _, salt, digest = stored.split("$", 2)
    except ValueError:
        return False
    candidate = hashlib.sha256(f"{salt}:{password}".encode()).hexdigest()
    return hmac.compare_digest(candidate, digest)
