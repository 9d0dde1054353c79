"""`make test`: choose the services, say which on the first line, run pytest.

DATABASE_URL / REDIS_URL when set; otherwise PostgreSQL and Redis on
127.0.0.1 when they answer; otherwise SQLite, and the tests that need
PostgreSQL or Redis are skipped with a reason. With CI=true there is no
fallback: a missing PostgreSQL or Redis fails the run.
"""

from __future__ import annotations

import os
import socket
import sys


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def main() -> int:
    ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    env = os.environ
    if not env.get("DATABASE_URL") and _answers("127.0.0.1", 5432):
        env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/xuefa"
    if not env.get("REDIS_URL") and _answers("127.0.0.1", 6379):
        env["REDIS_URL"] = "redis://127.0.0.1:6379/13"
    database = env.get("DATABASE_URL", "")
    redis = env.get("REDIS_URL", "")
    if ci and (not database.startswith("postgres") or not redis):
        print("xuefa tests: CI needs PostgreSQL and Redis, and one of them does not answer", flush=True)
        return 2
    db_label = "PostgreSQL" if database.startswith("postgres") else "SQLite (PostgreSQL tests skipped)"
    redis_label = "Redis" if redis else "no Redis (Redis tests skipped)"
    print(f"xuefa tests: database {db_label} {database or ''}; broker and cache {redis_label} {redis}", flush=True)
    env.setdefault("XUEFA_ENV", "test")
    import pytest

    return pytest.main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
