#!/usr/bin/env python
import os
import sys
from pathlib import Path


def load_env_file(path: Path) -> None:
    """Read KEY=VALUE lines of .env (made by `make run` for development) without overriding
    what the environment already says."""
    if not path.is_file():
        return
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        os.environ.setdefault(key.strip(), value.strip().strip('"').strip("'"))


if __name__ == "__main__":
    load_env_file(Path(__file__).resolve().parent / ".env")
    # A checkout with neither .env nor DEBUG/SECRET_KEY in the environment is a development
    # one (`make run` has not written .env yet): run in development mode. Production always
    # sets SECRET_KEY, so this never applies there, and settings still refuse DEBUG off
    # without a key.
    if "SECRET_KEY" not in os.environ and "DEBUG" not in os.environ:
        os.environ["DEBUG"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
