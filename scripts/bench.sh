#!/usr/bin/env bash
# Benchmarks of the foundation (issue 2), reproducible on any machine with the release binary,
# PostgreSQL on 127.0.0.1:5432 (trust auth) and wrk (`apt-get install wrk`):
#   - start-up of the built binary to /readyz (fresh SQLite file, migrations included)
#   - idle RSS of the server
#   - p50/p99 latency and throughput of GET /api/v1/users (50 users, JWT auth) under wrk,
#     on SQLite and on PostgreSQL.
# Usage: scripts/bench.sh [seconds per run, default 20] [connections, default 32]
# Not a test: it measures, it asserts nothing. Results go to stdout.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DURATION="${1:-20}"
CONNS="${2:-32}"
BIN="${BIN:-target/release/switchboard}"
PG_ADMIN="${SWITCHBOARD_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
PORT=18181
API="http://127.0.0.1:$PORT/api/v1"
[ -x "$BIN" ] || cargo build --release
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

json() { python3 -c "import sys, json; print(json.load(sys.stdin)$1)"; }

start_server() { # $1 = DATABASE_URL or empty for the default SQLite file
  DATA=$(mktemp -d)
  local t0 t1
  t0=$(date +%s%N)
  env ${1:+DATABASE_URL="$1"} SWITCHBOARD_DATA_DIR="$DATA" SWITCHBOARD_LISTEN="127.0.0.1:$PORT" \
    SWITCHBOARD_OPERATOR_PASSWORD=operator-password-1 SWITCHBOARD_LOG=warn "$BIN" >"$DATA/log" 2>&1 &
  PID=$!
  until curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null; do sleep 0.01; done
  t1=$(date +%s%N)
  echo "  start-up to ready: $(( (t1 - t0) / 1000000 )) ms"
}

stop_server() { kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; rm -rf "$DATA"; }

rss() { awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' "/proc/$PID/status"; }

seed() {
  local op admin
  op=$(curl -s "$API/auth/token" -H 'content-type: application/json' \
    -d '{"email":"operator@switchboard.local","password":"operator-password-1"}' | json '["access_token"]')
  curl -s "$API/platform/tenants" -H "authorization: Bearer $op" -H 'content-type: application/json' \
    -d '{"name":"Bench","slug":"bench","plan":"prime","admin":{"email":"a@bench.example.com","display_name":"A","password":"bench-password-1"}}' >/dev/null
  admin=$(curl -s "$API/auth/token" -H 'content-type: application/json' \
    -d '{"tenant":"bench","email":"a@bench.example.com","password":"bench-password-1"}' | json '["access_token"]')
  for i in $(seq 1 49); do
    curl -s "$API/users" -H "authorization: Bearer $admin" -H 'content-type: application/json' \
      -d "{\"email\":\"agent$i@bench.example.com\",\"display_name\":\"Agent $i\",\"role\":\"agent\"}" >/dev/null
  done
  TOKEN="$admin"
}

run() { # $1 = label, $2 = DATABASE_URL or empty
  echo "== $1"
  start_server "$2"
  sleep 1
  echo "  idle RSS after start: $(rss)"
  seed
  echo "  RSS after seeding 50 users: $(rss)"
  wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" "$API/users?limit=50" |
    grep -E "Requests/sec|50%|75%|90%|99%|Non-2xx|Socket errors" | sed 's/^/  /'
  echo "  RSS after the load: $(rss)"
  stop_server
}

echo "Switchboard benchmark: $(nproc) cores, wrk -t2 -c$CONNS -d${DURATION}s, GET /api/v1/users?limit=50 (50 users)"
run "SQLite (default file)" ""
DB="sb_bench_$$"
psql -q "$PG_ADMIN" -c "CREATE DATABASE $DB"
run "PostgreSQL" "${PG_ADMIN%/*}/$DB"
psql -q "$PG_ADMIN" -c "DROP DATABASE $DB"
