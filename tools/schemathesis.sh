#!/usr/bin/env bash
# Conformance of `upperback serve` to its own OpenAPI document: schemathesis (pinned, in a
# throwaway virtual environment) generates requests from the served document, with every
# check on (server errors, undocumented statuses, responses that violate their schema,
# valid requests refused, invalid ones accepted), against the release build on a loopback
# port with a fresh SQLite file: first in local mode, then with --multi-user and a signed-in
# account's token. Exits non-zero on any failure.
#
#   bash tools/schemathesis.sh                  # both modes
#   MODES=local MAX_EXAMPLES=50 bash tools/schemathesis.sh
#
# Needs python3 with venv and PyPI; builds with cargo. Loopback only; stops by itself.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="4.32.5"
modes="${MODES:-local multi-user}"
max_examples="${MAX_EXAMPLES:-30}"
work="$(mktemp -d "${TMPDIR:-/tmp}/upperback-schemathesis.XXXXXX")"
server=""
cleanup() {
    [[ -n "$server" ]] && kill "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "schemathesis: installing schemathesis==$version into a virtual environment"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q "schemathesis==$version"
(cd "$root" && cargo build --release -q -p upperback-cli)
bin="${CARGO_TARGET_DIR:-$root/target}/release/upperback"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"

failed=0
for mode in $modes; do
    rm -f "$work"/*.db*
    flags=()
    [[ "$mode" == multi-user ]] && flags+=(--multi-user)
    "$bin" serve --bind "127.0.0.1:$port" --database "sqlite://$work/st.db" \
        --rate-limit 1000000 "${flags[@]}" >"$work/serve.log" 2>&1 &
    server=$!
    for _ in $(seq 1 100); do
        curl -fs "$base/healthz" >/dev/null 2>&1 && break
        sleep 0.1
    done
    auth=()
    if [[ "$mode" == multi-user ]]; then
        curl -fs -H 'content-type: application/json' \
            -d '{"email": "st@example.org", "password": "tulip gravel sonnet seven"}' \
            "$base/api/v1/accounts" >/dev/null
        token="$(curl -fs -H 'content-type: application/json' \
            -d '{"email": "st@example.org", "password": "tulip gravel sonnet seven"}' \
            "$base/api/v1/sessions" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
        auth=(-H "Authorization: Bearer $token")
    fi
    echo "schemathesis: $mode"
    # (From the throwaway directory: schemathesis keeps a cache in its working directory.)
    if ! (cd "$work" && "$work/venv/bin/schemathesis" run "$base/api/v1/openapi.json" --checks all \
        --max-examples "$max_examples" --workers 2 --no-color "${auth[@]}"); then
        failed=1
    fi
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=""
done
exit "$failed"
