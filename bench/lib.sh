# Shared by the load tests of `upperback serve` (bench/http.sh, bench/store.sh); sourced, not
# run. Gives: wrk (installed with apt-get when missing and running as root), the release
# build, a scratch directory removed on exit, a server started on a free loopback port and
# stopped on exit, the 300-character text and its wrk script, and readers of wrk's report.
#
# Environment: DURATION (seconds per run, default 10), CONNECTIONS (default 64), THREADS (wrk
# threads, default 1: on a 2-core machine wrk and the server share the cores), PORT (default a
# free loopback port), CARGO_TARGET_DIR as for cargo.
#
# The caller sets BENCH_NAME before sourcing, and may define `bench_cleanup` (run on exit,
# after the server is stopped).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-1}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac
BIN="$TARGET_DIR/release/upperback"

# A 300-character description, as a person would write it (the reader's bench reads the
# same file).
TEXT="$(cat "$ROOT/bench/load_test_text.txt")"
[ "${#TEXT}" -eq 300 ] || { echo "the text is ${#TEXT} characters, not 300" >&2; exit 1; }

need_wrk() {
  command -v wrk >/dev/null 2>&1 && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing wrk" >&2
    apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null
  else
    echo "$BENCH_NAME: wrk is needed (apt-get install wrk)" >&2
    exit 1
  fi
}

build_release() {
  echo "== building (release)" >&2
  (cd "$ROOT" && cargo build --release -q -p upperback-cli)
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 18123
}

WORK="$(mktemp -d "/tmp/upperback-${BENCH_NAME%.sh}.XXXXXX")"
SERVER_PID=""
stop_server() { # [signal]: TERM (default) lets it close the store; KILL does not
  if [ -n "$SERVER_PID" ]; then
    kill -"${1:-TERM}" "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}
cleanup_all() {
  stop_server
  if declare -F bench_cleanup >/dev/null; then bench_cleanup || true; fi
  rm -rf "$WORK"
}
trap cleanup_all EXIT

# start_server DATABASE_URL NAME: `upperback serve` on PORT (or a free port), the rate limit
# high enough not to refuse wrk; waits for /healthz. Sets SERVER_PID and BASE.
start_server() {
  local port="${PORT:-$(free_port)}"
  BASE="http://127.0.0.1:$port"
  "$BIN" serve --bind "127.0.0.1:$port" --database "$1" --rate-limit 1000000 \
    >"$WORK/$2.server.out" 2>"$WORK/$2.server.err" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -fsS "$BASE/healthz" >/dev/null || { echo "the server did not start:" >&2; cat "$WORK/$2.server.err" >&2; exit 1; }
}

# The wrk script that POSTs TEXT; and one request by hand first: it must be a 200 with an id.
post_lua() {
  cat >"$WORK/post.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"text": "$TEXT"}'
EOF
  echo "$WORK/post.lua"
}
assess_once() {
  curl -fsS -X POST -H 'Content-Type: application/json' --data "{\"text\": \"$TEXT\"}" "$BASE/api/v1/assessments" \
    | grep -q '"id":' || { echo "the assessment request failed" >&2; exit 1; }
}

run_wrk() { # name, wrk args...
  local name="$1"; shift
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" >"$WORK/$name.txt"
}

# Readers of a wrk report, by run name.
rps() { awk '/^Requests\/sec:/ {print $2}' "$WORK/$1.txt"; }
p99() { awk '$1 == "99%" {print $2}' "$WORK/$1.txt"; }
errors() { # non-2xx responses + socket errors
  awk '/Non-2xx or 3xx responses:/ {n += $NF}
       /Socket errors:/ {gsub(",", ""); for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) n += $i}
       END {print n + 0}' "$WORK/$1.txt"
}
requests() { awk '/requests in/ {print $1}' "$WORK/$1.txt"; }
seconds() { # the run's length in seconds (wrk prints e.g. `10.01s` or `1.00m`)
  awk '/requests in/ {s = $4; sub(/,$/, "", s); f = 1
       if (s ~ /m$/) {f = 60; sub(/m$/, "", s)} else sub(/s$/, "", s); print s * f}' "$WORK/$1.txt"
}
non_2xx() { awk '/Non-2xx or 3xx responses:/ {n += $NF} END {print n + 0}' "$WORK/$1.txt"; }
