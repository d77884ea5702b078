#!/usr/bin/env bash
# Semantic path end to end (embed + search + respond) with 10k and 100k entries in the request's
# context, against exact hits of the same semcache process. The cache holds one real entry (the
# usual request, stored by semcache with its embedding) and clones of it with random vectors
# (bench/scale/populate.py). Each measured request flips the case of some letters of the prompt:
# a new exact key, the same text for the uncased MiniLM, so every request is a semantic lookup that
# finds the real entry.
#   bench/http/semantic.sh       (SEMANTIC_SIZES=10000,100000 WRK_ARGS="-t2 -c32 -d10s --latency")
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh

SIZES=${SEMANTIC_SIZES:-10000,100000}
SECTION="3. semantic path"
SEMANTIC_FLAGS=${SEMANTIC_FLAGS:-$(bench/http/semantic-flags.sh)}
if [ -z "$SEMANTIC_FLAGS" ]; then
  skip "$SECTION" "semantic hits at $SIZES entries" "this build of semcache serve has no semantic mode yet"
  exit 0
fi
if ! command -v wrk >/dev/null; then skip "$SECTION" "semantic hits" "wrk is not installed"; exit 0; fi
bench/scale/venv.sh

WORK=$(mktemp -d /tmp/semcache-bench-semantic.XXXXXX)
trap 'cleanup_started; rm -rf "$WORK"' EXIT
BODY=bench/http/chat-request.json
sed 's/"content":"Hi! /"content":"@CASE@Hi! /' "$BODY" >"$WORK/case.json"
DB=$WORK/semantic.db
MOCK_PORT=$(free_port)
start_mock "$MOCK_PORT"

# serve: (re)starts semcache on the database in semantic mode; sets $URL.
serve() {
  local port
  port=$(free_port)
  # shellcheck disable=SC2086
  start_sidecar "$port" "$DB" "$MOCK_PORT" $SEMANTIC_FLAGS
  URL=http://127.0.0.1:$port/v1/chat/completions
}

serve
header_of "$URL" "$BODY" x-semcache >/dev/null  # the real entry
sleep 0.5
stop "$SIDECAR_PID"

for size in ${SIZES//,/ }; do
  bench/.venv/bin/python bench/scale/populate.py --db "$DB" --total "$size"
  serve
  outcome=$("$BIN/semcache-bench-http" latency --target "probe=$URL" --body "$WORK/case.json" --requests 20 --warmup 0 \
    | python3 -c 'import json, sys; print(",".join(json.load(sys.stdin)["x_semcache"]))')
  if [ "$outcome" = hit-exact ] || [ "${outcome#hit}" = "$outcome" ]; then
    skip "$SECTION" "semantic hits at $size entries" "case-flipped prompts were answered '$outcome', not as semantic hits"
    stop "$SIDECAR_PID"
    continue
  fi
  log "semantic lookups answered: $outcome"
  # Exact hits first: a semantic run leaves embeddings queued after wrk stops, which would slow them.
  exact=$(wrk_run "$URL" bench/http/post.lua "$BODY")
  WRK_ARGS="-t2 -c32 -d3s" wrk_run "$URL" bench/http/semantic.lua "$WORK/case.json" >/dev/null 2>&1
  semantic=$(wrk_run "$URL" bench/http/semantic.lua "$WORK/case.json")
  field() { awk -v c="$2" '{ print $c }' <<<"$1"; }
  label="$size entries, $outcome"
  row "$SECTION" "$label: requests/s (vs exact hits)" "$(field "$semantic" 1)" "$(field "$exact" 1)" "—" "-"
  row "$SECTION" "$label: p50 ms (vs exact hits)" "$(field "$semantic" 2)" "$(field "$exact" 2)" "—" "-"
  row "$SECTION" "$label: p99 ms (vs exact hits)" "$(field "$semantic" 3)" "$(field "$exact" 3)" "—" "-"
  stop "$SIDECAR_PID"
done
