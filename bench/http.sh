#!/usr/bin/env bash
# Load test of `upperback serve` with wrk: POST /api/v1/assessments with a 300-character text,
# then GET /healthz, in the same run against the same server (release build, the store on —
# by default the embedded SQLite store, in a fresh file, as `upperback serve` uses it — and
# the per-client rate limit on but set high enough not to refuse wrk).
# Prints requests/second and p99 latency of each and their ratio, and checks the targets:
# at least 5,000 assessments/s with no errors, and at least half the /healthz rate.
#
#   bench/http.sh
#
# Environment: DATABASE (`sqlite`, the default: a fresh SQLite file; `memory`: the bounded
# in-memory store; or any --database URL), DURATION (seconds per run, default 10),
# CONNECTIONS (default 64: SQLite commits the writes waiting together, so more connections
# mean fewer fsyncs per assessment), THREADS (wrk threads, default 1: on a 2-core machine wrk
# and the server share the cores), PORT (default a free loopback port), CARGO_TARGET_DIR as
# for cargo. Needs wrk (Debian package `wrk`); installed with apt-get when missing and
# running as root.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-64}"
DATABASE="${DATABASE:-sqlite}"
THREADS="${THREADS:-1}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing wrk" >&2
    apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null
  else
    echo "bench/http.sh: wrk is needed (apt-get install wrk)" >&2
    exit 1
  fi
fi

echo "== building (release)" >&2
(cd "$ROOT" && cargo build --release -q -p upperback-cli)
BIN="$TARGET_DIR/release/upperback"

if [ -z "${PORT:-}" ]; then
  PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 18123)"
fi
BASE="http://127.0.0.1:$PORT"

WORK="$(mktemp -d /tmp/upperback-http-bench.XXXXXX)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

case "$DATABASE" in
  sqlite) DATABASE_URL="sqlite://$WORK/bench.db" ;;
  *) DATABASE_URL="$DATABASE" ;;
esac
"$BIN" serve --bind "127.0.0.1:$PORT" --database "$DATABASE_URL" --rate-limit 1000000 >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "$BASE/healthz" >/dev/null || { echo "the server did not start:" >&2; cat "$WORK/server.err" >&2; exit 1; }

# A 300-character description, as a person would write it.
TEXT="I have had a painful spasm between my shoulder blades since Monday after playing golf. It gets worse when I sit at my desk for long hours and eases a bit with heat. No fever, no chest pain, no numbness or tingling in my arms. I am 45 and have had similar episodes before. Work has been stressful too."
[ "${#TEXT}" -eq 300 ] || { echo "the text is ${#TEXT} characters, not 300" >&2; exit 1; }
cat >"$WORK/post.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"text": "$TEXT"}'
EOF
# One request by hand first: it must be a 200 with an id.
curl -fsS -X POST -H 'Content-Type: application/json' --data "{\"text\": \"$TEXT\"}" "$BASE/api/v1/assessments" \
  | grep -q '"id":' || { echo "the assessment request failed" >&2; exit 1; }

run() { # name, wrk args...
  local name="$1"; shift
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" >"$WORK/$name.txt"
}
echo "== wrk: POST /api/v1/assessments (${DURATION}s, $CONNECTIONS connections, $THREADS thread)" >&2
run assess -s "$WORK/post.lua" "$BASE/api/v1/assessments"
echo "== wrk: GET /healthz (${DURATION}s, $CONNECTIONS connections, $THREADS thread)" >&2
run healthz "$BASE/healthz"

rps() { awk '/^Requests\/sec:/ {print $2}' "$WORK/$1.txt"; }
p99() { awk '$1 == "99%" {print $2}' "$WORK/$1.txt"; }
errors() { # non-2xx responses + socket errors
  awk '/Non-2xx or 3xx responses:/ {n += $NF}
       /Socket errors:/ {gsub(",", ""); for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) n += $i}
       END {print n + 0}' "$WORK/$1.txt"
}
requests() { awk '/requests in/ {print $1}' "$WORK/$1.txt"; }

A_RPS="$(rps assess)"; H_RPS="$(rps healthz)"
RATIO="$(awk -v a="$A_RPS" -v h="$H_RPS" 'BEGIN {printf "%.2f", a / h}')"
A_ERR="$(errors assess)"; H_ERR="$(errors healthz)"

printf '\n%-28s %12s %10s %10s %8s\n' "endpoint" "requests/s" "p99" "requests" "errors"
printf '%-28s %12s %10s %10s %8s\n' "POST /api/v1/assessments" "$A_RPS" "$(p99 assess)" "$(requests assess)" "$A_ERR"
printf '%-28s %12s %10s %10s %8s\n' "GET /healthz" "$H_RPS" "$(p99 healthz)" "$(requests healthz)" "$H_ERR"
printf 'ratio assessments / healthz: %s\n' "$RATIO"
printf 'machine: %s cores; wrk -t%s -c%s -d%ss; text %s characters; store: %s\n' \
  "$(nproc)" "$THREADS" "$CONNECTIONS" "$DURATION" "${#TEXT}" "$DATABASE"

status=0
awk -v a="$A_RPS" 'BEGIN {exit !(a >= 5000)}' || { echo "BELOW TARGET: fewer than 5,000 assessments/s"; status=1; }
[ "$A_ERR" = 0 ] || { echo "BELOW TARGET: $A_ERR errors on assessments"; status=1; }
awk -v r="$RATIO" 'BEGIN {exit !(r >= 0.5)}' || { echo "BELOW TARGET: assessments below half the /healthz rate"; status=1; }
[ "$status" = 0 ] && echo "targets met: >= 5,000 assessments/s, no errors, >= 0.5 of /healthz"
exit "$status"
