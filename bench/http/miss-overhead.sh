#!/usr/bin/env bash
# Miss overhead: what the sidecar adds to a request that misses, against the same request sent
# straight to the mock upstream (latency 0). Every body is new, so every request misses and is stored.
# One keep-alive connection per side; requests alternate between the sides (semcache-bench-http).
# Streams: a caller that does not ask for the usage chunk makes semcache ask the upstream for it (so
# the entry keeps its usage), and the mock builds a whole answer, usage included, before its first
# byte (about 80 µs more for it). So the stream baseline is the request as semcache sends it upstream
# (`direct`, with `stream_options.include_usage`); the caller's request straight to the mock is
# measured beside it (`direct-as-asked`, an informational row). Both sides time the first body byte.
#   bench/http/miss-overhead.sh        (REQUESTS=3000 WARMUP=300 SEMANTIC=1)
# Semantic mode is measured too when this build of semcache has it (SEMANTIC_FLAGS); SEMANTIC=0 skips it.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh

REQUESTS=${REQUESTS:-3000}
WARMUP=${WARMUP:-300}
WORK=$(mktemp -d /tmp/semcache-bench-miss.XXXXXX)
trap 'cleanup_started; rm -rf "$WORK"' EXIT
SECTION="2. miss overhead"

# The usual body with a fresh token in the user message on every request; and its stream form.
sed 's/"content":"Hi! /"content":"@UNIQUE@ Hi! /' bench/http/chat-request.json >"$WORK/unique.json"
sed 's/^{"model"/{"stream":true,"model"/' "$WORK/unique.json" >"$WORK/unique-stream.json"
# The stream request as semcache sends it upstream (CacheRequest.bodyAskingForStreamUsage).
sed 's/^{/{"stream_options":{"include_usage":true},/' "$WORK/unique-stream.json" >"$WORK/unique-stream-usage.json"

MOCK_PORT=$(free_port); SIDECAR_PORT=$(free_port)
start_mock "$MOCK_PORT"
DIRECT=http://127.0.0.1:$MOCK_PORT/v1/chat/completions

# measure NAME SIDECAR_URL MODE_LABEL: rows for non-stream total latency and stream first byte.
measure() {
  local label=$1 url=$2 check50=$3 check99=$4 target50=$5 target99=$6
  local kind body field50 field99 out extra
  for kind in json stream; do
    body=$WORK/unique.json; field50=p50_ms; field99=p99_ms; extra=()
    if [ "$kind" = stream ]; then
      body=$WORK/unique-stream.json; field50=ttfb_p50_ms; field99=ttfb_p99_ms
      extra=(--target "direct-as-asked=$DIRECT" --target-body "direct=$WORK/unique-stream-usage.json")
    fi
    log "miss latency, $label, $kind: $REQUESTS requests per side"
    out=$("$BIN/semcache-bench-http" latency --target "direct=$DIRECT" --target "semcache=$url" "${extra[@]}" \
      --body "$body" --requests "$REQUESTS" --warmup "$WARMUP")
    echo "$out" >&2
    if ! grep -q '"target":"semcache".*"miss":'"$((REQUESTS))"'[,}]' <<<"$out"; then
      skip "$SECTION" "$label, $kind" "not every request through semcache was a miss: $(grep semcache <<<"$out")"
      continue
    fi
    value() { grep "\"target\":\"$1\"" <<<"$out" | python3 -c "import json, sys; print(json.load(sys.stdin)['$2'])"; }
    local what="total"; [ "$kind" = stream ] && what="time to first byte"
    row "$SECTION" "$label, $kind, $what p50 ms (vs direct)" "$(value semcache $field50)" "$(value direct $field50)" "$target50" "$check50"
    row "$SECTION" "$label, $kind, $what p99 ms (vs direct)" "$(value semcache $field99)" "$(value direct $field99)" "$target99" "$check99"
    if [ "$kind" = stream ]; then
      row "$SECTION" "$label, $kind, $what p50 ms (vs direct as the caller asked, without usage)" "$(value semcache $field50)" "$(value direct-as-asked $field50)" "—" "-"
    fi
  done
}

# --embedder none: `serve` would otherwise pick up MiniLM from models/ (auto) and embed every miss.
start_sidecar "$SIDECAR_PORT" "$WORK/exact.db" "$MOCK_PORT" --embedder none
measure "exact-only" "http://127.0.0.1:$SIDECAR_PORT/v1/chat/completions" "o - b <= 0.3" "o - b <= 1.0" "added ≤ 0.3 ms" "added ≤ 1 ms"
stop "$SIDECAR_PID"

# Semantic mode costs one embedding per miss; reported without a target.
if [ "${SEMANTIC:-1}" = 0 ]; then
  log "semantic mode skipped (SEMANTIC=0)"
  exit 0
fi
SEMANTIC_FLAGS=${SEMANTIC_FLAGS:-$(bench/http/semantic-flags.sh)}
if [ -z "$SEMANTIC_FLAGS" ]; then
  skip "$SECTION" "semantic mode" "this build of semcache serve has no semantic mode yet"
else
  SIDECAR_PORT=$(free_port)
  # shellcheck disable=SC2086
  start_sidecar "$SIDECAR_PORT" "$WORK/semantic.db" "$MOCK_PORT" $SEMANTIC_FLAGS
  REQUESTS=$((REQUESTS / 3)) WARMUP=$((WARMUP / 3)) \
    measure "semantic" "http://127.0.0.1:$SIDECAR_PORT/v1/chat/completions" "-" "-" "— (one embedding)" "—"
fi
