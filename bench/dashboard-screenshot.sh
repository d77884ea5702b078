#!/usr/bin/env bash
# Runs the mock upstream and a sidecar, sends a morning's worth of mixed traffic, and takes a
# screenshot of the dashboard 1400 px wide with Debian's headless Chromium (apt-get install -y chromium).
#   bench/dashboard-screenshot.sh [OUT.png]       default: docs/dashboard.png
#   NARROW_OUT=FILE.png also takes one 900 px wide.
# Uses the debug build (swift build); prints where the screenshots went.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-docs/dashboard.png}"
CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
[ -n "$CHROMIUM" ] || { echo "needs Chromium: apt-get install -y chromium" >&2; exit 1; }

swift build --product semcache >/dev/null
swift build --product semcache-mock-upstream >/dev/null
BIN=.build/debug
WORK="$(mktemp -d)"
MOCK_PORT="${MOCK_PORT:-19090}"
PORT="${PORT:-18080}"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

"$BIN/semcache-mock-upstream" --port "$MOCK_PORT" --latency-ms "${MOCK_LATENCY_MS:-350}" >"$WORK/mock.log" 2>&1 &
PIDS+=($!)
"$BIN/semcache" serve --upstream "http://127.0.0.1:$MOCK_PORT" --port "$PORT" --db "$WORK/semcache.db" \
  --embedder "${EMBEDDER:-auto}" >"$WORK/serve.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/_semcache/health" >/dev/null && break; sleep 0.2; done

chat() {  # chat MODEL TEXT [extra curl args]
  local model="$1" text="$2"; shift 2
  curl -s -o /dev/null "http://127.0.0.1:$PORT/v1/chat/completions" -H 'authorization: Bearer sk-demo' \
    -H 'content-type: application/json' "$@" \
    -d "{\"model\":\"$model\",\"temperature\":0,\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful support agent.\"},{\"role\":\"user\",\"content\":\"$text\"}]}"
}
questions=(
  "How do I reset my password?" "Where can I download my invoice?" "How do I cancel my subscription?"
  "What payment methods do you accept?" "How do I change my email address?" "Is there a student discount?"
  "How do I export my data?" "Can I use the app offline?"
)
paraphrases=(
  "How can I reset my password?" "Where do I download my invoice?" "How can I cancel my subscription?"
)
# Early traffic: mostly misses; later traffic: mostly hits, as a warm cache sees. One round per
# ROUND_SECONDS (default 50), so the chart (one-minute buckets) has several points.
ROUNDS="${ROUNDS:-6}"
for round in $(seq "$ROUNDS"); do
  started=$SECONDS
  for q in "${questions[@]}"; do
    chat gpt-4o-mini "$q"
    [ $((RANDOM % 3)) -eq 0 ] && chat gpt-4.1 "$q (round $round)"
  done
  for p in "${paraphrases[@]}"; do chat gpt-4o-mini "$p"; done
  chat claude-sonnet-4-20250514 "Summarise ticket $((round % 3))"
  burst=()  # three identical requests at once: one goes upstream, two are coalesced
  for _ in 1 2 3; do chat gpt-4o-mini "What are your opening hours on public holidays? (round $round)" & burst+=($!); done
  wait "${burst[@]}"
  [ "$round" -eq "$ROUNDS" ] && chat gpt-4o-mini "Why was I charged twice?" -H 'x-mock-fault: 429'  # an upstream error
  chat gpt-4o-mini "Tell me a joke" -H 'x-semcache-mode: off'
  curl -s -o /dev/null "http://127.0.0.1:$PORT/v1/embeddings" -H 'authorization: Bearer sk-demo' \
    -H 'content-type: application/json' -d "{\"model\":\"text-embedding-3-small\",\"input\":[\"doc $((round % 4))\"]}"
  [ "$round" -lt "$ROUNDS" ] && sleep $(( ${ROUND_SECONDS:-50} - (SECONDS - started) > 0 ? ${ROUND_SECONDS:-50} - (SECONDS - started) : 0 ))
done
sleep 1

screenshot() {  # screenshot WIDTH HEIGHT OUT
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$1,$2" \
    --virtual-time-budget=5000 --screenshot="$WORK/dashboard.png" "http://127.0.0.1:$PORT/_semcache/#1h" 2>"$WORK/chromium.log"
  mkdir -p "$(dirname "$3")"
  cp "$WORK/dashboard.png" "$3"
  echo "dashboard screenshot, $1 px wide: $3"
}
screenshot 1400 1750 "$OUT"
[ -n "${NARROW_OUT:-}" ] && screenshot 900 2600 "$NARROW_OUT"
"$BIN/semcache" stats --url "http://127.0.0.1:$PORT" --since 1h
