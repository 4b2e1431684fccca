#!/usr/bin/env bash
# Conformance of `upperback serve` to its own OpenAPI document: schemathesis (pinned, in a
# throwaway virtual environment) generates requests from the served document, with every
# check on (server errors, undocumented statuses, responses that violate their schema,
# valid requests refused, invalid ones accepted), against the debug build (the one the
# tests use; PROFILE=release for the other) on a loopback port with a fresh SQLite file: first in local mode, then with --multi-user and a signed-in
# account's token. Exits non-zero on any failure.
#
#   bash tools/schemathesis.sh                  # both modes
#   MODES=local MAX_EXAMPLES=50 SEED=random bash tools/schemathesis.sh
#
# Needs python3 with venv and PyPI; builds with cargo. Loopback only; stops by itself.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# python3 with venv, and curl: from Debian's packages when missing (root with apt-get).
need_apt=()
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need_apt+=(python3 python3-venv)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
if ((${#need_apt[@]})); then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "schemathesis: installing ${need_apt[*]} with apt-get"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
    else
        echo "schemathesis: needs ${need_apt[*]}" >&2
        exit 1
    fi
fi
version="4.32.5"
modes="${MODES:-local multi-user}"
max_examples="${MAX_EXAMPLES:-30}"
# A fixed seed makes a run repeatable (CI); SEED=random draws a new one.
seed="${SEED:-20261208}"
[[ "$seed" == random ]] && seed="$(python3 -c 'import random; print(random.getrandbits(64))')"
work="$(mktemp -d "${TMPDIR:-/tmp}/upperback-schemathesis.XXXXXX")"
server=""
cleanup() {
    [[ -n "$server" ]] && kill "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "schemathesis: installing schemathesis==$version into a virtual environment"
profile="${PROFILE:-debug}"
if [[ -n "${SCHEMATHESIS_VENV:-}" ]]; then
    venv="$SCHEMATHESIS_VENV"
else
    venv="$work/venv"
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q "schemathesis==$version"
profile_flag=()
[[ "$profile" == release ]] && profile_flag=(--release)
(cd "$root" && cargo build -q "${profile_flag[@]}" -p upperback-cli)
bin="${CARGO_TARGET_DIR:-$root/target}/$profile/upperback"
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
    # Left out (the Rust tests cover them):
    # - without accounts, `share`: sharing needs accounts, so it always answers 404, which
    #   the stateful phase reads as "the assessment just created is gone";
    # - with accounts, signing out and erasing the account: they end the run's only
    #   session, after which every operation could only answer 401.
    if [[ "$mode" == multi-user ]]; then
        leave_out=(--exclude-operation-id delete_session --exclude-operation-id erase)
    else
        leave_out=(--exclude-operation-id share)
    fi
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
    if ! (cd "$work" && "$venv/bin/schemathesis" --config-file "$root/tools/schemathesis.toml" run "$base/api/v1/openapi.json" --checks all \
        --max-examples "$max_examples" --workers 2 --no-color --seed "$seed" \
        "${leave_out[@]}" "${auth[@]}"); then
        echo "schemathesis: $mode failed; the server's log ends:"
        tail -n 20 "$work/serve.log"
        failed=1
    fi
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=""
done
exit "$failed"
