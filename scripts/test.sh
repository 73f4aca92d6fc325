#!/usr/bin/env bash
# The whole test suite: static checks, then pytest on SQLite and on PostgreSQL.
# Installs what it needs (uv, Python packages, Debian chromium) and starts PostgreSQL if it is
# not running. Extra arguments are passed to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- System packages -------------------------------------------------------------------------
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium fonts-noto-core)
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
# The inbound-mail tests start their own IMAP server (rapport/conversations/tests/dovecot.py).
[ -x /usr/sbin/dovecot ] || need+=(dovecot-imapd)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${need[@]}" >/dev/null
fi

# --- PostgreSQL ------------------------------------------------------------------------------
PG_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/rapport}"
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "Starting PostgreSQL…"
  for version in $(ls /etc/postgresql); do
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  done
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

# --- Redis (the RQ task backend is tested against it) -----------------------------------------
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "Starting Redis…"
  redis_dir="$(mktemp -d)"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir "$redis_dir" --logfile "$redis_dir/redis.log"
  for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi

# --- Python ----------------------------------------------------------------------------------
if ! python3 -m uv --version >/dev/null 2>&1; then
  python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv
fi
python3 -m uv sync --quiet --frozen
PY=.venv/bin/python
mkdir -p var artifacts/screenshots
DEBUG=1 $PY manage.py translations_compile

# --- Static checks ---------------------------------------------------------------------------
echo "== ruff, mypy, import contract, templates, migrations, deploy checks"
$PY -m ruff check .
$PY -m mypy rapport
.venv/bin/lint-imports --no-cache
bash scripts/check_templates.sh
DEBUG=1 $PY manage.py makemigrations --check --dry-run >/dev/null
DEBUG=0 SECURE=1 EMAIL_BACKEND=smtp SECRET_KEY="ci-$(head -c 48 /dev/urandom | base64)" ALLOWED_HOSTS=rapport.example \
  $PY manage.py check --deploy --fail-level WARNING

# --- Tests -----------------------------------------------------------------------------------
export ARTIFACTS_DIR="${ARTIFACTS_DIR:-$PWD/artifacts/screenshots}"
run_pytest() {
  local label=$1; shift
  echo "== pytest on $label"
  set +e
  $PY -m pytest -p no:cacheprovider "$@"
  local rc=$?
  set -e
  if [ $rc -eq 5 ]; then echo "pytest ran no tests on $label: failing"; exit 1; fi
  if [ $rc -ne 0 ]; then exit $rc; fi
}
DATABASE_URL= run_pytest SQLite "$@"
DATABASE_URL="$PG_URL" run_pytest PostgreSQL "$@"
echo "== all tests passed on SQLite and PostgreSQL"
