#!/usr/bin/env bash
# `make run`: the demo data, then every process of the Procfile under honcho; the URL, the demo
# login and a portal link are printed only once the web server answers HTTP 200.
#
# Environment: WEB_PORT (default 8000), RUN_TIMEOUT (seconds to wait for the web server,
# default 60), RUN_ENV_FILE (the env file honcho reads, default .env). Run scripts/setup.sh
# first (the Makefile does).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export WEB_PORT="${WEB_PORT:-8000}"
export SITE_URL="${SITE_URL:-http://127.0.0.1:$WEB_PORT}"
export DEBUG="${DEBUG:-1}"
export EMAIL_BACKEND="${EMAIL_BACKEND:-console}"

# The demo workspace the first time; its output (staff URL, login, a fresh portal link) is
# kept until the server can serve it.
banner="$($PY manage.py demo)"

.venv/bin/honcho start -e "${RUN_ENV_FILE:-.env}" &
honcho_pid=$!
stop() {
  kill -TERM "$honcho_pid" 2>/dev/null || true
  wait "$honcho_pid" 2>/dev/null || true
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM

# The health check reads the database too (core.views.health): a 200 means pages can answer.
if ! $PY scripts/wait_for_web.py "http://127.0.0.1:$WEB_PORT/health/" \
    --timeout "${RUN_TIMEOUT:-60}" --pid "$honcho_pid" \
    --name "the web server (Procfile: web, port $WEB_PORT)"; then
  stop
  exit 1
fi
printf '%s\n' "$banner"

set +e
wait "$honcho_pid"
status=$?
set -e
exit "$status"
