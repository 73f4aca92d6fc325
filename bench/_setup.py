"""Shared start-up for the bench scripts: repo root on sys.path, Django settings, setup().

Import this module first (``import _setup``); the scripts are run as files, not as a package.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_EMAIL = "bench@rapport.local"
BENCH_PASSWORD = "bench-password-not-secret-42"  # noqa: S105 - a throwaway benchmark account


def django_setup(*, production_like: bool = False) -> None:
    """Configure Django from the environment.

    ``production_like``: unless DEBUG is given, run with DEBUG off (timings as in production),
    with a benchmark SECRET_KEY and without the HTTPS redirect (the test client speaks HTTP).
    """
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
    if production_like:
        os.environ.setdefault("DEBUG", "0")
        os.environ.setdefault("SECURE", "0")
        os.environ.setdefault("SECRET_KEY", "bench-secret-key-only-for-local-measurements")
        os.environ.setdefault("LOG_LEVEL", "WARNING")  # no per-login lines from axes
    import django

    django.setup()


def database_label() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} ({connection.settings_dict['NAME']})"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return f"PostgreSQL {version} (database {connection.settings_dict['NAME']})"


def require_migrated() -> None:
    """Stop with a clear message when the database lacks migrations (the schema moves fast)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in pending[:5])
        sys.exit(
            f"The database lacks {len(pending)} migration(s) ({names}…): run "
            "`DEBUG=1 DATABASE_URL=… .venv/bin/python manage.py migrate` first."
        )


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: other work on the machine skews timings."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def machine_speed() -> str:
    """How fast this machine runs plain Python: CPU milliseconds of a fixed workload (summing
    a million integers), best of five. The same code gave 2x different page times on this
    project's virtual machines from one day to the next; this figure lets runs be compared."""
    import time

    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        sum(range(1_000_000))
        best = min(best, time.process_time() - started)
    return (
        f"Python speed: sum(range(10**6)) in {best * 1000:.1f} ms CPU (lower is faster); "
        f"{interpreter()}"
    )


def interpreter() -> str:
    """Which Python runs the bench, and the optimisation flags of its ``configure`` line. On
    this project's bench machine pyenv's build (no profile-guided or link-time optimisation)
    spent 1.3-1.7 times the CPU of an optimised build on the same HTML pages; distributions
    may optimise without these flags (Debian's python3 does), so the speed figure above is the
    one to compare."""
    import platform
    import sysconfig

    args = sysconfig.get_config_var("CONFIG_ARGS") or ""
    flags = " ".join(
        f"{flag}={'yes' if flag in args else 'no'}"
        for flag in ("--enable-optimizations", "--with-lto", "--enable-shared")
    )
    return f"Python {platform.python_version()} at {sys.executable} (configure: {flags})"
