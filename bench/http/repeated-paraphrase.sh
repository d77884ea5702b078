#!/usr/bin/env bash
# One paraphrase asked again and again (the same request after its first semantic hit) against a
# paraphrase spelled anew on every request (a full semantic lookup each time: embedding and search),
# one client at a time, in one semcache process whose store holds the usual request. The paraphrase
# flips the case of a few letters: a new exact key, the same text for the uncased MiniLM.
#   bench/http/repeated-paraphrase.sh          (REQUESTS=300; BIN=… for another build)
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh

SECTION="3c. repeated paraphrase"
REQUESTS=${REQUESTS:-300}
SEMANTIC_FLAGS=${SEMANTIC_FLAGS:-$(bench/http/semantic-flags.sh)}
if [ -z "$SEMANTIC_FLAGS" ]; then
  skip "$SECTION" "repeated paraphrase" "this build of semcache serve has no semantic mode"
  exit 0
fi

WORK=$(mktemp -d /tmp/semcache-bench-paraphrase.XXXXXX)
trap 'cleanup_started; rm -rf "$WORK"' EXIT
BODY=bench/http/chat-request.json
sed 's/"content":"Hi! I ordered/"content":"hI! i ORDERED/' "$BODY" >"$WORK/paraphrase.json"
sed 's/"content":"Hi! /"content":"@CASE@Hi! /' "$BODY" >"$WORK/case.json"
MOCK_PORT=$(free_port)
start_mock "$MOCK_PORT"
PORT=$(free_port)
# shellcheck disable=SC2086
start_sidecar "$PORT" "$WORK/paraphrase.db" "$MOCK_PORT" $SEMANTIC_FLAGS
URL=http://127.0.0.1:$PORT/v1/chat/completions

header_of "$URL" "$BODY" x-semcache >/dev/null  # the stored entry
sleep 0.5
first=$(header_of "$URL" "$WORK/paraphrase.json" x-semcache)
if [ "$first" != hit-semantic ]; then
  skip "$SECTION" "repeated paraphrase" "the paraphrase was answered '$first', not as a semantic hit"
  exit 0
fi

# latency NAME BODY: p50 and p99 in ms, and the x-semcache outcomes, of REQUESTS requests one at a time.
latency() {
  "$BIN/semcache-bench-http" latency --target "$1=$URL" --body "$2" --requests "$REQUESTS" --warmup 20 \
    | python3 -c 'import json, sys; r = json.load(sys.stdin); print(r["p50_ms"], r["p99_ms"], ",".join(r["x_semcache"]))'
}
repeated=$(latency repeated "$WORK/paraphrase.json")
fresh=$(latency fresh "$WORK/case.json")
log "repeated: $repeated; spelled anew: $fresh"
field() { awk -v c="$2" '{ print $c }' <<<"$1"; }
row "$SECTION" "the same paraphrase again ($(field "$repeated" 3)): p50 ms (vs spelled anew, $(field "$fresh" 3))" \
  "$(field "$repeated" 1)" "$(field "$fresh" 1)" "—" "-"
row "$SECTION" "the same paraphrase again: p99 ms (vs spelled anew)" "$(field "$repeated" 2)" "$(field "$fresh" 2)" "—" "-"
