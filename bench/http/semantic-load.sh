#!/usr/bin/env bash
# Semantic hits under load, as ratios measured in one run against one semcache process (issue 15):
#   - throughput of SEMANTIC_CONCURRENCY concurrent clients against one client at a time (target >= 4x),
#     and their p99 against 3x the sequential p50 plus the batch time (the time one full round of
#     SEMANTIC_CONCURRENCY requests takes at the measured throughput; target ratio <= 1);
#   - exact-hit p99 while semantic traffic runs at full speed against exact-hit p99 alone (target <= 2x).
# The user message is a 12-token question (SEMANTIC_LOAD_PROMPT). The cache holds one real entry and clones of it with random vectors in the same context
# (SEMANTIC_LOAD_SIZE entries, bench/scale/populate.py); every semantic request flips the case of
# some letters (bench/http/semantic.lua), so it is a new exact key and a full semantic lookup.
#   bench/http/semantic-load.sh    (SEMANTIC_LOAD_SIZE=10000 SEMANTIC_CONCURRENCY=32 DURATION=10s)
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh

SIZE=${SEMANTIC_LOAD_SIZE:-10000}
CONCURRENCY=${SEMANTIC_CONCURRENCY:-32}
DURATION=${DURATION:-10s}
SECTION="3b. semantic hits under load"
SEMANTIC_FLAGS=${SEMANTIC_FLAGS:-$(bench/http/semantic-flags.sh)}
if [ -z "$SEMANTIC_FLAGS" ]; then skip "$SECTION" "semantic hits under load" "no MiniLM model or no semantic mode"; exit 0; fi
if ! command -v wrk >/dev/null; then skip "$SECTION" "semantic hits under load" "wrk is not installed"; exit 0; fi
bench/scale/venv.sh

WORK=$(mktemp -d /tmp/semcache-bench-semantic-load.XXXXXX)
trap 'cleanup_started; rm -rf "$WORK"' EXIT
# A short question, as most semantic traffic is: the chat request with its user message replaced
# (case.json marks where semantic.lua flips letters).
BODY=$WORK/short.json
python3 - bench/http/chat-request.json "$WORK" "${SEMANTIC_LOAD_PROMPT:-How long does a replacement tent pole take to arrive?}" <<'PY'
import json, sys
body = json.load(open(sys.argv[1]))
for name, prefix in (("short.json", ""), ("case.json", "@CASE@")):
    body["messages"][-1]["content"] = prefix + sys.argv[3]
    open(f"{sys.argv[2]}/{name}", "w").write(json.dumps(body, separators=(",", ":")))
PY
DB=$WORK/semantic.db
MOCK_PORT=$(free_port)
start_mock "$MOCK_PORT"
PORT=$(free_port)
URL=http://127.0.0.1:$PORT/v1/chat/completions
# shellcheck disable=SC2086
start_sidecar "$PORT" "$DB" "$MOCK_PORT" $SEMANTIC_FLAGS
header_of "$URL" "$BODY" x-semcache >/dev/null  # the real entry
sleep 0.5
stop "$SIDECAR_PID"
bench/.venv/bin/python bench/scale/populate.py --db "$DB" --total "$SIZE"
# shellcheck disable=SC2086
start_sidecar "$PORT" "$DB" "$MOCK_PORT" $SEMANTIC_FLAGS
log "start-up line: $(grep -m1 'BLAS threads' "$DB.log" || echo 'no BLAS threads on it')"

field() { awk -v c="$2" '{ print $c }' <<<"$1"; }
semantic() { WRK_ARGS="$1 -d$DURATION --latency" wrk_run "$URL" bench/http/semantic.lua "$WORK/case.json"; }
exact() { WRK_ARGS="-t1 -c8 -d$DURATION --latency" wrk_run "$URL" bench/http/post.lua "$BODY"; }

WRK_ARGS="-t2 -c$CONCURRENCY -d3s" wrk_run "$URL" bench/http/semantic.lua "$WORK/case.json" >/dev/null 2>&1  # warm-up
sequential=$(semantic "-t1 -c1")
concurrent=$(semantic "-t2 -c$CONCURRENCY")
sleep 2  # let embeddings still queued after wrk stopped drain
exact_only=$(exact)
semantic "-t1 -c$CONCURRENCY" >"$WORK/background" 2>/dev/null &
background=$!
sleep 1
exact_mixed=$(exact)
wait "$background"

seq_rps=$(field "$sequential" 1) seq_p50=$(field "$sequential" 2)
conc_rps=$(field "$concurrent" 1) conc_p99=$(field "$concurrent" 3)
batch_ms=$(awk -v c="$CONCURRENCY" -v r="$conc_rps" 'BEGIN { printf "%.3f", c / r * 1000 }')
bound=$(awk -v p="$seq_p50" -v b="$batch_ms" 'BEGIN { printf "%.3f", 3 * p + b }')
label="$SIZE entries"
row "$SECTION" "$label: $CONCURRENCY concurrent semantic hits, requests/s (vs 1 client)" "$conc_rps" "$seq_rps" ">= 4x" "o >= 4 * b"
row "$SECTION" "$label: semantic p50 ms, $CONCURRENCY clients (vs 1 client)" "$(field "$concurrent" 2)" "$seq_p50" "—" "-"
row "$SECTION" "$label: semantic p99 ms, $CONCURRENCY clients (vs 3x the 1-client p50 + the batch time, $batch_ms ms)" \
  "$conc_p99" "$bound" "<= 1x" "o <= b"
row "$SECTION" "$label: exact-hit p99 ms beside $CONCURRENCY semantic clients (vs exact hits alone)" \
  "$(field "$exact_mixed" 3)" "$(field "$exact_only" 3)" "<= 2x" "o <= 2 * b"
row "$SECTION" "$label: semantic requests/s beside the exact hits" "$(field "$(cat "$WORK/background")" 1)" "$conc_rps" "—" "-"
