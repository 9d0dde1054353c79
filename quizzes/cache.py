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
from django.db import connection, transaction

TTL = 6 * 3600


def _generation_key() -> str:
    # The database's name is part of the key: two databases sharing one cache
    # (test runs, benchmarks) never read each other's lists.
    return f"quizzes:bank-generation:{connection.settings_dict['NAME']}"


def generation() -> str:
    key = _generation_key()
    value = cache.get(key)
    if value is None:
        value = uuid.uuid4().hex
        if not cache.add(key, value, timeout=None):
            value = cache.get(key) or value
    return value


def bank_changed() -> None:
    """Call inside the transaction that changed the bank: the new generation applies after commit."""
    key = _generation_key()
    transaction.on_commit(lambda: cache.set(key, uuid.uuid4().hex, timeout=None))


def section_key(*, question_type: str, tags: list[str], generation_value: str | None = None) -> str:
    digest = hashlib.sha1(  # noqa: S324 - a cache key, not a secret
        json.dumps([question_type, sorted(tags)], ensure_ascii=False).encode()
    ).hexdigest()[:16]
    return f"quizzes:candidates:{generation_value or generation()}:{digest}"


def candidate_ids(*, question_type: str, tags: list[str]) -> list[int]:
    """Ids of the active questions of a type carrying any of the tags (all, with no tags)."""
    key = section_key(question_type=question_type, tags=tags)
    ids = cache.get(key)
    if ids is None:
        from .selectors.bank import active_question_ids

        ids = active_question_ids(question_type=question_type, tags=tags)
        cache.set(key, ids, timeout=TTL)
    return ids


def candidate_ids_for(sections: list[tuple[str, list[str]]]) -> list[list[int]]:
    """``candidate_ids`` of several sections in two cache reads (the generation, then all lists)."""
    current = generation()
    keys = [section_key(question_type=t, tags=tags, generation_value=current) for t, tags in sections]
    found = cache.get_many(keys)
    result = []
    for key, (question_type, tags) in zip(keys, sections, strict=True):
        ids = found.get(key)
        if ids is None:
            from .selectors.bank import active_question_ids

            ids = active_question_ids(question_type=question_type, tags=tags)
            cache.set(key, ids, timeout=TTL)
        result.append(ids)
    return result
