"""The cached candidate question ids of each blueprint section.

A start draws from these ids (``random.sample``) instead of scanning the bank,
so everyone pressing "start" at the same second costs one small cache read
each. Any change to the bank bumps a generation number that is part of every
key, so a stale list is never read again (and simply expires).
"""

from __future__ import annotations

import hashlib
import json
import uuid

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "quizzes:bank-generation"
TTL = 6 * 3600


def generation() -> str:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, value, timeout=None):
            value = cache.get(GENERATION_KEY) or value
    return value


def bank_changed() -> None:
    """Call inside the transaction that changed the bank: the new generation applies after commit."""
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None))


def section_key(*, question_type: str, tags: list[str]) -> str:
    digest = hashlib.sha1(  # noqa: S324 - a cache key, not a secret
        json.dumps([question_type, sorted(tags)], ensure_ascii=False).encode()
    ).hexdigest()[:16]
    return f"quizzes:candidates:{generation()}:{digest}"


def candidate_ids(*, question_type: str, tags: list[str]) -> list[int]:
    """Ids of the active questions of a type carrying any of the tags (all, with no tags)."""
    key = section_key(question_type=question_type, tags=tags)
    ids = cache.get(key)
    if ids is None:
        from .selectors.bank import active_question_ids

        ids = active_question_ids(question_type=question_type, tags=tags)
        cache.set(key, ids, timeout=TTL)
    return ids
