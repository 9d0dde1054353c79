"""Shared fixtures: the services in use, API clients, and the small world
every access test runs in (two departments, two officers, HR here and
elsewhere, an admin)."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import connection
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.training.factories import DepartmentFactory, PersonFactory, UserFactory
from training.roles import ADMIN, HR

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
ON_REDIS = bool(os.environ.get("REDIS_URL"))

ROLES = ("anonymous", "officer", "other_officer", "hr_elsewhere", "hr_here", "admin")


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL or run PostgreSQL on 127.0.0.1:5432")
    skip_redis = pytest.mark.skip(reason="needs Redis: set REDIS_URL or run Redis on 127.0.0.1:6379")
    for item in items:
        if "postgres" in item.keywords and not ON_POSTGRES:
            item.add_marker(skip_pg)
        if "redis" in item.keywords and not ON_REDIS:
            item.add_marker(skip_redis)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


@dataclass
class World:
    root: object
    here: object  # the officers' department
    elsewhere: object
    officer: object  # a Person
    other_officer: object
    hr_here: object
    hr_elsewhere: object
    admin: object

    def user(self, role: str):
        if role == "anonymous":
            return None
        return getattr(self, role).user

    def client(self, role: str) -> APIClient:
        """A client that authenticates as the role does on a phone: a real device token,
        plus a logged-in session for the pages."""
        client = APIClient()
        user = self.user(role)
        if user is not None:
            _, token = AuthToken.objects.create(user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
            client.force_login(user)
        return client


@pytest.fixture
def world(db) -> World:
    root = DepartmentFactory(name="金湖街道", code="ROOT")
    here = DepartmentFactory(name="综合执法中心", code="HERE", parent=root)
    elsewhere = DepartmentFactory(name="市场监管所", code="ELSE", parent=root)
    officer = PersonFactory(
        name="李明", staff_number="W0001", department=here, is_enforcement_officer=True, user__username="officer"
    )
    other = PersonFactory(name="王芳", staff_number="W0002", department=here, user__username="other_officer")
    hr_here = PersonFactory(
        name="赵敏",
        staff_number="W0003",
        department=here,
        scope_department=here,
        user=UserFactory(username="hr_here", roles=[HR]),
    )
    hr_elsewhere = PersonFactory(
        name="周强",
        staff_number="W0004",
        department=elsewhere,
        scope_department=elsewhere,
        user=UserFactory(username="hr_elsewhere", roles=[HR]),
    )
    admin = PersonFactory(
        name="陈杰", staff_number="W0005", department=root, user=UserFactory(username="admin", roles=[ADMIN])
    )
    return World(root, here, elsewhere, officer, other, hr_here, hr_elsewhere, admin)


@pytest.fixture
def count_queries():
    """Run a callable and return how many SQL queries it made."""
    from django.test.utils import CaptureQueriesContext

    def run(fn, *args, **kwargs):
        with CaptureQueriesContext(connection) as ctx:
            fn(*args, **kwargs)
        return len(ctx.captured_queries)

    return run


@pytest.fixture
def scoped_admin_client(world, client):
    """Log in world.admin to the Django admin, limited to ``scope`` (None: the whole organisation)."""
    from django.contrib.auth.models import Permission

    def login(*, scope):
        user = world.admin.user
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["training", "quizzes"]))
        world.admin.scope_department = scope
        world.admin.save(update_fields=["scope_department"])
        client.force_login(user)
        return client

    return login
