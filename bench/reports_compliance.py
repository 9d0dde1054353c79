"""Benchmark of the compliance report and the HR dashboard at 100,000 people and
2,000,000 ledger rows (DESIGN.md, performance budget):

- a department page (the HR dashboard of one department's subtree) p50 ≤ 50 ms,
- the organisation summary (the annual figures and the dashboard's charts for the
  whole organisation) ≤ 0.5 s,
- the xlsx export of all rows ≤ 30 s in ≤ 300 MB peak RSS.

It uses its own PostgreSQL database (``xuefa_bench_r`` by default), built once with
``generate_series`` (a few minutes) and reused; ``--rebuild`` drops it first.

    .venv/bin/python bench/reports_compliance.py [--rebuild] [--runs 30]

Environment: BENCH_PG (server URL, default postgres://postgres@127.0.0.1:5432),
BENCH_DB, BENCH_PEOPLE (100000), BENCH_ENTRIES_PER_PERSON (20), CACHE_URL
(default redis://127.0.0.1:6379/5).

Not part of the test suite: the figures are printed, not asserted.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("BENCH_DB", "xuefa_bench_r")
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "100000"))
ENTRIES_PER_PERSON = int(os.environ.get("BENCH_ENTRIES_PER_PERSON", "20"))
OFFICES, UNITS_PER_OFFICE = 50, 4

os.environ["DATABASE_URL"] = f"{PG}/{DB_NAME}"
os.environ.setdefault("XUEFA_ENV", "test")
# the dashboard keeps its charts' figures in the cache: Redis, as in production
os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/5")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def _admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _exists() -> bool:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone() is not None


def _django():
    import django

    django.setup()


def build() -> None:
    """Create the database, migrate it and bulk-load the organisation."""
    _admin_sql(f'CREATE DATABASE "{DB_NAME}"')
    _django()
    from django.core.management import call_command
    from django.db import connection

    from training.models import Department

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    root = Department.objects.create(name="金湖街道", code="ROOT")
    units = []
    for o in range(OFFICES):
        office = Department.objects.create(name=f"科室{o:02d}", code=f"O{o:02d}", parent=root)
        for u in range(UNITS_PER_OFFICE):
            units.append(Department.objects.create(name=f"科室{o:02d}-{u}组", code=f"O{o:02d}U{u}", parent=office).pk)
    with connection.cursor() as cur:
        cur.execute("SET synchronous_commit = off")
        cur.execute(
            """
            INSERT INTO training_person (user_id, name, staff_number, department_id, category,
                is_enforcement_officer, enforcement_domain, phone, is_active, joined_on, left_on,
                barred_from_credentials, barred_reason, scope_department_id, must_change_password)
            SELECT NULL, '人员' || g, 'B' || lpad(g::text, 6, '0'), (%s::bigint[])[1 + (g %% %s)],
                (ARRAY['leading_cadre','civil_servant','institution_staff','auxiliary'])[1 + (g %% 4)],
                g %% 3 = 0, '', '', true,
                CASE WHEN g %% 50 = 0 THEN make_date(extract(year from now())::int, 6, 1) END, NULL,
                false, '', NULL, false
            FROM generate_series(1, %s) g
            """,
            [units, len(units), PEOPLE],
        )
        cur.execute(
            """
            INSERT INTO training_hoursentry (person_id, year, category, hours, source, source_ref, reason,
                created_by_id, created_at)
            SELECT p.id, extract(year from now())::int,
                (ARRAY['general_law','specialised_law','new_laws','other'])[1 + ((p.id + k) %% 4)],
                ((p.id * 7 + k * 3) %% 9) * 0.5, 'attendance', 'attendance:' || k, '', NULL, now()
            FROM training_person p CROSS JOIN generate_series(1, %s) k
            """,
            [ENTRIES_PER_PERSON],
        )
        cur.execute(
            """
            INSERT INTO training_personyearhours (person_id, year, general_law, specialised_law, new_laws, other, total)
            SELECT person_id, year,
                coalesce(sum(hours) FILTER (WHERE category = 'general_law'), 0),
                coalesce(sum(hours) FILTER (WHERE category = 'specialised_law'), 0),
                coalesce(sum(hours) FILTER (WHERE category = 'new_laws'), 0),
                coalesce(sum(hours) FILTER (WHERE category = 'other'), 0),
                sum(hours)
            FROM training_hoursentry GROUP BY person_id, year
            """
        )
        cur.execute(
            "INSERT INTO quizzes_credentialtype (code, name, number_prefix, validity_years, max_pass_age_days) "
            "VALUES ('enforcement', '行政执法证', 'XF', 5, 365) RETURNING id"
        )
        type_id = cur.fetchone()[0]
        cur.execute(
            """
            INSERT INTO quizzes_quiz (title, description, kind, is_published, pass_mark, shuffle_questions,
                shuffle_options, review_policy, partial_credit, start_password_hash, required_legal_hours,
                created_at, credential_type_id)
            VALUES ('行政执法资格考试', '', 'certification', true, 60, true, true, 'never', false, '', 0, now(), %s)
            RETURNING id
            """,
            [type_id],
        )
        quiz_id = cur.fetchone()[0]
        cur.execute(
            """
            INSERT INTO quizzes_attempt (id, number, status, started_at, deadline, finished_at, paper, max_score,
                score, percent, passed, marks, flagged_for_hr, person_id, quiz_id)
            SELECT gen_random_uuid(), 1, 'submitted', now() - interval '30 days', now() - interval '29 days',
                now() - interval '29 days' - (p.id %% 200) * interval '1 hour', '{}'::jsonb, 100,
                40 + p.id %% 60, 40 + p.id %% 60, 40 + p.id %% 60 >= 60, '{}'::jsonb, false, p.id, %s
            FROM training_person p WHERE p.id %% 2 = 0
            """,
            [quiz_id],
        )
        cur.execute(
            """
            INSERT INTO quizzes_externalresult (passed_on, score, document_ref, created_at, credential_type_id,
                entered_by_id, person_id)
            SELECT current_date - 400, 75, 'bench', now(), %s, NULL, p.id
            FROM training_person p WHERE p.is_enforcement_officer AND p.category <> 'auxiliary'
            """,
            [type_id],
        )
        cur.execute(
            """
            INSERT INTO quizzes_credential (number, public_token, domain, issued_on, expires_on, status, created_at,
                attempt_id, holder_id, credential_type_id, external_result_id)
            SELECT 'XF' || lpad(r.person_id::text, 8, '0'), gen_random_uuid(), '', current_date - 1000,
                current_date + ((r.person_id %% 1500) - 100)::int,
                CASE WHEN r.person_id %% 97 = 0 THEN 'suspended' ELSE 'active' END, now(), NULL, r.person_id, %s, r.id
            FROM quizzes_externalresult r
            """,
            [type_id],
        )
        cur.execute("ANALYZE")
    print(
        f"built {DB_NAME}: {PEOPLE} people, {PEOPLE * ENTRIES_PER_PERSON} ledger rows in {time.perf_counter() - started:.1f} s"
    )


def _users():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from training.models import Department, Person

    user_model = get_user_model()
    office = Department.objects.get(code="O07")
    hr, _ = user_model.objects.get_or_create(username="bench-hr")
    hr.groups.add(Group.objects.get_or_create(name="hr")[0])
    Person.objects.get_or_create(
        user=hr,
        defaults={
            "name": "人事",
            "staff_number": "BENCH-HR",
            "department": office,
            "category": "civil_servant",
            "scope_department": office,
        },
    )
    admin, _ = user_model.objects.get_or_create(
        username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    return hr, admin, office


def _timed(fn, runs: int) -> list[float]:
    fn()  # warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _report(label: str, times: list[float]) -> None:
    times = sorted(times)
    p95 = times[max(int(len(times) * 0.95) - 1, 0)]
    print(f"{label:<58} p50 {statistics.median(times):8.1f} ms   p95 {p95:8.1f} ms   (n={len(times)})")


def measure(runs: int) -> None:
    _django()
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from portal.reports import annual, compliance, summary
    from training.models import Department

    setup_test_environment()
    hr, admin, office = _users()
    unit = Department.objects.filter(parent=office).order_by("code").first()
    year = timezone.localdate().year
    hr_client, admin_client = Client(), Client()
    hr_client.force_login(hr)
    admin_client.force_login(admin)
    dashboard = reverse("portal:hr-dashboard")
    api = reverse("api:reports-compliance")

    def get(client, url, params):
        def run():
            response = client.get(url, params)
            assert response.status_code == 200, response.status_code

        return run

    people_office = office.people.count() + sum(d.people.count() for d in Department.objects.filter(parent=office))
    print(f"department {office.name}: {people_office} people; unit {unit.name}: {unit.people.count()} people")
    print("load average at start: {:.1f} {:.1f} {:.1f} (2 cores shared)".format(*os.getloadavg()))
    _report("HR dashboard page, one office (HR scope)", _timed(get(hr_client, dashboard, {"year": year}), runs))
    _report(
        "HR dashboard page, one unit", _timed(get(hr_client, dashboard, {"year": year, "department": unit.pk}), runs)
    )
    _report(
        "HR dashboard page, office, pace=behind filter",
        _timed(get(hr_client, dashboard, {"year": year, "pace": "behind"}), runs),
    )
    _report("API compliance JSON page, office", _timed(get(hr_client, api, {"year": year}), runs))
    _report(
        "API compliance JSON page, office, ordering=-hours",
        _timed(get(hr_client, api, {"year": year, "ordering": "-hours"}), runs),
    )

    _report(
        "API compliance JSON page, office, credential=expiring",
        _timed(get(hr_client, api, {"year": year, "credential": "expiring"}), runs),
    )
    _report("API compliance JSON page, whole organisation", _timed(get(admin_client, api, {"year": year}), runs))
    _report(
        "API compliance JSON page, whole organisation, pace=behind",
        _timed(get(admin_client, api, {"year": year, "pace": "behind"}), 5),
    )
    office_scope = compliance.resolve_scope(hr, None)
    _report(
        "dashboard charts of one office, uncached (once per 5 min)",
        _timed(lambda: summary.dashboard_summary(office_scope, compliance.ComplianceFilter(year=year)), runs),
    )
    scope = compliance.resolve_scope(admin, None)
    flt = compliance.ComplianceFilter(year=year)
    _report(
        "organisation summary: annual figures",
        _timed(lambda: annual.annual_figures(scope=scope, year=year), max(runs // 3, 5)),
    )
    _report(
        "organisation summary: dashboard charts",
        _timed(lambda: summary.dashboard_summary(scope, flt), max(runs // 3, 5)),
    )
    _report(
        "organisation dashboard page, admin (first page + charts)",
        _timed(get(admin_client, dashboard, {"year": year}), max(runs // 3, 5)),
    )

    result = subprocess.run(
        [sys.executable, __file__, "--export-only"], capture_output=True, text=True, check=True, cwd=ROOT
    )
    print(result.stdout.strip())
    print("load average at end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


def _high_water_mb() -> float:
    """Peak RSS of this process (VmHWM: unlike ru_maxrss it does not carry the parent's peak across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def export_only() -> None:
    _django()
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from portal.reports import compliance, exports

    admin = get_user_model().objects.get(username="bench-admin")
    baseline = _high_water_mb()
    scope = compliance.resolve_scope(admin, None)
    flt = compliance.ComplianceFilter(year=timezone.localdate().year)
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        started = time.perf_counter()
        rows = exports.write_xlsx(compliance.iter_rows(scope, flt), handle.name)
        elapsed = time.perf_counter() - started
        size = os.path.getsize(handle.name) / 1024 / 1024
    peak = _high_water_mb()
    print(
        f"xlsx export of all rows: {rows} rows, {size:.1f} MB file in {elapsed:.1f} s; "
        f"peak RSS {peak:.0f} MB (process after Django setup: {baseline:.0f} MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the benchmark database")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--export-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_only:
        export_only()
        return
    if args.rebuild and _exists():
        _admin_sql(f'DROP DATABASE "{DB_NAME}"')
    if not _exists():
        build()
    measure(args.runs)


if __name__ == "__main__":
    main()
