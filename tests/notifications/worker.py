"""A real Celery worker in a subprocess, pointed at the pytest test database and a Redis.

Used by the integration tests (marked ``redis`` and ``postgres``, run with
``django_db(transaction=True)`` so the worker sees what the test commits).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def test_database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@dataclass
class Worker:
    process: subprocess.Popen
    lines: list[str] = field(default_factory=list)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, text: str, *, timeout: float = 60, after: int = 0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in self.lines[after:]):
                return True
            if self.process.poll() is not None:
                return False
            time.sleep(0.1)
        return False


def until(predicate, *, timeout: float = 30, interval: float = 0.2):
    """Poll ``predicate`` until it returns something truthy; return its last value."""
    deadline = time.monotonic() + timeout
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = predicate()
    return value


@contextmanager
def celery_worker(*, broker_url: str | None = None, env: dict[str, str] | None = None) -> Iterator[Worker]:
    """Start ``celery -A config worker`` (solo pool) on the test database; stop it afterwards."""
    environment = os.environ.copy()
    environment.update(
        {
            "XUEFA_ENV": "test",
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": broker_url or os.environ["REDIS_URL"],
            "DB_CONN_MAX_AGE": "0",
            "CELERY_TASK_ALWAYS_EAGER": "",
            "PYTHONUNBUFFERED": "1",
        }
    )
    environment.update(env or {})
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--hostname",
            f"test-{uuid.uuid4().hex[:8]}@%h",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    worker = Worker(process)

    def pump():
        assert process.stdout is not None
        for line in process.stdout:
            worker.lines.append(line)

    threading.Thread(target=pump, daemon=True).start()
    try:
        if not worker.wait_for("ready.", timeout=90):
            raise RuntimeError(f"the Celery worker did not start:\n{worker.output}")
        yield worker
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@dataclass
class RedisServer:
    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        # Its own server, no persistence: a restart loses every queued message, as a crash would.
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis(port=self.port)
        if not until(lambda: _pings(client), timeout=10):
            raise RuntimeError(f"redis-server on port {self.port} did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def _pings(client) -> bool:
    try:
        return bool(client.ping())
    except Exception:
        return False
