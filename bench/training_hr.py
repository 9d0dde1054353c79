"""HR at scale: 100,000 people and 2,000,000 ledger rows; times the department page and the organisation summary.

Budget (DESIGN.md, Performance): a department page p50 ≤ 50 ms, the organisation summary ≤ 0.5 s.

Runs against its own PostgreSQL database (default ``xuefa_bench``, created and migrated if missing,
bulk-loaded with generate_series), never the development or test database:

    .venv/bin/python bench/training_hr.py            # load once (reused next time), then measure
    .venv/bin/python bench/training_hr.py --reset    # drop and reload first
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = os.environ.get("BENCH_DB", "xuefa_bench")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
os.environ["DATABASE_URL"] = f"{PG}/{BENCH_DB}"
os.environ.setdefault("XUEFA_ENV", "test")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "100000"))
ENTRIES_PER_PERSON = int(os.environ.get("BENCH_ENTRIES_PER_PERSON", "20"))
TOP_DEPARTMENTS = 50
SUB_DEPARTMENTS = 10
YEAR = 2026


from bench_db import ensure_database  # noqa: E402 - the script folder is on sys.path


def load() -> None:
    from django.core.management import call_command
    from django.db import connection

    from training.models import Department, HoursEntry, Person

    call_command("migrate", verbosity=0)
    if HoursEntry.objects.exists():
        print(f"reusing {Person.objects.count():,} people, {HoursEntry.objects.count():,} ledger rows")
        return
    t0 = time.perf_counter()
    root = Department.objects.create(name="市", code="B-ROOT")
    leaves = []
    for i in range(TOP_DEPARTMENTS):
        top = Department.objects.create(name=f"局{i}", code=f"B-{i}", parent=root)
        for j in range(SUB_DEPARTMENTS):
            leaves.append(Department.objects.create(name=f"局{i}科{j}", code=f"B-{i}-{j}", parent=top).pk)
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO training_person (name, staff_number, department_id, category, is_enforcement_officer,
                enforcement_domain, phone, is_active, joined_on, left_on, barred_from_credentials, barred_reason,
                must_change_password)
            SELECT '人员' || g, 'B' || lpad(g::text, 7, '0'), (%s::bigint[])[1 + g %% %s],
                (ARRAY['leading_cadre','civil_servant','institution_staff','auxiliary'])[1 + g %% 4],
                g %% 3 = 0, '', '', true,
                CASE WHEN g %% 40 = 0 THEN date '2026-07-01' ELSE date '2015-01-01' END,
                NULL, false, '', false
            FROM generate_series(1, %s) g
            """,
            [leaves, len(leaves), PEOPLE],
        )
        cur.execute(
            """
            INSERT INTO training_hoursentry (person_id, year, category, hours, source, source_ref, reason, created_at)
            SELECT p.id, %s,
                (ARRAY['general_law','specialised_law','new_laws','other'])[1 + (g + p.id) %% 4],
                ((p.id * 7 + g * 3) %% 12 + 1) * 0.5 + (p.id %% 4) * 0.5, 'attendance', 'bench', '', now()
            FROM training_person p CROSS JOIN generate_series(1, %s) g
            """,
            [YEAR, ENTRIES_PER_PERSON],
        )
    print(f"loaded people and ledger in {time.perf_counter() - t0:.1f} s")
    t1 = time.perf_counter()
    call_command("rebuild_hours_summary")
    print(f"rebuilt the summary from the ledger in {time.perf_counter() - t1:.1f} s")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def report(label: str, ms: list[float]) -> None:
    ms = sorted(ms)
    p95 = ms[max(0, int(len(ms) * 0.95) - 1)]
    print(f"{label:<58} p50 {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   max {ms[-1]:7.1f} ms  (n={len(ms)})")


def measure() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from knox.models import AuthToken
    from rest_framework.test import APIClient

    from training.models import Department, HoursEntry, Person
    from training.selectors import department_rollup, organisation_targets, people_behind_pace

    print(f"{Person.objects.count():,} people, {HoursEntry.objects.count():,} ledger rows")
    user, _ = get_user_model().objects.get_or_create(username="bench-hr")
    user.groups.add(Group.objects.get_or_create(name="hr")[0])
    _, token = AuthToken.objects.create(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    root = Department.objects.get(code="B-ROOT")
    tops = list(Department.objects.filter(parent=root).values_list("pk", flat=True))
    leaf = Department.objects.filter(parent_id=tops[7]).order_by("pk").values_list("pk", flat=True)[3]

    def page(dept, size=20):
        def go():
            response = client.get(f"/api/v1/people/?department={dept}&year={YEAR}&page_size={size}")
            assert response.status_code == 200, response.content[:200]

        return go

    for label, fn in [
        (f"department page, a bureau (~{PEOPLE // TOP_DEPARTMENTS:,} people), 20 rows", page(tops[7])),
        (f"department page, a bureau (~{PEOPLE // TOP_DEPARTMENTS:,} people), 100 rows", page(tops[7], 100)),
        (f"department page, a section (~{PEOPLE // TOP_DEPARTMENTS // SUB_DEPARTMENTS:,} people), 20 rows", page(leaf)),
        (f"department page, whole organisation ({PEOPLE:,} people), 20 rows", page(root.pk)),
    ]:
        fn()  # warm
        report(label, timed(fn, 40))
    with CaptureQueriesContext(connection) as ctx:
        page(tops[7], 100)()
    print(f"  queries per department page: {len(ctx.captured_queries)}")
    reset_queries()

    def summary():
        department_rollup(department_ids=[root.pk, *tops], year=YEAR)
        organisation_targets(year=YEAR)

    summary()
    report("organisation summary (roll-up of root + 50 bureaux, targets)", timed(summary, 10))
    report("roll-up of one bureau", timed(lambda: department_rollup(department_ids=[tops[7]], year=YEAR), 20))

    def behind():
        return sum(1 for _ in people_behind_pace(year=YEAR))

    t = time.perf_counter()
    n = behind()
    print(f"people_behind_pace over everyone: {n:,} ids in {(time.perf_counter() - t) * 1000:.0f} ms")
    [row] = department_rollup(department_ids=[root.pk], year=YEAR)
    print(f"  root roll-up: {row}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reset", action="store_true", help="drop and reload the bench database")
    args = parser.parse_args()
    ensure_database(PG, BENCH_DB, reset=args.reset)
    import django

    django.setup()
    load()
    measure()


if __name__ == "__main__":
    main()
