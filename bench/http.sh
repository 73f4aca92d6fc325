#!/usr/bin/env bash
# Throughput and latency over HTTP: gunicorn (2 sync workers, DEBUG off) driven by wrk.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/rapport_bench bash bench/http.sh
#   ONLY='milestones|portal' DURATION=5s bash bench/http.sh
#
# The database must have been filled by bench/seed.py. Installs wrk with apt-get if missing,
# starts gunicorn on a free port of 127.0.0.1 (and stops it on exit), makes an API token, a
# staff session and a portal session and picks seeded ids (bench/http_credentials.py), then runs
# wrk for DURATION (default 10s) at 1 and at 4 connections against:
#   - every API list: unfiltered, with each of its filters (a value taken from the seeded data),
#     and a page about 10,000 rows deep (the lists offer no ordering parameter: each has one
#     fixed order, so there is no ordering to vary);
#   - search: the API's q filters and the staff clients search;
#   - the main staff pages, and every GET page of the portal (a page that shows one object, such
#     as a quote or an invoice, uses one of the portal contact's own; when the database has none,
#     the output says so);
#   - every create endpoint: POST to each list with a JSON body (bench/wrk_create.lua, a unique
#     token per request in the fields that must be unique). The created rows hang from a client,
#     project and milestone that bench/http_writes.py makes first; they are counted and deleted
#     after each run, the parents at the end, so nothing seeded changes.
# Each target must first answer 200 (201 for a create); one that does not is reported and the
# run goes on. After the table, each target's req/s at 4 connections is compared with the
# contacts list's ("API contacts (page of 50)", always measured): lists and searches should reach
# 0.5 of it, portal and staff pages 0.2, creates 0.25; the targets below their bar are named.
# The contacts list is measured again at the end: if the machine's speed changed meanwhile (other
# work on it), the output says that the ratios are not reliable. On a busy machine, PAIRED=1
# times the contacts list at 4 connections right before each target's 4-connection run and
# takes each ratio against that (DURATION more per target).
#
# ONLY: a regular expression (bash =~) on "name path": measure only the targets it matches.
# Traffic goes to 127.0.0.1 only. Note: wrk, gunicorn and PostgreSQL share the machine's cores.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-10s}"
ONLY="${ONLY:-}"
PAIRED="${PAIRED:-}"
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
WRITES_PREPARED=""

