"""The one thing every benchmark does first: make sure its own database exists."""

from __future__ import annotations


def ensure_database(pg: str, name: str, *, reset: bool) -> None:
    """Create database ``name`` on the server ``pg`` (postgres://user@host:port) if missing; drop it first on reset."""
    import psycopg

    with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reset:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
