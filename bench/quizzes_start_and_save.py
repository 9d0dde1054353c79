"""The exam start and the answer save, against a real server (DESIGN.md, Performance).

Budgets:
  (a) answer save with token auth ≥ 0.7 × a bare DRF endpoint doing one SELECT
      by key and one INSERT, p99 ≤ 100 ms, both at 64 connections;
  (b) 3,000 officers starting an exam within 10 s (100 of 10,000 questions):
      all succeed, median ≤ 0.5 s, p99 ≤ 2 s;
  (c) those 3,000 taking it at ~240 saves/s: save p99 ≤ 200 ms, no answer lost.

Runs against its own PostgreSQL database (``xuefa_bench_q``, created and loaded
if missing: 10,000 questions, 3,000 officers with device tokens) and Redis
db 11 (``BENCH_REDIS``); starts gunicorn (gthread) on 127.0.0.1 with the project's settings plus
a bare baseline route (bench/quizzes_bench_urls.py); the load comes from a
second process (threads with keep-alive connections). Each run starts a new
exam, so the 3,000 starts are always first starts.

    .venv/bin/python bench/quizzes_start_and_save.py [--reset] [--workers 3 --threads 8]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = os.environ.get("BENCH_DB", "xuefa_bench_q")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/11")
os.environ["DATABASE_URL"] = f"{PG}/{BENCH_DB}"
os.environ["REDIS_URL"] = REDIS
os.environ.setdefault("XUEFA_ENV", "test")
os.environ["DEBUG"] = "0"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

HOST = "127.0.0.1"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
QUESTIONS = 10_000
OFFICERS = 3_000
STATE = ROOT / "var" / "bench_quizzes_state.json"


# --- setup (this process) ------------------------------------------------------------


from bench_db import ensure_database  # noqa: E402 - the script folder is on sys.path


def load() -> dict:
    """10,000 active questions (6,000 single, 2,000 multiple, 2,000 true/false) and 3,000 officers with tokens."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from knox.models import AuthToken

    from quizzes.models import Question, QuestionVersion
    from training.models import Department, Person

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_baseline (id bigserial PRIMARY KEY, k int, value text)")
    if not Question.objects.exists():
        with transaction.atomic():
            kinds = ["single"] * 6000 + ["multiple"] * 2000 + ["true_false"] * 2000
            areas = ["宪法", "行政处罚法", "行政许可法", "行政强制法", "行政复议法", "行政诉讼法", "国家赔偿法"]
            questions = Question.objects.bulk_create(
                [
                    Question(type=k, tags=[areas[i % len(areas)]], category=areas[i % len(areas)])
                    for i, k in enumerate(kinds)
                ],
                batch_size=2000,
            )
            versions = []
            for q in questions:
                if q.type == "true_false":
                    options, answer = [], True
                else:
                    options = [{"id": i, "text": f"选项{i}：较长的选项文字用于模拟真实题目的长度"} for i in range(1, 5)]
                    answer = [1] if q.type == "single" else [1, 3]
                versions.append(
                    QuestionVersion(
                        question=q,
                        number=1,
                        stem=f"第{q.pk}题：根据有关法律规定，下列关于行政执法程序的说法哪一项是正确的？",
                        options=options,
                        answer=answer,
                        explanation="解析",
                        legal_basis="《行政处罚法》第四十二条",
                    )
                )
            QuestionVersion.objects.bulk_create(versions, batch_size=2000)
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE quizzes_question q SET current_id = v.id FROM quizzes_questionversion v "
                    "WHERE v.question_id = q.id AND v.number = 1"
                )
    tokens: list[str] = []
    if STATE.exists():
        tokens = json.loads(STATE.read_text()).get("tokens", [])
    if len(tokens) != OFFICERS or Person.objects.filter(staff_number__startswith="B").count() != OFFICERS:
        with transaction.atomic():
            department, _ = Department.objects.get_or_create(code="BENCH", defaults={"name": "压测部门"})
            user_model = get_user_model()
            users = user_model.objects.bulk_create(
                [user_model(username=f"bench{i:05d}", password="!") for i in range(OFFICERS)],
                batch_size=1000,
                ignore_conflicts=True,
            )
            users = list(user_model.objects.filter(username__startswith="bench").order_by("username"))
            existing = set(Person.objects.filter(user__in=users).values_list("user_id", flat=True))
            Person.objects.bulk_create(
                [
                    Person(
                        user=u,
                        name=f"压测{i}",
                        staff_number=f"B{i:05d}",
                        department=department,
                        category="civil_servant",
                        is_enforcement_officer=True,
                    )
                    for i, u in enumerate(users)
                    if u.pk not in existing
                ],
                batch_size=1000,
            )
            AuthToken.objects.filter(user__in=users).delete()
            tokens = [AuthToken.objects.create(u)[1] for u in users]
        STATE.parent.mkdir(parents=True, exist_ok=True)
        STATE.write_text(json.dumps({"tokens": tokens}))
    return {"tokens": tokens}


