"""`make run`: migrate, load the demo data, then run the web server, a Celery
worker and Celery beat together until Ctrl-C stops all three.

On the embedded default (no DATABASE_URL / REDIS_URL) that is SQLite in WAL
mode and Celery's filesystem broker; with them set, PostgreSQL and Redis.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

HOST = os.environ.get("XUEFA_HOST", "127.0.0.1")
PORT = os.environ.get("XUEFA_PORT", "8000")


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    print(f"xuefa: http://{HOST}:{PORT}/", flush=True)
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v", "0"], check=True)
    seeded = subprocess.run([python, "manage.py", "seed_demo"], check=True, capture_output=True, text=True)
    print(seeded.stdout, end="", flush=True)
    print(f"  API docs: http://{HOST}:{PORT}/api/docs/   admin: http://{HOST}:{PORT}/admin/", flush=True)
    print("  Ctrl-C stops the web server, the worker and beat.", flush=True)
    from django.conf import settings  # noqa: F401 - after the demo: settings read the same environment

    commands = {
        "web": [python, "manage.py", "runserver", f"{HOST}:{PORT}", "--noreload"],
        "worker": [python, "-m", "celery", "-A", "config", "worker", "-l", "warning", "--concurrency", "2"],
        "beat": [python, "-m", "celery", "-A", "config", "beat", "-l", "warning", "--pidfile="],
    }
    procs = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}

    def stop(*_):
        for proc in procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for proc in procs.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()

    signal.signal(signal.SIGTERM, lambda *_: (stop(), sys.exit(0)))
    try:
        while all(proc.poll() is None for proc in procs.values()):
            time.sleep(0.5)
        failed = [name for name, proc in procs.items() if proc.poll() is not None]
        print(f"xuefa: {', '.join(failed)} stopped; stopping the rest", flush=True)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())
