#!/usr/bin/env bash
# Persistence under load: `upperback serve` (release build) on each backend in turn — a fresh
# SQLite file, then a fresh PostgreSQL database — with wrk POSTing /api/v1/assessments (the
# 300-character text of bench/http.sh), then a check that every acknowledged write was
# committed: the server is killed with SIGKILL (no clean shutdown, no WAL checkpoint), and the
# rows in the database are counted, which must be at least the 2xx answers wrk received
# (plus the one request made by hand first).
#
# Prints, per backend: stored assessments/s (2xx answers per second), p99 latency, errors
# (non-2xx + socket errors), 2xx answers, rows counted; and whether the target is met
# (>= 5,000 stored assessments/s on SQLite, no errors, nothing acknowledged lost). PostgreSQL
# is only reported (no rate target), and skipped with a line when it does not answer.
#
#   bench/store.sh
#
# Environment: BACKENDS (default `sqlite postgres`), PG_ADMIN (default
# postgres://postgres@127.0.0.1:5432/postgres: a database `upperback_bench_<random>` is made
# there with createdb and dropped after), and those of bench/lib.sh: DURATION (default 10),
# CONNECTIONS (64), THREADS (1), PORT, CARGO_TARGET_DIR. Needs wrk, python3 (to count SQLite
# rows; the sqlite3 CLI may be missing), and psql/createdb/dropdb for PostgreSQL.
set -euo pipefail

BENCH_NAME=store.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
BACKENDS="${BACKENDS:-sqlite postgres}"
PG_ADMIN="${PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}"
PG_BASE="${PG_ADMIN%/*}"
PG_DB=""
bench_cleanup() {
  if [ -n "$PG_DB" ]; then
    dropdb --if-exists --force --maintenance-db="$PG_ADMIN" "$PG_DB" 2>/dev/null \
      || psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
    PG_DB=""
  fi
}

need_wrk
build_release
POST_LUA="$(post_lua)"

count_sqlite() { # the SQLite file: rows in assessments (python3's sqlite3 recovers the WAL)
  python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(c.execute("SELECT count(*) FROM assessments").fetchone()[0])' "$1"
}
count_postgres() { psql -qAt "$1" -c 'SELECT count(*) FROM assessments'; }

ROWS=()
status=0
for backend in $BACKENDS; do
  case "$backend" in
    sqlite)
      DB_FILE="$WORK/bench.db"
      DATABASE_URL="sqlite://$DB_FILE"
      ;;
    postgres)
      if ! psql -qAt "$PG_ADMIN" -c 'SELECT 1' >/dev/null 2>&1; then
        echo "== skipping PostgreSQL: nothing answers at $PG_ADMIN"
        ROWS+=("postgres|-|-|-|-|-|skipped: not reachable")
        continue
      fi
      PG_DB="upperback_bench_$(python3 -c 'import uuid; print(uuid.uuid4().hex)')"
      createdb --maintenance-db="$PG_ADMIN" "$PG_DB" 2>/dev/null || psql -q "$PG_ADMIN" -c "CREATE DATABASE $PG_DB" >/dev/null
      DATABASE_URL="$PG_BASE/$PG_DB"
      ;;
    *) echo "unknown backend $backend (sqlite or postgres)" >&2; exit 1 ;;
  esac

  start_server "$DATABASE_URL" "$backend"
  assess_once
  echo "== wrk on $backend: POST /api/v1/assessments (${DURATION}s, $CONNECTIONS connections, $THREADS thread)" >&2
  run_wrk "$backend" -s "$POST_LUA" "$BASE/api/v1/assessments"
  # No clean shutdown: only what was committed may be counted.
  stop_server KILL

  case "$backend" in
    sqlite) COUNTED="$(count_sqlite "$DB_FILE")" ;;
    postgres) COUNTED="$(count_postgres "$DATABASE_URL")"; bench_cleanup ;;
  esac
  TOTAL="$(requests "$backend")"
  OK=$(( TOTAL - $(non_2xx "$backend") ))
  ERR="$(errors "$backend")"
  PER_SECOND="$(awk -v n="$OK" -v s="$(seconds "$backend")" 'BEGIN {printf "%.0f", n / s}')"
  # +1: the request made by hand before wrk.
  ACKED=$(( OK + 1 ))
  verdict="all $ACKED acknowledged stored"
  if [ "$COUNTED" -lt "$ACKED" ]; then
    verdict="LOST $(( ACKED - COUNTED )) acknowledged writes"; status=1
  fi
  [ "$ERR" = 0 ] || { verdict="$verdict; $ERR errors"; status=1; }
  if [ "$backend" = sqlite ]; then
    if awk -v a="$PER_SECOND" 'BEGIN {exit !(a >= 5000)}'; then
      verdict="$verdict; target >= 5,000/s met"
    else
      verdict="$verdict; BELOW TARGET (5,000/s)"; status=1
    fi
  fi
  ROWS+=("$backend|$PER_SECOND|$(p99 "$backend")|$ERR|$OK|$COUNTED|$verdict")
done

printf '\n%-9s %14s %9s %7s %9s %9s  %s\n' "backend" "stored/s" "p99" "errors" "2xx" "rows" "verdict"
for row in "${ROWS[@]}"; do
  IFS='|' read -r b r p e o c v <<<"$row"
  printf '%-9s %14s %9s %7s %9s %9s  %s\n' "$b" "$r" "$p" "$e" "$o" "$c" "$v"
done
printf 'machine: %s cores; wrk -t%s -c%s -d%ss; text %s characters; rows counted after SIGKILL\n' \
  "$(nproc)" "$THREADS" "$CONNECTIONS" "$DURATION" "${#TEXT}"
[ "$status" = 0 ] && echo "targets met: >= 5,000 stored assessments/s on SQLite, no errors, every acknowledged write committed"
exit "$status"
