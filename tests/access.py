"""The access matrix: every route × every kind of caller → the expected status.

Each package's rows live in ``tests/<package>/access_rows.py`` as ``ROWS``.
``tests/test_access_matrix.py`` runs every cell and fails for any route
that has no row. A row's ``setup`` builds what the route needs in the
``world`` fixture and returns the URL kwargs (and may stash objects in
``ctx`` for ``body``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROLES = ("anonymous", "officer", "other_officer", "hr_elsewhere", "hr_here", "admin")


def expect(anonymous: int, officer: int, other_officer: int, hr_elsewhere: int, hr_here: int, admin: int) -> dict:
    return dict(zip(ROLES, (anonymous, officer, other_officer, hr_elsewhere, hr_here, admin), strict=True))


@dataclass
class Row:
    """One route and method; ``name`` is the URL name ("api:me", "portal:home")."""

    name: str
    method: str
    expected: dict[str, int]
    setup: Callable[[Any, dict], dict] = lambda world, ctx: {}
    body: Callable[[Any, dict], Any] | None = None
    format: str = "json"
    query: str = ""
    label: str = ""
    follow: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}{' ' + self.label if self.label else ''}"