cleanup() {
    if [[ -n "$WRITES_PREPARED" ]]; then
        $PY bench/http_writes.py cleanup --all >/dev/null || echo "Cleanup failed: run bench/http_writes.py cleanup --all" >&2
    fi
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
export API_TOKEN # for bench/http_writes.py

"$VENV/bin/gunicorn" rapport.wsgi:application --workers 2 --worker-class sync \
    --bind "127.0.0.1:${PORT}" --log-level warning >"$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!

for _ in $(seq 1 100); do
    if curl -fsS -o /dev/null "$BASE/health/" 2>/dev/null; then break; fi
    if ! kill -0 "$GUNICORN_PID" 2>/dev/null; then cat "$WORK/gunicorn.log"; exit 1; fi
    sleep 0.1
done
curl -fsS -o /dev/null "$BASE/health/"

API="Authorization: Bearer $API_TOKEN"
STAFF="Cookie: $STAFF_COOKIE"
PORTAL="Cookie: $PORTAL_COOKIE"
REFERENCE="API contacts (page of 50)"
REFERENCE_PATH="/api/v1/contacts/"

# kind|name|path|header|body|note. kind: list, search, staff, portal or create (its bar).
# A create's body names its parents %CLIENT%, %PROJECT%, %MILESTONE% and dates %TODAY%, %DUE%,
# %QUARTER% (filled in by bench/http_writes.py prepare), and {n} where it must be unique; its
# note is the kind of row it creates (as bench/http_writes.py cleanup counts them).
# A target without a path is not measured; its note says why.
TARGETS=(
    "list|API clients (page of 50)|/api/v1/clients/|$API"
    "list|API clients, status active|/api/v1/clients/?status=active|$API"
    "list|API clients, of one account owner|/api/v1/clients/?owner=$OWNER_ID|$API"
    "list|API clients, archived|/api/v1/clients/?archived=true|$API"
    "list|API clients, $DEEP_CLIENTS_ROWS rows deep|$DEEP_CLIENTS|$API"
    "search|API clients, search|/api/v1/clients/?q=$CLIENT_SEARCH|$API"
    "list|$REFERENCE|$REFERENCE_PATH|$API"
    "list|API contacts, of one client|/api/v1/contacts/?client=$BENCH_CLIENT|$API"
    "list|API contacts, archived|/api/v1/contacts/?archived=true|$API"
    "list|API contacts, $DEEP_CONTACTS_ROWS rows deep|$DEEP_CONTACTS|$API"
    "search|API contacts, search|/api/v1/contacts/?q=$CONTACT_SEARCH|$API"
    "list|API projects (page of 50)|/api/v1/projects/|$API"
    "list|API projects, of one client|/api/v1/projects/?client=$BENCH_CLIENT|$API"
    "list|API projects, status active|/api/v1/projects/?status=active|$API"
    "list|API projects, archived|/api/v1/projects/?archived=true|$API"
    "list|API projects, $DEEP_PROJECTS_ROWS rows deep|$DEEP_PROJECTS|$API"
    "list|API milestones (page of 50)|/api/v1/milestones/|$API"
    "list|API milestones, of one project|/api/v1/milestones/?project=$BENCH_PROJECT|$API"
    "list|API milestones due in 3 days|/api/v1/milestones/?due_within_days=3|$API"
    "list|API milestones, open|/api/v1/milestones/?open=true|$API"
    "list|API milestones due in 3 days, open|/api/v1/milestones/?due_within_days=3&open=true|$API"
    "list|API milestones, archived|/api/v1/milestones/?archived=true|$API"
    "list|API milestones, $DEEP_MILESTONES_ROWS rows deep|$DEEP_MILESTONES|$API"
    "list|API deliverables (page of 50)|/api/v1/deliverables/|$API"
    "list|API deliverables, of one milestone|/api/v1/deliverables/?milestone=$BENCH_MILESTONE|$API"
    "list|API deliverables, archived|/api/v1/deliverables/?archived=true|$API"
    "list|API deliverables, $DEEP_DELIVERABLES_ROWS rows deep|$DEEP_DELIVERABLES|$API"
    "search|clients page, search (staff)|/clients/?q=$CLIENT_SEARCH|$STAFF"
    "staff|dashboard (staff)|/dashboard/|$STAFF"
    "staff|clients page (staff)|/clients/|$STAFF"
    "staff|client page (staff)|/clients/$BENCH_CLIENT/|$STAFF"
    "staff|projects page (staff)|/projects/|$STAFF"
    "staff|project page (staff)|/projects/$BENCH_PROJECT/|$STAFF"
    "staff|settings page (staff)|/accounts/settings/|$STAFF"
)
while IFS='|' read -r name path note; do
    TARGETS+=("portal|$name|$path|$PORTAL||$note")
done <<<"$PORTAL_TARGETS"
TARGETS+=(
    "create|API create client|/api/v1/clients/|$API|{\"name\": \"Bench HTTP client {n}\", \"kind\": \"company\", \"status\": \"lead\", \"industry_tags\": [\"design\"], \"language\": \"en\", \"timezone\": \"Europe/Athens\", \"currency\": \"EUR\", \"referral_source\": \"website\"}|clients"
    "create|API create contact|/api/v1/contacts/|$API|{\"client\": %CLIENT%, \"name\": \"Bench HTTP contact {n}\", \"role\": \"Marketing\", \"email\": \"bench-http-{n}@example.com\", \"phone\": \"+30 6912345678\", \"preferred_channel\": \"email\", \"language\": \"en\"}|contacts"
    "create|API create project|/api/v1/projects/|$API|{\"client\": %CLIENT%, \"title\": \"Bench HTTP project {n}\", \"goal\": \"A new website that brings in leads.\", \"start_date\": \"%TODAY%\", \"due_date\": \"%QUARTER%\", \"budget\": \"4800.00\", \"status\": \"active\", \"update_cadence\": \"weekly\"}|projects"
    "create|API create milestone|/api/v1/milestones/|$API|{\"project\": %PROJECT%, \"title\": \"Bench HTTP milestone {n}\", \"due_date\": \"%DUE%\"}|milestones"
    "create|API create deliverable|/api/v1/deliverables/|$API|{\"milestone\": %MILESTONE%, \"title\": \"Bench HTTP deliverable {n}\", \"spec\": \"Home page and two inner pages, desktop and mobile.\", \"format\": \"Figma file\"}|deliverables"
)

echo "gunicorn: 2 sync workers on $BASE; database $(sed -E 's#//[^@/]*@#//#; s#\?.*##' <<<"$DATABASE_URL")"
echo "CPUs $(nproc); load average $(cut -d' ' -f1-3 /proc/loadavg); wrk $DURATION per run${ONLY:+; ONLY=$ONLY}${PAIRED:+; PAIRED}"
echo "$MACHINE_SPEED"
echo
echo "| request | connections | req/s | p50 ms | p90 ms | p99 ms | mean ms | requests | errors |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"

RESULTS=()  # kind|name|shown path|req/s at 4 connections|errors at 4|path|contacts req/s alongside
FAILED=()   # targets that did not answer as they should
NOTES=()    # targets not measured, and what the create runs wrote

# One wrk run; prints the RESULT line of bench/wrk_report.lua (empty if wrk failed).
run_wrk() {
    local connections="$1" path="$2" header="$3" script="$4"
    local threads=$((connections < 2 ? 1 : 2))
    wrk -t"$threads" -c"$connections" -d"$DURATION" --timeout 5s -s "$script" \
        -H "$header" "$BASE$path" 2>&1 | grep '^RESULT' || true
}

# The parents of the created rows, once, before the first create (0: ready, 1: failed).
prepare_writes() {
    local prepared
    if [[ -z "$WRITES_PREPARED" ]]; then
        WRITES_PREPARED=1 # from here on, clean up on exit
        prepared="$($PY bench/http_writes.py prepare 2>"$WORK/prepare.err")" || return 1
        eval "$prepared"
    fi
}

for target in "${TARGETS[@]}"; do
    IFS='|' read -r kind name path header body note <<<"$target"
    if [[ -n "$ONLY" && "$name" != "$REFERENCE" && ! "$name $path" =~ $ONLY ]]; then
        continue
    fi
    if [[ -z "$path" ]]; then
        NOTES+=("$name: ${note:-not measured}")
        continue
    fi
    [[ "$kind" != create && -n "$note" ]] && NOTES+=("$name: $note")
    script=bench/wrk_report.lua
    if [[ "$kind" == create ]]; then
        if ! prepare_writes; then
            FAILED+=("$name: bench/http_writes.py prepare failed: $(tr '\n' ' ' <"$WORK/prepare.err")")
            continue
        fi
        body="${body//%CLIENT%/$WRITE_CLIENT}"
        body="${body//%PROJECT%/$WRITE_PROJECT}"
        body="${body//%MILESTONE%/$WRITE_MILESTONE}"
        body="${body//%TODAY%/$WRITE_TODAY}"
        body="${body//%DUE%/$WRITE_DUE}"
        body="${body//%QUARTER%/$WRITE_QUARTER}"
        placeholder='{n}'
        status="$(curl -s -o "$WORK/answer" -w '%{http_code}' -H "$header" \
            -H 'Content-Type: application/json' --data "${body//"$placeholder"/check-$$}" \
            "$BASE$path" || true)"
        expected=201
        script=bench/wrk_create.lua
        export WRK_BODY="$body"
    else
        # Each response must be a 200 before it is worth timing (a login redirect is fast too).
        status="$(curl -s -o "$WORK/answer" -w '%{http_code}' -H "$header" "$BASE$path" || true)"
        expected=200
    fi
    if [[ "$status" != "$expected" ]]; then
        method=$([[ "$kind" == create ]] && echo POST || echo GET)
        FAILED+=("$name: $method $path answered $status: $(head -c 300 "$WORK/answer" | tr '\n' ' ')")
        echo "| $name \`$path\` | – | answered $status, not measured | | | | | | |"
        continue
    fi
    export WRK_RUN="warm$$"
    run_wrk 2 "$path" "$header" "$script" >/dev/null # warm both workers
    if [[ "$kind" == create ]]; then
        $PY bench/http_writes.py cleanup >/dev/null
    fi
    alongside=""
    for connections in 1 4; do
        if [[ -n "$PAIRED" && "$connections" == 4 && "$name" != "$REFERENCE" ]]; then
            alongside="$(run_wrk 4 "$REFERENCE_PATH" "$API" bench/wrk_report.lua | cut -d' ' -f2)"
        fi
        export WRK_RUN="c${connections}-$$-$(date +%s)"
        line="$(run_wrk "$connections" "$path" "$header" "$script")"
        if [[ -z "$line" ]]; then
            FAILED+=("$name: wrk gave no result at $connections connections")
            echo "| $name \`$path\` | $connections | wrk failed | | | | | | |"
            continue
        fi
        read -r _ rps p50 p90 p99 mean requests errors <<<"$line"
        # Long cursors and bodies make the table unreadable: show the path up to 60 characters.
        shown="$path"
        ((${#shown} > 60)) && shown="${shown:0:57}…"
        echo "| $name \`$shown\` | $connections | $rps | $p50 | $p90 | $p99 | $mean | $requests | $errors |"
        if [[ "$kind" == create ]]; then
            removed="$($PY bench/http_writes.py cleanup | grep '^REMOVED' || true)"
            rows="$(grep -oE "(^| )$note=[0-9]+" <<<"$removed" | cut -d= -f2 || true)"
            others="$(tr ' ' '\n' <<<"${removed#REMOVED }" | grep -vE "^$note=|=0\$" | paste -sd' ' || true)"
            # wrk counts the answers received before it stops; a request in flight still writes.
            NOTES+=("$name, c=$connections: ${rows:-?} $note written for $requests answers counted by wrk ($errors errors), removed again${others:+ with $others}")
        fi
        if [[ "$connections" == 4 ]]; then
            [[ -n "$PAIRED" && "$name" == "$REFERENCE" ]] && alongside="$rps"
            RESULTS+=("$kind|$name|$shown|$rps|$errors|$path|$alongside")
        fi
    done
done

echo
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

reference=""
for result in "${RESULTS[@]}"; do
    IFS='|' read -r kind name shown rps errors _path _alongside <<<"$result"
    [[ "$name" == "$REFERENCE" ]] && reference="$rps"
done
echo
if [[ -z "$reference" ]] || ! awk -v r="$reference" 'BEGIN { exit !(r > 0) }'; then
    echo "No req/s of \"$REFERENCE\" at 4 connections: no ratios."
else
    # The ratios hold only if the machine served the reference as fast at the end as at the
    # start: measure it again (a shared machine's load can change a lot in a long run).
    again="$(run_wrk 4 "$REFERENCE_PATH" "$API" bench/wrk_report.lua | cut -d' ' -f2)"
    echo "\"$REFERENCE\" at 4 connections: $reference req/s in the table, ${again:-?} req/s again at the end."
    if [[ -z "$again" ]] || ! awk -v a="$again" -v r="$reference" 'BEGIN { exit !(a > 0.8 * r && a < 1.25 * r) }'; then
        if [[ -n "$PAIRED" ]]; then
            echo "The machine's speed changed during the run (more than 20 %); each ratio below is against the contacts list timed right before the target (PAIRED)."
        else
            echo "**The machine's speed changed during the run (more than 20 %): the ratios below are not reliable; run again on a quiet machine, or with PAIRED=1.**"
        fi
    fi
    echo
    if [[ -n "$PAIRED" ]]; then
        echo "Against \"$REFERENCE\" at 4 connections, timed right before each target (PAIRED):"
    else
        echo "Against \"$REFERENCE\" at 4 connections ($reference req/s):"
    fi
    echo "lists and searches should reach 0.5 of it, portal and staff pages 0.2, creates 0.25."
    echo
    echo "| request | kind | req/s at 4 | contacts req/s | ratio | bar | |"
    echo "|---|---|---:|---:|---:|---:|---|"
    MISSES=()
    for result in "${RESULTS[@]}"; do
        IFS='|' read -r kind name shown rps errors _path alongside <<<"$result"
        against="${alongside:-$reference}"
        case "$kind" in
            list | search) bar=0.5 ;;
            staff | portal) bar=0.2 ;;
            create) bar=0.25 ;;
        esac
        # Rounded down, so that a ratio shown as the bar always reaches it.
        ratio="$(awk -v a="$rps" -v r="$against" 'BEGIN { if (r > 0) printf "%.2f", int(a / r * 100) / 100; else print "?" }')"
        if awk -v a="$rps" -v r="$against" -v b="$bar" 'BEGIN { exit !(a >= b * r) }'; then
            verdict="ok"
        else
            verdict="**misses**"
            MISSES+=("$name ($kind): $rps req/s, $ratio of the contacts list, bar $bar")
        fi
        [[ "$errors" != 0 ]] && verdict="$verdict ($errors errors)"
        echo "| $name \`$shown\` | $kind | $rps | $against | $ratio | $bar | $verdict |"
    done
    echo
    if ((${#MISSES[@]})); then
        echo "Below their bar (${#MISSES[@]}):"
        printf -- '- %s\n' "${MISSES[@]}"
    else
        echo "Every target measured reaches its bar."
    fi
fi
if ((${#NOTES[@]})); then
    echo
    echo "Notes:"
    printf -- '- %s\n' "${NOTES[@]}"
fi
if ((${#FAILED[@]})); then
    echo
    echo "Failed (${#FAILED[@]}):"
    printf -- '- %s\n' "${FAILED[@]}"
fi