def new_exam() -> int:
    """A certification-like exam: 60 single × 1, 20 multiple × 1, 20 true/false × 1 (100 questions), open now."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from quizzes.models import Quiz, QuizSection

    now = timezone.now()
    quiz = Quiz.objects.create(
        title=f"bench {now:%H:%M:%S}",
        kind="assessment",
        time_limit_minutes=90,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(hours=3),
        attempts_allowed=1,
    )
    for position, (qtype, count) in enumerate([("single", 60), ("multiple", 20), ("true_false", 20)]):
        QuizSection.objects.create(quiz=quiz, position=position, question_type=qtype, count=count, points=Decimal("1"))
    return quiz.pk


# --- the load (a second process) ------------------------------------------------------


class Client:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self):
        self.conn = http.client.HTTPConnection(HOST, PORT, timeout=30)

    def call(self, method: str, path: str, body: dict | None, token: str | None) -> tuple[int, bytes, float]:
        headers = {"Content-Type": "application/json", "Connection": "keep-alive"}
        if token:
            headers["Authorization"] = f"Token {token}"
        payload = json.dumps(body or {}).encode()
        for attempt in range(2):
            started = time.perf_counter()
            try:
                self.conn.request(method, path, payload, headers)
                response = self.conn.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                return response.status, data, time.perf_counter() - started
            except (http.client.HTTPException, ConnectionError, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
                if attempt:
                    raise
        raise RuntimeError("unreachable")


def closed_loop(connections: int, seconds: float, make_request) -> dict:
    """``connections`` clients, each sending its next request as soon as the last one answered."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker(n):
        client = Client()
        i = 0
        mine = []
        while time.perf_counter() < stop:
            method, path, body, token = make_request(n, i)
            status, _, latency = client.call(method, path, body, token)
            if status >= 400:
                with lock:
                    errors[0] += 1
            mine.append(latency)
            i += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return summarise(latencies, elapsed, errors[0])


