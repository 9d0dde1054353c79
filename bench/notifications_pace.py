"""Monthly pace reminders to 100,000 people, end to end on one Celery worker.

Budget (DESIGN.md, Performance): ≤ 30 s from the beat firing the scan to the
last reminder in the inbox, on one worker (batched fan-out, bulk inserts).

Runs against its own PostgreSQL database (default ``xuefa_bench_n``, created,
migrated and loaded with 100,000 people behind pace if missing) and a Redis
database of its own (``BENCH_REDIS``, default db 3); starts one worker
(``--pool solo``; ``BENCH_CONCURRENCY=2`` for a prefork pool of two), queues ``remind_behind_pace`` once and times until every
reminder exists; then queues it again and times the no-op second run.

    .venv/bin/python bench/notifications_pace.py            # load once (reused), then measure
    .venv/bin/python bench/notifications_pace.py --reset    # drop and reload first
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = os.environ.get("BENCH_DB", "xuefa_bench_n")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/3")
os.environ["DATABASE_URL"] = f"{PG}/{BENCH_DB}"
os.environ["REDIS_URL"] = REDIS
os.environ.setdefault("XUEFA_ENV", "test")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "100000"))
DEPARTMENTS = 50
BUDGET_SECONDS = 30.0
# One worker process; BENCH_CONCURRENCY=2 gives it a prefork pool of two (as `make run` and compose do).
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "1"))
POOL = ["--pool", "solo"] if CONCURRENCY == 1 else ["--pool", "prefork", "--concurrency", str(CONCURRENCY)]


from bench_db import ensure_database  # noqa: E402 - the script folder is on sys.path


def load() -> None:
    """100,000 active people with a user each, all behind pace (10 学时 this year)."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from training.models import Department, Person

    call_command("migrate", verbosity=0)
    if Person.objects.count() >= PEOPLE:
        print(f"reusing {Person.objects.count():,} people")
        return
    t0 = time.perf_counter()
    root = Department.objects.create(name="市", code="N-ROOT")
    for i in range(DEPARTMENTS):
        Department.objects.create(name=f"局{i}", code=f"N-{i}", parent=root)
    year = timezone.localdate().year
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO auth_user (username, password, is_superuser, first_name, last_name, email,
                                   is_staff, is_active, date_joined)
            SELECT 'n' || g, '!', false, '', '', '', false, true, now() FROM generate_series(1, %s) g
            """,
            [PEOPLE],
        )
        cur.execute(
            """
            INSERT INTO training_person (user_id, name, staff_number, department_id, category,
                is_enforcement_officer, enforcement_domain, phone, is_active, joined_on, left_on,
                barred_from_credentials, barred_reason, scope_department_id, must_change_password)
            SELECT u.id, '人员' || u.id, 'N' || u.id,
                   (SELECT min(id) FROM training_department WHERE code LIKE 'N-%%' AND code <> 'N-ROOT')
                       + (u.id %% %s),
                   'civil_servant', (u.id %% 3 = 0), '', '', true, '2015-01-01', NULL, false, '', NULL, false
            FROM auth_user u WHERE u.username LIKE 'n%%'
            """,
            [DEPARTMENTS],
        )
        cur.execute(
            """
            INSERT INTO training_personyearhours (person_id, year, general_law, specialised_law, new_laws, other, total)
            SELECT id, %s, 10.0, 0, 0, 0, 10.0 FROM training_person
            """,
            [year],
        )
    print(f"loaded {PEOPLE:,} people behind pace in {time.perf_counter() - t0:.1f} s")


def clear() -> None:
    """Empty the notification tables (this database is the benchmark's own), so the run creates every reminder."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("TRUNCATE notifications_delivery, notifications_notification")
        cur.execute("ANALYZE")


def start_worker() -> subprocess.Popen:
    env = os.environ.copy()
    env.update({"DB_CONN_MAX_AGE": "60", "PYTHONUNBUFFERED": "1", "LOG_LEVEL": "WARNING"})
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            *POOL,
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--hostname",
            "bench-pace@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(os.environ.get("BENCH_WORKER_LOG", os.devnull), "w"),  # noqa: SIM115
    )
    from config.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.control.ping(timeout=0.5):
            return proc
    proc.terminate()
    raise SystemExit("the worker did not start")


def run_once(expected: int, label: str) -> float:
    from notifications.models import Notification
    from training.reminders import remind_behind_pace

    before = Notification.objects.filter(kind="pace_reminder").count()
    t0 = time.perf_counter()
    remind_behind_pace.delay()
    deadline = t0 + 600
    count = before
    while time.perf_counter() < deadline:
        count = Notification.objects.filter(kind="pace_reminder").count()
        if count >= expected:
            break
        time.sleep(0.25)
    elapsed = time.perf_counter() - t0
    print(f"{label}: {count - before:,} new reminders, {count:,} in all, {elapsed:.1f} s")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reset", action="store_true")
    args = parser.parse_args()
    ensure_database(PG, BENCH_DB, reset=args.reset)
    import django

    django.setup()
    from django.db import connection

    from config.celery import app
    from notifications.models import Delivery, Notification

    load()
    clear()
    app.control.purge()
    worker = start_worker()
    try:
        elapsed = run_once(PEOPLE, "first run")
        # The second run finds everyone notified: it queues nothing and creates nothing.
        t0 = time.perf_counter()
        from training.reminders import scan_behind_pace

        queued = scan_behind_pace()
        print(f"second scan: {queued} queued in {time.perf_counter() - t0:.1f} s")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    inbox = Delivery.objects.filter(channel="inbox", state="sent").count()
    notes = Notification.objects.filter(kind="pace_reminder").count()
    print(f"reminders {notes:,}, inbox deliveries {inbox:,}")
    print(f"budget {BUDGET_SECONDS:.0f} s: {'OK' if elapsed <= BUDGET_SECONDS and notes == PEOPLE else 'OVER'}")
    connection.close()
    return 0 if elapsed <= BUDGET_SECONDS and notes == PEOPLE else 1


if __name__ == "__main__":
    sys.exit(main())
