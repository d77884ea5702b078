#!/usr/bin/env bash
# Embedding benchmark: semcache's MiniLM (Swift, packed-weight kernel, OpenBLAS attention) against sentence-transformers on PyTorch (CPU),
# same model files, same texts, 1 and 2 BLAS/torch threads. Prints a table with ratios (ours / PyTorch).
#   bench/embedding/run.sh                      # from the repository root
#   THREADS="1 2" RUNS=300 bench/embedding/run.sh
# Targets: single prompt p50 <= 0.8x PyTorch, batch throughput >= 1.25x PyTorch, load < 1 s, RSS < 150 MB.
set -euo pipefail
cd "$(dirname "$0")/../.."
MODEL_DIR="${MODEL_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/semcache/models/all-MiniLM-L6-v2}"
THREADS="${THREADS:-1 2}"
RUNS="${RUNS:-200}"
VENV="${BENCH_VENV:-bench/.venv}"
PYTHON="${PYTHON:-python3}"

scripts/fetch-model.sh "$MODEL_DIR"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import sentence_transformers, torch" 2>/dev/null; then
  echo "bench: creating $VENV with torch and sentence-transformers (PyPI; a large download)" >&2
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check torch sentence-transformers
fi
swift build -c release --product semcache-bench-embed >&2
BIN="$(swift build -c release --show-bin-path)/semcache-bench-embed"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# 256 real user questions (first column of the QQP validation pairs).
"$PYTHON" - "$work/sentences.txt" <<'PY'
import csv, sys
rows = csv.DictReader(open("../shared/eval/qqp_val.csv", newline=""))
texts = [" ".join(r["question1"].split()) for r in rows if r["question1"].strip()][:256]
open(sys.argv[1], "w").write("\n".join(texts) + "\n")
PY

for t in $THREADS; do
  echo "bench: $t thread(s)" >&2
  "$BIN" --model-dir "$MODEL_DIR" --threads "$t" --runs "$RUNS" --sentences "$work/sentences.txt" >> "$work/ours.jsonl"
  OMP_NUM_THREADS="$t" "$VENV/bin/python" bench/embedding/pytorch_baseline.py --model-dir "$MODEL_DIR" --threads "$t" \
    --runs "$RUNS" --sentences "$work/sentences.txt" >> "$work/torch.jsonl" 2>> "$work/torch.log"
done

"$PYTHON" - "$work/ours.jsonl" "$work/torch.jsonl" <<'PY'
import json, sys
ours = [json.loads(l) for l in open(sys.argv[1])]
torch = [json.loads(l) for l in open(sys.argv[2])]
print(f"ours:    {ours[0]['implementation']}\nPyTorch: {torch[0]['implementation']}")
print(f"prompt: {ours[0]['prompt_tokens']} tokens; batch: {ours[0]['batch_sentences']} sentences in batches of {ours[0]['batch_size']}\n")
rows = [
    ("single prompt p50 (ms)", "single_p50_ms", "<= 0.8x"),
    ("single prompt p99 (ms)", "single_p99_ms", ""),
    ("batch throughput (sentences/s)", "batch_sentences_per_s", ">= 1.25x"),
    ("weights load (ms)", "load_ms", "< 1000 ms"),
    ("RSS added by loading the model (MB)", "load_rss_delta_mb", ""),
    ("RSS after load (MB)", "rss_after_load_mb", "< 150 MB"),
    ("RSS after run (MB)", "rss_after_run_mb", ""),
    ("peak RSS (MB)", "hwm_after_run_mb", ""),
]
print(f"| threads | metric | semcache | PyTorch | ours / PyTorch | target |")
print(f"|---|---|---:|---:|---:|---|")
for o, t in zip(ours, torch):
    for r in (o, t):
        r["load_rss_delta_mb"] = r["rss_after_load_mb"] - r["rss_before_load_mb"]
    for label, key, target in rows:
        ratio = o[key] / t[key] if t[key] else float("nan")
        print(f"| {o['threads']} | {label} | {o[key]:.1f} | {t[key]:.1f} | {ratio:.2f} | {target} |")
PY
