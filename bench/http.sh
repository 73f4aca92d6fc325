#!/usr/bin/env bash
# Throughput and latency over HTTP: gunicorn (2 sync workers, DEBUG off) driven by wrk.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/rapport_bench bash bench/http.sh
#
# The database must have been filled by bench/seed.py. Installs wrk with apt-get if missing,
# starts gunicorn on a free port of 127.0.0.1 (and stops it on exit), makes an API token, a
# staff session and a portal session (bench/http_credentials.py), then runs wrk for DURATION
# (default 10s) at 1 and at 4 connections against four URLs. Traffic goes to 127.0.0.1 only.
# Note: wrk, gunicorn and PostgreSQL share the machine's cores.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-10s}"
# VENV: the virtual environment to run gunicorn from (default .venv), e.g. one made with an
# optimised Python build to compare interpreters on the same machine.
VENV="${VENV:-.venv}"
PY="$VENV/bin/python"

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/rapport_bench}"
export SECRET_KEY="${SECRET_KEY:-bench-http-secret-key-only-for-local-measurements}"
export DEBUG=0 SECURE=0 ALLOWED_HOSTS=127.0.0.1 DB_CONN_MAX_AGE=60 LOG_LEVEL=WARNING

if ! command -v wrk >/dev/null 2>&1; then
    echo "Installing wrk…"
    apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null
fi

PORT="$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:${PORT}"
WORK="$(mktemp -d)"
GUNICORN_PID=""

cleanup() {
    if [[ -n "$GUNICORN_PID" ]] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
        kill -TERM "$GUNICORN_PID" 2>/dev/null || true
        wait "$GUNICORN_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM # exit, so that the EXIT trap stops gunicorn

# DEBUG off serves static files through the manifest storage: build the manifest.
$PY manage.py collectstatic --noinput -v0

CREDENTIALS="$($PY bench/http_credentials.py)"
eval "$CREDENTIALS"

"$VENV/bin/gunicorn" rapport.wsgi:application --workers 2 --worker-class sync \
    --bind "127.0.0.1:${PORT}" --log-level warning >"$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!

for _ in $(seq 1 100); do
    if curl -fsS -o /dev/null "$BASE/health/" 2>/dev/null; then break; fi
    if ! kill -0 "$GUNICORN_PID" 2>/dev/null; then cat "$WORK/gunicorn.log"; exit 1; fi
    sleep 0.1
done
curl -fsS -o /dev/null "$BASE/health/"

CONTACTS="/api/v1/contacts/"
DUE_SOON="/api/v1/milestones/?due_within_days=3&open=true"
CLIENTS_PAGE="/clients/"
PORTAL_HOME="/p/"

# name|path|header
TARGETS=(
    "API contacts (page of 50)|$CONTACTS|Authorization: Bearer $API_TOKEN"
    "API contacts, 10,000 rows deep|$DEEP_CONTACTS|Authorization: Bearer $API_TOKEN"
    "API milestones due in 3 days, open|$DUE_SOON|Authorization: Bearer $API_TOKEN"
    "clients page (staff)|$CLIENTS_PAGE|Cookie: $STAFF_COOKIE"
    "portal home|$PORTAL_HOME|Cookie: $PORTAL_COOKIE"
)

echo "gunicorn: 2 sync workers on $BASE; database $(sed -E 's#//[^@/]*@#//#; s#\?.*##' <<<"$DATABASE_URL")"
echo "CPUs $(nproc); load average $(cut -d' ' -f1-3 /proc/loadavg); wrk $DURATION per run"
echo "$MACHINE_SPEED"
echo
echo "| request | connections | req/s | p50 ms | p90 ms | p99 ms | mean ms | requests | errors |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for target in "${TARGETS[@]}"; do
    IFS='|' read -r name path header <<<"$target"
    # Each response must be a 200 before it is worth timing (a login redirect is fast too).
    status="$(curl -s -o /dev/null -w '%{http_code}' -H "$header" "$BASE$path")"
    if [[ "$status" != "200" ]]; then
        echo "$name: GET $path answered $status" >&2
        exit 1
    fi
    wrk -t1 -c2 -d2s -H "$header" "$BASE$path" >/dev/null # warm both workers
    for connections in 1 4; do
        threads=$((connections < 2 ? 1 : 2))
        line="$(wrk -t"$threads" -c"$connections" -d"$DURATION" --timeout 5s \
            -s bench/wrk_report.lua -H "$header" "$BASE$path" | grep '^RESULT')"
        read -r _ rps p50 p90 p99 mean requests errors <<<"$line"
        echo "| $name \`$path\` | $connections | $rps | $p50 | $p90 | $p99 | $mean | $requests | $errors |"
    done
done
echo
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
