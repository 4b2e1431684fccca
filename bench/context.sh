#!/usr/bin/env bash
# Throughput of upperback's context engine against medspaCy's ConText, on the rows of the NegEx / ConText
# development set (shared/data/context/negex-dev.tsv), one core each.
#
#   bench/context.sh [PATH-TO-TSV]
#
# Environment: REPEAT (copies of the data rows fed to ours, default 200), MEDSPACY_REPEAT (passes over the
# rows for medspaCy, default 3), MEDSPACY_VENV (default /tmp/upperback-medspacy-venv, created and reused),
# SKIP_MEDSPACY=1 to time ours only, CARGO_TARGET_DIR as for cargo.
#
# Ours runs `upperback context --tsv` when that binary is built and understands the command, otherwise the
# `context_tsv` example (the same `ContextEngine::run_tsv`). medspaCy 1.3.1 runs with its default rules,
# each sentence as one one-sentence doc with the concept marked as an entity, as in shared/data/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${1:-$ROOT/../shared/data/context/negex-dev.tsv}"
REPEAT="${REPEAT:-200}"
MEDSPACY_REPEAT="${MEDSPACY_REPEAT:-3}"
VENV="${MEDSPACY_VENV:-/tmp/upperback-medspacy-venv}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac

if [ ! -f "$DATA" ]; then
  echo "bench/context.sh: data not found: $DATA" >&2
  exit 1
fi
DATA="$(cd "$(dirname "$DATA")" && pwd)/$(basename "$DATA")"

WORK="$(mktemp -d /tmp/upperback-context-bench.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

# One core for both sides, when the machine lets us pin.
PIN=()
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then
  PIN=(taskset -c 0)
fi

now_ns() { date +%s%N; }

cd "$ROOT"
echo "== building (release)"
cargo build --release -q -p upperback-nlu --example context_tsv
# The example binary is what `cargo run --release --example context_tsv` executes; running it once through
# cargo checks it end to end, the timed runs below call the built binary so cargo's own start-up is not
# counted.
cargo run --release -q -p upperback-nlu --example context_tsv -- "$DATA" >"$WORK/ours-dev.tsv"

RUNNER=("$TARGET_DIR/release/examples/context_tsv")
RUNNER_NAME="context_tsv example"
CLI="$TARGET_DIR/release/upperback"
if [ -x "$CLI" ] && "$CLI" context --tsv "$DATA" >"$WORK/cli-dev.tsv" 2>/dev/null; then
  RUNNER=("$CLI" context --tsv)
  RUNNER_NAME="upperback context --tsv"
  if ! cmp -s "$WORK/cli-dev.tsv" "$WORK/ours-dev.tsv"; then
    echo "note: upperback context --tsv output differs from the context_tsv example" >&2
  fi
fi

ROWS_PER_COPY=$(($(wc -l <"$DATA") - 1))
BIG="$WORK/big.tsv"
{
  head -n 1 "$DATA"
  for _ in $(seq "$REPEAT"); do tail -n +2 "$DATA"; done
} >"$BIG"
OURS_ROWS=$((ROWS_PER_COPY * REPEAT))

echo "== ours: $RUNNER_NAME, $OURS_ROWS rows ($REPEAT x $ROWS_PER_COPY), best of 3"
best_ns=""
for _ in 1 2 3; do
  t0=$(now_ns)
  "${PIN[@]}" "${RUNNER[@]}" "$BIG" >/dev/null 2>"$WORK/ours.err"
  t1=$(now_ns)
  ns=$((t1 - t0))
  if [ -z "$best_ns" ] || [ "$ns" -lt "$best_ns" ]; then best_ns=$ns; fi
done
OURS_RPS=$(awk -v r="$OURS_ROWS" -v ns="$best_ns" 'BEGIN { printf "%.0f", r / (ns / 1e9) }')
awk -v r="$OURS_ROWS" -v ns="$best_ns" -v rps="$OURS_RPS" \
  'BEGIN { printf "ours:     %d rows in %.3f s = %d rows/s\n", r, ns / 1e9, rps }'

# Accuracy of both on the dev rows, so the speed comparison is between annotators doing the same job.
cat >"$WORK/score.py" <<'PY'
import sys

def load_gold(path):
    gold = {}
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            c = line.rstrip("\n").split("\t")
            if len(c) < 6:
                continue
            gold[c[0]] = (c[3].strip(), c[4].strip(), "Patient" if c[5].strip() == "Patient" else "Other")
    return gold

