#!/usr/bin/env bash
# Install Python dependencies with uv, compile translations, migrate the database.
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never

if ! python3 -m uv --version >/dev/null 2>&1; then
  echo "Installing uv…"
  python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv
fi
python3 -m uv sync --quiet --frozen 2>/dev/null || python3 -m uv sync --quiet

mkdir -p var
# A development .env on first run, so that `.venv/bin/python manage.py …` works by itself.
if [ ! -f .env ]; then
  printf '# Development settings written by `make run`; see .env.example for all of them.\nDEBUG=1\nEMAIL_BACKEND=console\n' > .env
fi
export DEBUG="${DEBUG:-1}"
.venv/bin/python manage.py translations_compile
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py createcachetable
