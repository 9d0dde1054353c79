"""The production stack, natively: gunicorn, a Celery worker and Celery beat on
PostgreSQL and Redis, behind a TLS-terminating proxy (X-Forwarded-Proto)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.training.factories import PersonFactory

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.stack, pytest.mark.django_db(transaction=True)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def call(url: str, *, method: str = "GET", body: dict | None = None, headers: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})}
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def stack(tmp_path):
    settings = connection.settings_dict
    env = dict(os.environ)
    env.update(
        XUEFA_ENV="production",
        SECRET_KEY="stack-test-" + "s" * 60,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DEMO_PASSWORD="not-the-demo-password",
        DATABASE_URL=f"postgres://{settings['USER'] or 'postgres'}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}",
        XUEFA_VAR_DIR=str(tmp_path),
        DEBUG="false",
    )
    port = free_port()
    logs = {name: open(tmp_path / f"{name}.log", "w") for name in ("web", "worker", "beat")}  # noqa: SIM115
    procs = {
        "web": subprocess.Popen(
            [BIN / "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            cwd=ROOT,
            env=env,
            stdout=logs["web"],
            stderr=subprocess.STDOUT,
            start_new_session=True,
        ),
        "worker": subprocess.Popen(
            [BIN / "celery", "-A", "config", "worker", "-l", "info", "--concurrency", "1", "-n", f"stack{port}@%h"],
            cwd=ROOT,
            env=env,
            stdout=logs["worker"],
            stderr=subprocess.STDOUT,
            start_new_session=True,
        ),
        "beat": subprocess.Popen(
            [BIN / "celery", "-A", "config", "beat", "-l", "info", "--pidfile=", "-s", str(tmp_path / "beat")],
            cwd=ROOT,
            env=env,
            stdout=logs["beat"],
            stderr=subprocess.STDOUT,
            start_new_session=True,
        ),
    }
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        dead = [name for name, proc in procs.items() if proc.poll() is not None]
        if dead:
            for log in logs.values():
                log.flush()
            pytest.fail(f"{dead} exited: " + (tmp_path / f"{dead[0]}.log").read_text()[-2000:])
        try:
            if call(f"{base}/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.3)
    yield {"base": base, "env": env, "procs": procs, "logs": tmp_path}
    for proc in procs.values():
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs.values():
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    for log in logs.values():
        log.close()


def test_the_api_answers_through_gunicorn_behind_tls(stack):
    person = PersonFactory(user__username="stack.officer", name="孙丽")
    # Production settings keep only PBKDF2, so hash the password the way they check it.
    person.user.password = PBKDF2PasswordHasher().encode("stack-pass-123", "stacksalt0123456")
    person.user.save(update_fields=["password"])
    https = {"X-Forwarded-Proto": "https"}
    base = stack["base"]

    status, headers, _ = call(f"{base}/api/v1/me/")
    assert status == 301  # plain http is sent to https
    assert headers["Location"] == f"https://127.0.0.1:{base.rsplit(':', 1)[1]}/api/v1/me/"

    status, headers, body = call(
        f"{base}/api/v1/auth/token/",
        method="POST",
        body={"username": "stack.officer", "password": "stack-pass-123"},
        headers=https,
    )
    assert status == 200, body
    assert len(headers["X-Request-ID"]) == 32
    token = json.loads(body)["token"]

    status, _, body = call(f"{base}/api/v1/me/", headers={**https, "Authorization": f"Token {token}"})
    assert status == 200
    assert json.loads(body)["person"]["name"] == "孙丽"

    status, headers, _ = call(f"{base}/healthz", headers=https)
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_the_worker_answers_and_beat_installs_its_schedule(stack):
    from django_celery_beat.models import PeriodicTask

    probe = subprocess.run(
        [BIN / "celery", "-A", "config", "inspect", "ping", "--timeout", "5"],
        cwd=ROOT,
        env=stack["env"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    deadline = time.monotonic() + 60
    while probe.returncode != 0 and time.monotonic() < deadline:
        time.sleep(1)
        probe = subprocess.run(
            [BIN / "celery", "-A", "config", "inspect", "ping", "--timeout", "5"],
            cwd=ROOT,
            env=stack["env"],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert probe.returncode == 0, probe.stdout + probe.stderr
    assert "pong" in probe.stdout

    deadline = time.monotonic() + 60
    while not PeriodicTask.objects.filter(name="celery.backend_cleanup").exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert PeriodicTask.objects.filter(name="celery.backend_cleanup").exists()
    assert all(proc.poll() is None for proc in stack["procs"].values())