def score(gold, pred):
    n = len(gold)
    acc = [sum(pred.get(i, ("", "", ""))[k] == g[k] for i, g in gold.items()) / n for k in range(3)]
    tp = sum(pred.get(i, ("",))[0] == "Negated" and g[0] == "Negated" for i, g in gold.items())
    fp = sum(pred.get(i, ("",))[0] == "Negated" and g[0] != "Negated" for i, g in gold.items())
    fn = sum(pred.get(i, ("",))[0] != "Negated" and g[0] == "Negated" for i, g in gold.items())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return f"negation accuracy {acc[0]:.3f}, F1 {f1:.3f}; temporality accuracy {acc[1]:.3f}; experiencer accuracy {acc[2]:.3f}"

if __name__ == "__main__":
    gold = load_gold(sys.argv[1])
    pred = {}
    with open(sys.argv[2], encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if len(c) >= 4:
                pred[c[0]] = (c[1], c[2], c[3])
    print(score(gold, pred))
PY
printf "          dev-set figures: "
python3 "$WORK/score.py" "$DATA" "$WORK/ours-dev.tsv"

if [ "${SKIP_MEDSPACY:-0}" = "1" ]; then
  exit 0
fi

echo "== medspaCy 1.3.1 (venv $VENV)"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import medspacy" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q "medspacy==1.3.1"
fi

cat >"$WORK/medspacy_bench.py" <<'PY'
import re
import sys
import time

import medspacy

data, repeat, out_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]

rows = []
with open(data, encoding="utf-8") as f:
    next(f)
    for line in f:
        c = line.rstrip("\n").split("\t")
        if len(c) >= 3:
            rows.append((c[0], c[1], c[2]))

nlp = medspacy.load(enable=["medspacy_context"])
context = nlp.get_pipe("medspacy_context")


def concept_span(concept, sentence):
    # Same contract as ours: case-insensitive, any white-space run matches any white-space run,
    # preferring an occurrence on word boundaries.
    words = concept.split()
    if not words:
        return None
    body = r"\s+".join(re.escape(w) for w in words)
    m = re.search(r"(?<!\w)" + body + r"(?!\w)", sentence, re.I) or re.search(body, sentence, re.I)
    return (m.start(), m.end()) if m else None


def annotate(concept, sentence):
    span = concept_span(concept, sentence)
    if span is None:
        return ("Affirmed", "Recent", "Patient")
    doc = nlp.make_doc(sentence)
    for i, tok in enumerate(doc):
        tok.is_sent_start = i == 0
    ent = doc.char_span(span[0], span[1], label="CONDITION", alignment_mode="expand")
    if ent is None:
        return ("Affirmed", "Recent", "Patient")
    doc.ents = [ent]
    context(doc)
    e = doc.ents[0]
    neg = "Negated" if e._.is_negated else "Affirmed"
    temp = "Not particular" if e._.is_hypothetical else ("Historical" if e._.is_historical else "Recent")
    exp = "Other" if e._.is_family else "Patient"
    return (neg, temp, exp)


# Warm-up pass (also the output that is scored).
with open(out_path, "w", encoding="utf-8") as out:
    for rid, concept, sentence in rows:
        out.write("\t".join((rid,) + annotate(concept, sentence)) + "\n")

best = None
for _ in range(repeat):
    t0 = time.perf_counter()
    for rid, concept, sentence in rows:
        annotate(concept, sentence)
    dt = time.perf_counter() - t0
    best = dt if best is None or dt < best else best

print(f"{len(rows)} {best:.6f}")
PY

read -r MS_ROWS MS_SECONDS < <(OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
  "${PIN[@]}" "$VENV/bin/python" "$WORK/medspacy_bench.py" "$DATA" "$MEDSPACY_REPEAT" "$WORK/medspacy-dev.tsv" 2>"$WORK/medspacy.err" | tail -n 1) || {
  echo "medspaCy run failed:" >&2
  cat "$WORK/medspacy.err" >&2
  exit 1
}
MS_RPS=$(awk -v r="$MS_ROWS" -v s="$MS_SECONDS" 'BEGIN { printf "%.0f", r / s }')
awk -v r="$MS_ROWS" -v s="$MS_SECONDS" -v rps="$MS_RPS" -v k="$MEDSPACY_REPEAT" \
  'BEGIN { printf "medspaCy: %d rows in %.3f s (best of %d passes) = %d rows/s\n", r, s, k, rps }'
printf "          dev-set figures: "
python3 "$WORK/score.py" "$DATA" "$WORK/medspacy-dev.tsv"

awk -v a="$OURS_RPS" -v b="$MS_RPS" 'BEGIN { printf "ratio:    ours / medspaCy = %.0fx\n", a / b }'
