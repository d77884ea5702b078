#!/usr/bin/env bash
# Exact hits: semcache vs nginx as an exact POST cache, both in front of the same mock upstream,
# same wrk settings, same body. Rounds alternate nginx / semcache so background load hits both.
#   bench/http/exact-hit.sh            (ROUNDS=3 WRK_ARGS="-t2 -c32 -d10s --latency" PIN=0)
# PIN=1 runs the servers on CPU 0 and wrk on CPU 1 (taskset), one worker / event loop each.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh

ROUNDS=${ROUNDS:-3}
PIN=${PIN:-0}
BODY=bench/http/chat-request.json
WORK=$(mktemp -d /tmp/semcache-bench-exact.XXXXXX)
chmod 755 "$WORK"
trap 'cleanup_started; rm -rf "$WORK"' EXIT
SECTION="1. exact hit"

if ! command -v nginx >/dev/null || ! command -v wrk >/dev/null; then
  skip "$SECTION" "requests/s vs nginx" "nginx or wrk is not installed"
  exit 0
fi

server_cpu=() workers=auto
if [ "$PIN" = 1 ]; then server_cpu=(taskset -c 0); WRK_PREFIX="taskset -c 1"; workers=1; fi

MOCK_PORT=$(free_port); NGINX_PORT=$(free_port); SIDECAR_PORT=$(free_port)
start_mock "$MOCK_PORT"
sed -e "s|@DIR@|$WORK|g" -e "s|@PORT@|$NGINX_PORT|g" -e "s|@UPSTREAM_PORT@|$MOCK_PORT|g" -e "s|@WORKERS@|$workers|g" \
  bench/http/nginx.conf.template >"$WORK/nginx.conf"
start nginx "$WORK/nginx.out" "${server_cpu[@]}" nginx -c "$WORK/nginx.conf" -g 'daemon off;'
NGINX_PID=$LAST_PID
wait_port "$NGINX_PORT" >/dev/null
start_sidecar "$SIDECAR_PORT" "$WORK/semcache.db" "$MOCK_PORT"
# One core for the servers: every thread of semcache (event loops, SQLite queues, libcurl) on CPU 0.
if [ "$PIN" = 1 ]; then taskset -a -p -c 0 "$SIDECAR_PID" >/dev/null; fi

NGINX_URL=http://127.0.0.1:$NGINX_PORT/v1/chat/completions
SIDECAR_URL=http://127.0.0.1:$SIDECAR_PORT/v1/chat/completions

# Both must really serve hits before anything is measured.
header_of "$NGINX_URL" "$BODY" x-cache-status >/dev/null
nginx_status=$(header_of "$NGINX_URL" "$BODY" x-cache-status)
header_of "$SIDECAR_URL" "$BODY" x-semcache >/dev/null
sleep 0.2  # the first answer is written to SQLite after the response
sidecar_status=$(header_of "$SIDECAR_URL" "$BODY" x-semcache)
if [ "$nginx_status" != HIT ] || [ "$sidecar_status" != hit-exact ]; then
  log "no hits to measure: nginx says '$nginx_status', semcache says '$sidecar_status'"
  skip "$SECTION" "requests/s vs nginx" "a side did not serve hits (nginx: $nginx_status, semcache: $sidecar_status)"
  exit 0
fi
upstream_calls() {
  curl -s "http://127.0.0.1:$MOCK_PORT/_mock/stats" | python3 -c 'import json, sys; print(json.load(sys.stdin)["paths"].get("/v1/chat/completions", 0))'
}
mock_before=$(upstream_calls)

log "warm-up (3 s each)"
WRK_ARGS="-t2 -c32 -d3s" wrk_run "$NGINX_URL" bench/http/post.lua "$BODY" >/dev/null 2>&1
WRK_ARGS="-t2 -c32 -d3s" wrk_run "$SIDECAR_URL" bench/http/post.lua "$BODY" >/dev/null 2>&1

# measured_run NAME URL PIDS...: one wrk run; appends its figures and the servers' CPU microseconds
# per request (user + system, all threads; less sensitive than requests/s to other load on the machine).
measured_run() {
  local name=$1 url=$2 before after result; shift 2
  log "round $round/$ROUNDS: $name"
  before=$(cpu_seconds "$@")
  result=$(wrk_run "$url" bench/http/post.lua "$BODY")
  after=$(cpu_seconds "$@")
  echo "$result $(awk -v a="$before" -v b="$after" -v n="$(cut -d' ' -f4 <<<"$result")" 'BEGIN { printf "%.1f", (b - a) * 1e6 / n }')" >>"$WORK/$name.runs"
}
: >"$WORK/nginx.runs"; : >"$WORK/semcache.runs"
for round in $(seq "$ROUNDS"); do
  # The master and its workers (not the cache loader, which exits a minute after start).
  # shellcheck disable=SC2046
  measured_run nginx "$NGINX_URL" "$NGINX_PID" $(pgrep -P "$NGINX_PID" -f "worker process")
  measured_run semcache "$SIDECAR_URL" "$SIDECAR_PID"
done

# Every request of the runs must have been a hit: the mock saw nothing new, semcache counted hits.
mock_after=$(upstream_calls)
sidecar_requests=$(awk '{ s += $4 } END { print s }' "$WORK/semcache.runs")
hits=$(curl -s "http://127.0.0.1:$SIDECAR_PORT/_semcache/stats" | python3 -c 'import json, sys; print(json.load(sys.stdin)["requests"]["hit_exact"])')
errors=$(cat "$WORK/nginx.runs" "$WORK/semcache.runs" | awk '{ s += $5 } END { print s }')
log "semcache: $hits exact hits counted, $sidecar_requests requests in the measured runs; errors in all runs: $errors"
if [ "$mock_before" != "$mock_after" ] || [ "$hits" -lt "$sidecar_requests" ] || [ "$errors" -ne 0 ]; then
  skip "$SECTION" "requests/s vs nginx" "not every measured request was a hit or succeeded (upstream calls $mock_before → $mock_after, $hits hits < $sidecar_requests requests, or $errors errors)"
  exit 0
fi

column() { awk -v c="$1" '{ print $c }' "$2" | median; }
pinned=""; [ "$PIN" = 1 ] && pinned=", pinned"
row "$SECTION" "requests/s (median of $ROUNDS runs, wrk $(sed 's/ --latency//' <<<"$WRK_ARGS")$pinned)" "$(column 1 "$WORK/semcache.runs")" "$(column 1 "$WORK/nginx.runs")" "≥ 1.0× nginx" "o >= b"
row "$SECTION" "p99 latency, ms" "$(column 3 "$WORK/semcache.runs")" "$(column 3 "$WORK/nginx.runs")" "≤ nginx" "o <= b"
row "$SECTION" "p50 latency, ms" "$(column 2 "$WORK/semcache.runs")" "$(column 2 "$WORK/nginx.runs")" "—" "-"
row "$SECTION" "server CPU per request, µs (all threads)" "$(column 6 "$WORK/semcache.runs")" "$(column 6 "$WORK/nginx.runs")" "—" "-"
