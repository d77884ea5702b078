#!/usr/bin/env bash
# The whole benchmark suite (`make bench`): every figure is compared with a baseline measured in the
# same invocation. Prints one table and writes it to bench/results/LATEST.md.
#   bench/run-all.sh                         # everything
#   ONLY=exact,miss bench/run-all.sh         # some parts: exact, miss, semantic, load, scale, embedding, vector, quality
# Parts that cannot run (a tool missing, a feature not built yet) become "skipped" rows saying why.
#   BENCH_OUT=bench/results/exact-miss.md ONLY=exact,miss bench/run-all.sh   # another report file
set -uo pipefail
cd "$(dirname "$0")/.."

ONLY=${ONLY:-exact,miss,semantic,load,scale,embedding,vector,quality}
RESULTS=bench/results
mkdir -p "$RESULTS"
ROWS=$(mktemp /tmp/semcache-bench-rows.XXXXXX)
NOTES=$(mktemp /tmp/semcache-bench-notes.XXXXXX)
export BENCH_ROWS=$ROWS
source bench/lib.sh
trap 'cleanup_started; rm -f "$ROWS" "$NOTES"' EXIT
wanted() { [[ ",$ONLY," == *",$1,"* ]]; }

# nginx and wrk, installed with apt when missing (the exact-hit baseline and load generator).
missing=""
command -v nginx >/dev/null || missing="$missing nginx-light"
command -v wrk >/dev/null || missing="$missing wrk"
if [ -n "$missing" ] && wanted exact; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  log "installing$missing"
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing; } >&2 \
    || log "could not install$missing; the parts that need them are skipped"
fi

log "release build"
swift build -c release --product semcache >&2 && swift build -c release --product semcache-mock-upstream >&2 \
  && swift build -c release --product semcache-bench-http >&2 || { log "release build failed"; exit 1; }

# part NAME SECTION SCRIPT: runs one of our runners; a runner that fails leaves a row saying so.
part() {
  local name=$1 section=$2 script=$3
  wanted "$name" || return 0
  log "== $section ($script)"
  if ! "$script"; then skip "$section" "$name" "$script failed (see its output above)"; fi
}
part exact "1. exact hit" bench/http/exact-hit.sh
part miss "2. miss overhead" bench/http/miss-overhead.sh
part semantic "3. semantic path" bench/http/semantic.sh
part load "3b. semantic hits under load" bench/http/semantic-load.sh
part scale "4. scale" bench/scale/run.sh

# The other benchmarks (embedding, vector search, hit quality) have their own reports; their output
# is kept in bench/results/NAME.md and the table links to it.
other() {
  local name=$1 script=$2
  wanted "$name" || return 0
  if [ ! -x "$script" ]; then
    skip "5. other" "$name benchmark" "$script is not there yet"
    return
  fi
  log "== $name ($script)"
  if "$script" >"$RESULTS/$name.md"; then
    row "5. other" "$name benchmark: see [$name.md]($name.md)" "—" "—" "—" "-"
  else
    skip "5. other" "$name benchmark" "$script failed; its output is in bench/results/$name.md"
  fi
}
other embedding bench/embedding/run.sh
other vector bench/vector/run.sh
other quality bench/quality/run

cat >"$NOTES" <<'NOTE'
Notes
- Baselines: 1. nginx 1.22 (Debian) as an exact POST cache (`proxy_cache_key "$request_uri|$request_body"`)
  in front of the same mock upstream; 2. the same requests sent straight to the mock upstream (latency 0);
  3. exact hits of the same semcache process; 4. the smallest size (or an empty cache).
- One machine runs the load generator, the servers and the mock: they share its cores (no pinning
  unless a row says so). Rounds alternate between the two sides so background load affects both.
- The load average above says how busy the machine was (other jobs share it); requests/s swing with
  it, server CPU per request much less.
- Same request everywhere: a 1.1 KB chat completion (system prompt, temperature 0), bench/http/chat-request.json.
- Raw outputs of the runners are on stderr of `make bench`.
NOTE
python3 bench/report.py "$ROWS" --out "${BENCH_OUT:-$RESULTS/LATEST.md}" --command "${BENCH_COMMAND:-make bench}" --notes "$NOTES"
