#!/usr/bin/env bash
# The project's single test command (CI runs it through .ci/run).
# Brings up the services the suite needs (PostgreSQL, Redis), then runs the
# whole Rust suite once per database backend, so neither backend can rot.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# CI runs as root on a bare Debian 12; developers usually are not root.
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

phase() { printf '\n==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

apt_updated=""
apt_install() {
  # One `apt-get update` per run, however many packages turn out to be missing.
  if [ -z "$apt_updated" ]; then $SUDO apt-get update; apt_updated=1; fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}

pg_ready() { pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }

# ---------------------------------------------------------------- PostgreSQL
# The postgres backend tests are real tests, not optional extras: if the
# server cannot be brought up we fail rather than silently skipping them.
phase "postgresql on 127.0.0.1:5432"
if ! pg_ready; then
  installed=""
  if [ ! -d /etc/postgresql ]; then
    apt_install postgresql
    installed=1
  fi
  ver="$(ls /etc/postgresql | head -n1)"
  [ -n "$ver" ] || die "no cluster version under /etc/postgresql"
  [ -d "/etc/postgresql/$ver/main" ] || $SUDO pg_createcluster "$ver" main
  if [ -n "$installed" ]; then
    # A fresh Debian cluster wants a password over TCP; the tests connect as
    # `postgres` with no password. Prepend trust rules (first match wins).
    hba="/etc/postgresql/$ver/main/pg_hba.conf"
    if ! $SUDO grep -q 'switchboard-test' "$hba"; then
      $SUDO sed -i '1i # switchboard-test: local test server, trust loopback TCP\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    fi
  fi
  # The package's own postinst may already have started it (then just reload
  # so the new pg_hba.conf applies); otherwise start it without systemd.
  if pg_ready; then
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$ver" main reload
  else
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
  fi
  for _ in $(seq 30); do pg_ready && break; sleep 1; done
  if ! pg_ready; then
    $SUDO tail -n 20 "/var/log/postgresql/postgresql-$ver-main.log" >&2 || true
    die "PostgreSQL did not come up on 127.0.0.1:5432 within 30 s"
  fi
fi
psql -w -h 127.0.0.1 -U postgres -Atc 'select 1' >/dev/null \
  || die "PostgreSQL is up but refuses passwordless login as 'postgres' over 127.0.0.1 (set trust auth in pg_hba.conf)"

# Databases left behind by crashed or killed earlier runs would pile up.
psql -h 127.0.0.1 -U postgres -Atc \
  "select datname from pg_database where datname like 'sb_test_%'" 2>/dev/null |
  while read -r db; do
    dropdb -h 127.0.0.1 -U postgres --if-exists "$db" || true
  done || true

# --------------------------------------------------------------------- Redis
# Not every suite needs it yet, but starting it here keeps CI one command.
phase "redis on 127.0.0.1:6379"
redis_ready() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }
if ! redis_ready; then
  command -v redis-server >/dev/null || apt_install redis-server
  # No persistence: it is a throwaway test server; --dir keeps stray files
  # out of the repository.
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 \
    --save "" --appendonly no --dir "${TMPDIR:-/tmp}"
  for _ in $(seq 10); do redis_ready && break; sleep 1; done
  redis_ready || die "Redis did not answer PING on 127.0.0.1:6379 within 10 s"
fi
# Each realtime test run uses its own key namespace; drop what earlier runs left.
redis-cli -h 127.0.0.1 -p 6379 --scan --pattern 'sbtest-*' | xargs -r -n 500 redis-cli -h 127.0.0.1 -p 6379 del >/dev/null || true

# ------------------------------------------------------ Chromium + chromedriver
# The console is also tested in a real browser; Debian's packages, no download at test time.
phase "chromium and chromedriver"
if ! command -v chromedriver >/dev/null || ! command -v chromium >/dev/null; then
  apt_install chromium chromium-driver
fi
chromedriver --version || die "chromedriver does not run"

# ------------------------------------------------------------------ SMTP sink
# The email tests hand mail to a real SMTP server on loopback: aiosmtpd, started by
# each test (tests/support/smtp_sink.py). From PyPI, else from Debian's package.
phase "aiosmtpd (SMTP sink)"
if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
  python3 -m pip install --quiet aiosmtpd 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages aiosmtpd 2>/dev/null \
    || apt_install python3-aiosmtpd
fi
python3 -c 'import aiosmtpd' || die "python3 cannot import aiosmtpd"
# The STARTTLS test makes the sink a self-signed certificate.
command -v openssl >/dev/null || apt_install openssl

# ------------------------------------------------------------------ axe-core
# The console's accessibility check loads axe-core (npm) into each page.
phase "axe-core (npm, tests/browser)"
if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then
  command -v npm >/dev/null || apt_install nodejs npm
  (cd tests/browser && npm ci --no-audit --no-fund)
fi
[ -f tests/browser/node_modules/axe-core/axe.min.js ] || die "axe-core is not installed in tests/browser"

# --------------------------------------------------------------------- Rust
export SWITCHBOARD_TEST_PG_URL="${SWITCHBOARD_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if [ -t 1 ]; then export CARGO_TERM_COLOR=always; fi
locked=()
if [ -f Cargo.lock ]; then locked=(--locked); fi

if cargo nextest --version >/dev/null 2>&1; then
  runner=(cargo nextest run --workspace --no-fail-fast "${locked[@]}")
else
  runner=(cargo test --workspace --no-fail-fast "${locked[@]}")
fi

# House habits first: formatting and lints are part of the suite, so CI refuses code that
# is not rustfmt-clean or that clippy warns about (unwrap/expect outside tests included).
phase "format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets "${locked[@]}" -- -D warnings

# Build everything once up front so the two backend runs below only execute
# tests, and so a compile error is reported once rather than twice.
phase "build"
cargo build --workspace --all-targets "${locked[@]}"

# Run every backend even if an earlier one failed: a failure on only one
# backend is itself the useful signal.
results=()
failed=()
for backend in sqlite postgres; do
  phase "tests on $backend"
  if SWITCHBOARD_TEST_DATABASE="$backend" "${runner[@]}"; then
    results+=("$backend: ok")
  else
    results+=("$backend: FAILED")
    failed+=("$backend")
  fi
done

# The API from outside, on the built binary: schemathesis against the served OpenAPI document
# (as an agent and as an admin), then clients generated from the document running the README's
# tour. Both install their pinned tools when missing.
phase "API fuzzing: schemathesis"
if ! python3 -c 'import schemathesis' 2>/dev/null; then
  python3 -m pip install --quiet schemathesis==4.32.5 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages schemathesis==4.32.5
fi
if python3 tests/fuzz/schemathesis_run.py --bin target/debug/switchboard --max-examples 10 --max-time 90; then
  results+=("schemathesis: ok")
else
  results+=("schemathesis: FAILED")
  failed+=("schemathesis")
fi
phase "generated API clients (Python, TypeScript)"
if bash tests/clients/run.sh target/debug/switchboard; then
  results+=("generated clients: ok")
else
  results+=("generated clients: FAILED")
  failed+=("generated clients")
fi

phase "summary (${runner[0]} ${runner[1]}, ${SECONDS}s)"
printf '    %s\n' "${results[@]}"
if [ "${#failed[@]}" -gt 0 ]; then
  die "tests failed on: ${failed[*]}"
fi
echo "all backends passed"
