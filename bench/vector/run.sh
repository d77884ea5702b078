#!/usr/bin/env bash
# Vector search: semcache's VectorIndex against FAISS IndexFlatIP and sqlite-vec on the same vectors.
#   bench/vector/run.sh                      # 10k, 100k, 1M rows of 384-d; 1 and 2 threads
#   SIZES=10000,100000 THREADS=1 ROUNDS=1 bench/vector/run.sh
# Data (1.5 GB of vectors, the sqlite-vec and start-up databases) lives in $DATA, made once.
set -euo pipefail
cd "$(dirname "$0")/../.."

SIZES=${SIZES:-10000,100000,1000000}
THREADS=${THREADS:-1,2}
DATA=${DATA:-.build/bench-vector}
VENV=bench/.venv
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
"$VENV/bin/pip" install -q --disable-pip-version-check -r bench/vector/requirements.txt

largest=${SIZES##*,}
if [ ! -f "$DATA/vectors.f32" ] || [ "$(stat -c %s "$DATA/vectors.f32")" -lt $((largest * 384 * 4)) ]; then
  echo "generating $largest vectors into $DATA" >&2
  "$VENV/bin/python" bench/vector/generate.py --dir "$DATA" --rows "$largest"
fi

swift build -c release --product semcache-bench-vector >&2
BIN=.build/release/semcache-bench-vector
# OpenBLAS sizes its thread pool at start-up: allow the most threads asked for; each run then sets its own count.
maxthreads=$(tr , '\n' <<<"$THREADS" | sort -n | tail -1)
export OPENBLAS_NUM_THREADS=$maxthreads OMP_NUM_THREADS=$maxthreads

# Other processes share the machine: alternate semcache and FAISS for $ROUNDS rounds; report.py keeps
# each configuration's best round. sqlite-vec is measured once (the first run builds its tables: minutes at 1M).
for round in $(seq "${ROUNDS:-2}"); do
  echo "round $round: semcache, FAISS" >&2
  "$BIN" search --dir "$DATA" --sizes "$SIZES" --threads "$THREADS" >>"$OUT/semcache.jsonl"
  "$VENV/bin/python" bench/vector/baselines.py --dir "$DATA" --sizes "$SIZES" --threads "$THREADS" --only faiss >>"$OUT/baselines.jsonl"
done
echo "sqlite-vec" >&2
"$VENV/bin/python" bench/vector/baselines.py --dir "$DATA" --sizes "$SIZES" --only sqlite-vec >>"$OUT/baselines.jsonl"
echo "kernels, inserts while searching, start-up load" >&2
"$BIN" kernels --dir "$DATA" --sizes "$SIZES" --threads "$THREADS" >"$OUT/kernels.jsonl"
"$BIN" concurrent --dir "$DATA" --sizes "$SIZES" --threads "$THREADS" >"$OUT/concurrent.jsonl"
"$BIN" startup --dir "$DATA" --sizes "$SIZES" >"$OUT/startup.jsonl"

cp "$OUT"/*.jsonl "$DATA"/  # the raw lines, for a closer look
"$VENV/bin/python" bench/vector/report.py "$OUT"/semcache.jsonl "$OUT"/baselines.jsonl \
  "$OUT"/kernels.jsonl "$OUT"/concurrent.jsonl "$OUT"/startup.jsonl
