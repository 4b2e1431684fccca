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
# running as root. The common part is bench/lib.sh.
set -euo pipefail

BENCH_NAME=http.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DATABASE="${DATABASE:-sqlite}"

need_wrk
build_release

case "$DATABASE" in
  sqlite) DATABASE_URL="sqlite://$WORK/bench.db" ;;
  *) DATABASE_URL="$DATABASE" ;;
esac
start_server "$DATABASE_URL" bench
POST_LUA="$(post_lua)"
assess_once

echo "== wrk: POST /api/v1/assessments (${DURATION}s, $CONNECTIONS connections, $THREADS thread)" >&2
run_wrk assess -s "$POST_LUA" "$BASE/api/v1/assessments"
echo "== wrk: GET /healthz (${DURATION}s, $CONNECTIONS connections, $THREADS thread)" >&2
run_wrk healthz "$BASE/healthz"

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
