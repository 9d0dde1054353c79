"""Production settings refuse what would be unsafe; each check imports the
settings in a fresh interpreter with the environment under test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 20 + "-a-long-random-production-secret-key-0123456789"


def load_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEMO_PASSWORD", "DEBUG"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print('loaded', s.PRODUCTION)"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_starts_with_a_real_key_hosts_and_password():
    result = load_settings(
        XUEFA_ENV="production", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="xuefa.example.org", DEMO_PASSWORD="another-one"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "loaded True"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "xuefa.example.org", "DEMO_PASSWORD": "x-other"}, "production needs SECRET_KEY"),
        (
            {"SECRET_KEY": "short", "ALLOWED_HOSTS": "xuefa.example.org", "DEMO_PASSWORD": "x-other"},
            "production needs SECRET_KEY",
        ),
        ({"SECRET_KEY": GOOD_KEY, "DEMO_PASSWORD": "x-other"}, "production needs ALLOWED_HOSTS"),
        ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "*", "DEMO_PASSWORD": "x-other"}, "production needs ALLOWED_HOSTS"),
        ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "xuefa.example.org"}, "production refuses the demo password"),
        (
            {"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "xuefa.example.org", "DEMO_PASSWORD": "xuefa-demo"},
            "production refuses the demo password",
        ),
        (
            {"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "h", "DEMO_PASSWORD": "x-other", "DEBUG": "true"},
            "production refuses DEBUG",
        ),
    ],
    ids=[
        "no key",
        "short key",
        "no hosts",
        "wildcard host",
        "default demo password",
        "explicit demo password",
        "debug",
    ],
)
def test_production_refuses_unsafe_settings(env, message):
    result = load_settings(XUEFA_ENV="production", **env)
    assert result.returncode == 1
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_unknown_environment_is_refused():
    result = load_settings(XUEFA_ENV="staging")
    assert result.returncode == 1
    assert "XUEFA_ENV must be development, test or production" in result.stderr


def test_development_defaults_to_sqlite_in_wal_mode_with_immediate_transactions(tmp_path):
    script = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup();"
        "from django.db import connection; c=connection.cursor();"
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]);"
        "c.execute('PRAGMA busy_timeout'); print(c.fetchone()[0]);"
        "print(connection.transaction_mode)"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CACHE_URL"}}
    env.update(XUEFA_ENV="development", XUEFA_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "20000", "IMMEDIATE"]