def open_loop(rate: float, total: int, requests, pool: int = 256) -> tuple[dict, list]:
    """Send ``total`` requests at ``rate`` per second whatever the answers (``pool`` clients)."""
    latencies: list[float] = []
    answers: list = [None] * total
    errors = [0]
    lock = threading.Lock()
    next_index = [0]
    begin = time.perf_counter() + 0.2

    def worker():
        client = Client()
        while True:
            with lock:
                i = next_index[0]
                next_index[0] += 1
            if i >= total:
                return
            due = begin + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            method, path, body, token = requests(i)
            try:
                status, data, _ = client.call(method, path, body, token)
            except Exception:  # counted as a failure
                status, data = 599, b""
            latency = time.perf_counter() - due  # from when it was due: queueing counts
            with lock:
                latencies.append(latency)
                if status >= 400:
                    errors[0] += 1
            answers[i] = (status, data)

    threads = [threading.Thread(target=worker) for _ in range(pool)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - begin
    return summarise(latencies, elapsed, errors[0]), answers


def summarise(latencies: list[float], elapsed: float, errors: int) -> dict:
    latencies = sorted(latencies)
    n = len(latencies)
    return {
        "requests": n,
        "errors": errors,
        "seconds": round(elapsed, 2),
        "per_second": round(n / elapsed, 1) if elapsed else 0,
        "median_ms": round(1000 * statistics.median(latencies), 1) if n else None,
        "p99_ms": round(1000 * latencies[min(n - 1, int(n * 0.99))], 1) if n else None,
        "max_ms": round(1000 * latencies[-1], 1) if n else None,
    }


def run_load(tokens: list[str], quiz_id: int, out) -> None:
    results: dict = {}
    # warm up every worker process and connection pool
    closed_loop(16, 2.0, lambda n, i: ("PUT", f"/bench/baseline/{quiz_id}/", {"x": i}, None))

    # (b) 3,000 starts within 10 s, each a distinct officer (open loop, 300/s)
    start_stats, answers = open_loop(
        OFFICERS / 10.0, OFFICERS, lambda i: ("POST", f"/api/v1/quizzes/{quiz_id}/attempts/", {}, tokens[i])
    )
    attempts = []
    for i, (status, data) in enumerate(answers):
        if status in (200, 201):
            body = json.loads(data)
            attempts.append((tokens[i], body["id"], body["questions"]))
    start_stats["succeeded"] = len(attempts)
    results["starts"] = start_stats

    # (a) the baseline and the answer save, 64 connections, closed loop, 15 s each
    results["baseline"] = closed_loop(64, 15.0, lambda n, i: ("PUT", f"/bench/baseline/{quiz_id}/", {"x": i}, None))

    def save_request(n, i):
        token, attempt_id, questions = attempts[n % len(attempts)]
        question = questions[i % len(questions)]
        value = True if question["type"] == "true_false" else [question["options"][i % len(question["options"])]["key"]]
        return (
            "PUT",
            f"/api/v1/attempts/{attempt_id}/answers/{question['question_id']}/",
            {"value": value, "seq": i + 1},
            token,
        )

    results["save_64"] = closed_loop(64, 15.0, save_request)
    results["ratio"] = round(results["save_64"]["per_second"] / results["baseline"]["per_second"], 2)

    # (c) ~240 saves/s sustained for 30 s across the 3,000 attempts (open loop); then check none was lost
    sent: dict = {}
    base_seq = 10_000_000

    def sustained(i):
        token, attempt_id, questions = attempts[i % len(attempts)]
        question = questions[(i // len(attempts)) % len(questions)]
        value = True if question["type"] == "true_false" else [question["options"][0]["key"]]
        sent[i] = (attempt_id, question["question_id"], base_seq + i)
        return (
            "PUT",
            f"/api/v1/attempts/{attempt_id}/answers/{question['question_id']}/",
            {"value": value, "seq": base_seq + i},
            token,
        )

    sustained_stats, answers = open_loop(240.0, 240 * 30, sustained, pool=128)
    confirmed = [sent[i] for i, (status, _) in enumerate(answers) if status == 200]
    sustained_stats["confirmed"] = len(confirmed)
    results["saves_240"] = sustained_stats
    results["sent"] = confirmed
    out.put(results)


# --- orchestration ---------------------------------------------------------------------


def wait_for_server(timeout: float = 60.0) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, PORT, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not come up")


def lost_answers(sent: list) -> int:
    """Confirmed saves whose answer is not stored with at least that sequence number."""
    from quizzes.models import Answer

    stored = {(str(a), q): s for a, q, s in Answer.objects.values_list("attempt_id", "question_id", "seq")}
    return sum(1 for attempt_id, question_id, seq in sent if stored.get((attempt_id, question_id), -1) < seq)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reset", action="store_true")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()

    ensure_database(PG, BENCH_DB, reset=args.reset)
    import django

    django.setup()
    data = load()
    from django.core.cache import cache
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics after the bulk load (autovacuum may not have run)

    cache.clear()
    quiz_id = new_exam()

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.quizzes_bench_settings", "DB_CONN_MAX_AGE": "600"}
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "-k",
            "gthread",
            "-w",
            str(args.workers),
            "--threads",
            str(args.threads),
            "-b",
            f"{HOST}:{PORT}",
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        wait_for_server()
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        load_process = context.Process(target=run_load, args=(data["tokens"], quiz_id, queue))
        load_process.start()
        results = queue.get(timeout=900)
        load_process.join()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    sent = results.pop("sent")
    results["saves_240"]["lost"] = lost_answers(sent)
    print(json.dumps(results, indent=2, ensure_ascii=False))
    print()
    print(
        f"(a) baseline {results['baseline']['per_second']}/s, save {results['save_64']['per_second']}/s "
        f"→ {results['ratio']}× (budget ≥ 0.7); save p99 {results['save_64']['p99_ms']} ms (budget ≤ 100)"
    )
    s = results["starts"]
    print(
        f"(b) {s['succeeded']}/{OFFICERS} starts in {s['seconds']} s: median {s['median_ms']} ms (≤ 500), "
        f"p99 {s['p99_ms']} ms (≤ 2000)"
    )
    c = results["saves_240"]
    print(f"(c) {c['per_second']} saves/s: p99 {c['p99_ms']} ms (≤ 200), errors {c['errors']}, lost {c['lost']}")


if __name__ == "__main__":
    main()
