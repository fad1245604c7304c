#!/usr/bin/env bash
# Proves that API clients *generated* from openapi/openapi.json run the README's five-minute
# tour unmodified: a Python client (openapi-python-client) and a TypeScript one
# (openapi-typescript + openapi-fetch, type-checked with `tsc --strict`). Each tour runs
# against its own fresh server (a new SQLite data dir, a free loopback port). The generated
# code is written to a temporary folder (Python) or to tests/clients/ts/generated/ (git-ignored)
# and is never edited: when a generator or a generated model fails, the document is at fault.
#
#   tests/clients/run.sh [path/to/switchboard]     (default target/debug/switchboard)
#
# Environment:
#   OPENAPI_DOC     the document to generate the clients from (default openapi/openapi.json);
#                   when set, the check that the server serves the same document is skipped.
#   KEEP_WORK=1     keep the temporary folder (generated Python client, server logs).
#
# Installs what is missing: openapi-python-client (pip, pinned below) and the npm packages
# pinned in tests/clients/ts/package-lock.json (`npm ci`). Needs python3 >= 3.11, node >= 20.
set -euo pipefail

OPENAPI_PYTHON_CLIENT_VERSION=0.29.1

started=$SECONDS
# A path given as an argument or in OPENAPI_DOC is relative to where the script is run from;
# the defaults are relative to the repository's root, where the script then works.
absolute() { if [[ $1 == /* ]]; then echo "$1"; else echo "$PWD/$1"; fi; }
bin=${1:+$(absolute "$1")}
doc=${OPENAPI_DOC:+$(absolute "$OPENAPI_DOC")}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
clients=tests/clients
bin=${bin:-target/debug/switchboard}
doc=${doc:-openapi/openapi.json}

say() { printf '\n==> %s\n' "$*"; }
die() {
  printf '\nclients: FAILED: %s\n' "$*" >&2
  exit 1
}

[[ -x $bin ]] || die "no executable server binary at $bin (build it, or pass its path)"
[[ -f $doc ]] || die "no OpenAPI document at $doc"
doc_path=$(cd "$(dirname "$doc")" && pwd)/$(basename "$doc")
command -v python3 >/dev/null || die "python3 is needed"
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
  die "python3 >= 3.11 is needed (the generated client uses enum.StrEnum), found $(python3 -V)"
command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are needed"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 20 ? 1 : 0)' ||
  die "node >= 20 is needed, found $(node --version)"

work=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-clients.XXXXXX")
server_pids=()
cleanup() {
  local rc=$?
  for pid in ${server_pids[@]+"${server_pids[@]}"}; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
  if [[ ${KEEP_WORK:-} == 1 ]]; then
    echo "clients: kept $work"
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools -----------------------------------------------------------------------------------
say "tools"
opc_version() {
  python3 -c 'import importlib.metadata as m; print(m.version("openapi-python-client"))' 2>/dev/null || true
}
if [[ $(opc_version) != "$OPENAPI_PYTHON_CLIENT_VERSION" ]]; then
  echo "installing openapi-python-client==$OPENAPI_PYTHON_CLIENT_VERSION"
  pkg="openapi-python-client==$OPENAPI_PYTHON_CLIENT_VERSION"
  python3 -m pip install --quiet --disable-pip-version-check "$pkg" 2>/dev/null ||
    python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "$pkg" ||
    die "could not install $pkg"
  [[ $(opc_version) == "$OPENAPI_PYTHON_CLIENT_VERSION" ]] || die "$pkg did not install"
fi
echo "openapi-python-client $(opc_version)"

# `npm ci` when node_modules is missing or was installed from another package-lock.json.
lock_sum=$(cksum <"$clients/ts/package-lock.json")
stamp=$clients/ts/node_modules/.switchboard-lock-cksum
if [[ ! -f $stamp || $(cat "$stamp") != "$lock_sum" ]]; then
  echo "npm ci in $clients/ts"
  (cd "$clients/ts" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
  echo "$lock_sum" >"$stamp"
fi
(cd "$clients/ts" && node -e '
  for (const p of ["openapi-typescript", "openapi-fetch", "typescript", "tsx"])
    process.stdout.write(`${p} ${require(`./node_modules/${p}/package.json`).version}\n`);')

# --- servers -----------------------------------------------------------------------------------
# launch_server NAME: starts a fresh server (its own data dir and port) in the background; its
# URL goes to $work/NAME/url, its log to $work/NAME/server.log. wait_ready NAME waits for /readyz.
launch_server() {
  local name=$1 port base
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  base=http://127.0.0.1:$port
  mkdir -p "$work/$name/data"
  echo "$base" >"$work/$name/url"
  env -u DATABASE_URL -u REDIS_URL -u SWITCHBOARD_GEOIP_DB \
    SWITCHBOARD_LISTEN="127.0.0.1:$port" \
    SWITCHBOARD_PUBLIC_URL="$base" \
    SWITCHBOARD_DATA_DIR="$work/$name/data" \
    SWITCHBOARD_OPERATOR_EMAIL=operator@switchboard.local \
    SWITCHBOARD_OPERATOR_PASSWORD=operator-password-1 \
    SWITCHBOARD_LOG=warn \
    "$bin" >"$work/$name/server.log" 2>&1 &
  server_pids+=("$!")
  echo "$!" >"$work/$name/pid"
}
wait_ready() {
  local name=$1
  if ! python3 - "$(cat "$work/$name/url")" "$(cat "$work/$name/pid")" <<'EOF'; then
import os, sys, time, urllib.request
base, pid = sys.argv[1], int(sys.argv[2])
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("the server exited during start-up")
    try:
        with urllib.request.urlopen(f"{base}/readyz", timeout=2) as r:
            if r.status == 200:
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.1)
sys.exit("the server did not become ready within 60 s")
EOF
    server_log "$name"
    die "the $name server ($bin) did not start"
  fi
}
server_log() {
  echo "--- the $1 server's log (last lines) ---" >&2
  tail -n 40 "$work/$1/server.log" >&2 || true
}

# One server per tour, so that neither depends on what the other did. Both start while the
# clients are generated.
launch_server python
launch_server typescript

# --- the served document -----------------------------------------------------------------------
served_document() {
  say "the served document"
  wait_ready python
  if [[ -n ${OPENAPI_DOC:-} ]]; then
    echo "skipped: OPENAPI_DOC is set"
    return
  fi
  # The clients are generated from the committed file: it must be what the server serves.
  python3 - "$(cat "$work/python/url")/api/openapi.json" "$doc" <<'EOF' || die "the server does not serve $doc"
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=10) as r:
    served = json.load(r)
with open(sys.argv[2]) as f:
    committed = json.load(f)
if served != committed:
    sys.exit(f"{sys.argv[1]} differs from {sys.argv[2]}: regenerate it (`cargo run -- openapi`)")
print("the server's /api/openapi.json is the committed document")
EOF
}

# --- the Python client -------------------------------------------------------------------------
python_part() {
  say "Python: generate the client from $doc (openapi-python-client $OPENAPI_PYTHON_CLIENT_VERSION)"
  local out=$work/python/switchboard_client
  if ! python3 -m openapi_python_client generate --path "$doc" --output-path "$out" \
    --meta none >"$work/python-generate.log" 2>&1; then
    tail -n 25 "$work/python-generate.log" >&2
    die "openapi-python-client $OPENAPI_PYTHON_CLIENT_VERSION could not generate a client from $doc (the error is above)"
  fi
  # Warnings (operations it skips, such as the image bodies of the avatar calls) do not fail
  # the run: the tour does not use those operations.
  grep -E '^WARNING' "$work/python-generate.log" | sed 's/^/  generator: /' || true
  [[ -f $out/client.py ]] || die "openapi-python-client wrote no client to $out"

  say "Python: the tour"
  wait_ready python
  python3 "$clients/python_tour.py" --client-dir "$work/python" --package switchboard_client \
    --base-url "$(cat "$work/python/url")" --slug acme ||
    { server_log python; die "the Python tour failed with the client generated from $doc"; }
}

# --- the TypeScript client ---------------------------------------------------------------------
typescript_part() {
  say "TypeScript: generate the types from $doc and type-check the tour (tsc --strict)"
  rm -rf "$clients/ts/generated"
  (cd "$clients/ts" && npx --no-install openapi-typescript "$doc_path" -o generated/schema.d.ts) ||
    die "openapi-typescript could not generate types from $doc"
  (cd "$clients/ts" && npx --no-install tsc --noEmit -p tsconfig.json) ||
    die "tour.ts does not type-check against the types generated from $doc (the errors are above)"

  say "TypeScript: the tour"
  wait_ready typescript
  (cd "$clients/ts" && npx --no-install tsx tour.ts --doc "$doc_path" --base-url "$(cat "$work/typescript/url")" --slug acme) ||
    { server_log typescript; die "the TypeScript tour failed with the client generated from $doc"; }
}

# --- run all parts, report every failure -------------------------------------------------------
# Each part runs in a subshell with errexit, so that one failing does not hide another.
failed=()
set +e
(set -e; served_document)
(($? == 0)) || failed+=("served document")
(set -e; python_part)
(($? == 0)) || failed+=("Python client")
(set -e; typescript_part)
(($? == 0)) || failed+=("TypeScript client")
set -e

elapsed=$((SECONDS - started))
if ((${#failed[@]})); then
  list=$(printf '%s, ' "${failed[@]}")
  die "${list%, } (after ${elapsed} s; each part's error is above)"
fi
say "clients: PASSED: both clients generated from $doc ran the tour (${elapsed} s)"
