"""Every route, every kind of caller, the expected status; a route without a row fails."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.access import ROLES, Row

EXCLUDED_NAMESPACES = {"admin"}  # Django's own admin: staff only, tested by Django
EXCLUDED_NAMES = {"set_language"}  # Django's language switch (a form post from every page)


def _all_rows() -> list[Row]:
    rows: list[Row] = list(importlib.import_module("tests.access_rows").ROWS)
    for package in pkgutil.iter_modules(tests.__path__):
        if not package.ispkg:
            continue
        folder = importlib.import_module(f"tests.{package.name}")
        for module in pkgutil.iter_modules(folder.__path__):
            if module.name.startswith("access_rows"):
                rows += importlib.import_module(f"tests.{package.name}.{module.name}").ROWS
    return rows


ROWS = _all_rows()


def _route_names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    resolver = resolver or get_resolver()
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace
            if namespace in EXCLUDED_NAMESPACES:
                continue
            names |= _route_names(pattern, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                names.add(f"{prefix}<unnamed {pattern.pattern}>")
            elif pattern.name not in EXCLUDED_NAMES:
                names.add(prefix + pattern.name)
    return names


def test_every_route_has_a_row():
    covered = {row.name for row in ROWS}
    missing = sorted(_route_names() - covered)
    assert missing == []


def test_every_row_names_a_route():
    assert sorted({row.name for row in ROWS} - _route_names()) == []


CELLS = [pytest.param(row, role, id=f"{row.id} as {role}") for row in ROWS for role in ROLES]


@pytest.mark.parametrize(("row", "role"), CELLS)
def test_access(world, row: Row, role: str):
    ctx: dict = {}
    kwargs = row.setup(world, ctx)
    url = reverse(row.name, kwargs=kwargs) + (f"?{row.query}" if row.query else "")
    client = world.client(role)
    body = row.body(world, ctx) if row.body else None
    call = getattr(client, row.method)
    if row.method == "get":
        response = call(url, follow=row.follow)
    else:
        response = call(url, body, format=row.format) if row.format != "multipart" else call(url, body)
    assert response.status_code == row.expected[role], getattr(response, "content", b"")[:300]
