# Helpers shared by the bench runners (sourced, not run). Every process started here is killed by
# its pid when the sourcing script exits.
#
# Result rows go to $BENCH_ROWS (a TSV file: section, metric, ours, baseline, ratio, target, result);
# bench/report.py turns them into the table.

BIN=${BIN:-.build/release}
BENCH_ROWS=${BENCH_ROWS:-/dev/stdout}
WRK_ARGS=${WRK_ARGS:--t2 -c32 -d10s --latency}
# A command prefix for wrk, e.g. "taskset -c 1".
WRK_PREFIX=${WRK_PREFIX:-}
STARTED_PIDS=()

cleanup_started() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${STARTED_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  STARTED_PIDS=()
}
trap cleanup_started EXIT

log() { echo "bench: $*" >&2; }

# start NAME LOGFILE COMMAND...: runs COMMAND in the background, remembers its pid in $LAST_PID.
start() {
  local name=$1 logfile=$2; shift 2
  "$@" >"$logfile" 2>&1 &
  LAST_PID=$!
  STARTED_PIDS+=("$LAST_PID")
  log "started $name (pid $LAST_PID)"
}

# stop PID: stops one process started here and waits for it.
stop() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  local kept=() pid
  for pid in "${STARTED_PIDS[@]}"; do [ "$pid" = "$1" ] || kept+=("$pid"); done
  STARTED_PIDS=("${kept[@]}")
}

# wait_port PORT [SECONDS]: until something accepts on 127.0.0.1:PORT; prints the seconds it took.
wait_port() {
  local port=$1 limit=${2:-60} start now
  start=$(date +%s.%N)
  while ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    now=$(date +%s.%N)
    if awk -v s="$start" -v n="$now" -v l="$limit" 'BEGIN { exit !(n - s > l) }'; then
      log "nothing listens on port $port after ${limit}s"
      return 1
    fi
    sleep 0.01
  done
  now=$(date +%s.%N)
  awk -v s="$start" -v n="$now" 'BEGIN { printf "%.3f\n", n - s }'
}

# free_port: a TCP port nothing listens on.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wrk_run URL LUA BODY: one wrk run; prints "requests_per_second p50_ms p99_ms requests errors".
wrk_run() {
  local out
  # shellcheck disable=SC2086
  out=$(BENCH_BODY=$3 $WRK_PREFIX wrk $WRK_ARGS -s "$2" "$1")
  echo "$out" >&2
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec:/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /requests in/ { total = $1 }
    /Non-2xx or 3xx responses:/ { errors += $NF }
    /Socket errors:/ { errors += 1 }
    END { printf "%s %.3f %.3f %s %d\n", rps, p50, p99, total, errors }' <<<"$out"
}

# median: the median of the numbers on stdin.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# row SECTION METRIC OURS BASELINE TARGET CHECK: a result row. CHECK is an awk condition on o (ours)
# and b (baseline), e.g. "o >= b"; "-" for an informational row. The ratio is ours / baseline.
row() {
  local section=$1 metric=$2 ours=$3 base=$4 target=$5 check=$6 ratio result=info
  # Two significant digits below 0.1 (0.0019×), two decimals above.
  ratio=$(awk -v o="$ours" -v b="$base" 'BEGIN { if (b + 0 == 0) { printf "—"; exit } r = o / b; if (r < 0.1) printf "%.2g×", r; else printf "%.2f×", r }')
  if [ "$check" != "-" ]; then
    if awk -v o="$ours" -v b="$base" "BEGIN { exit !($check) }"; then result=pass; else result=FAIL; fi
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$section" "$metric" "$ours" "$base" "$ratio" "$target" "$result" >>"$BENCH_ROWS"
}

# skip SECTION METRIC REASON: a row for something that could not run.
skip() { printf '%s\t%s\tnot run\t—\t—\t—\tskipped: %s\n' "$1" "$2" "$3" >>"$BENCH_ROWS"; log "skipped $2: $3"; }

# start_sidecar PORT DB UPSTREAM_PORT [EXTRA FLAGS...]: starts semcache serve; sets $SIDECAR_PID.
start_sidecar() {
  local port=$1 db=$2 upstream=$3; shift 3
  start "semcache on :$port" "$db.log" "$BIN/semcache" serve --upstream "http://127.0.0.1:$upstream" --port "$port" --db "$db" --log-level error "$@"
  SIDECAR_PID=$LAST_PID
  wait_port "$port" 120 >/dev/null
  wait_loaded "$port"
}

# wait_loaded PORT: until the sidecar on PORT has loaded its index (it answers before, uncached).
wait_loaded() {
  for _ in $(seq 60000); do  # at most 10 minutes
    # "index", not "status": a store that is still opening makes the status "degraded" meanwhile.
    curl -sf "http://127.0.0.1:$1/_semcache/health" | grep -Eq '"index": ?"loaded"' && return 0
    sleep 0.01
  done
  log "semcache on port $1 did not finish loading its index"
}

# start_mock PORT [EXTRA FLAGS...]: starts the mock upstream; sets $MOCK_PID.
start_mock() {
  local port=$1; shift
  start "mock upstream on :$port" "$WORK/mock-$port.log" "$BIN/semcache-mock-upstream" --port "$port" "$@"
  MOCK_PID=$LAST_PID
  wait_port "$port" >/dev/null
}

# header_of URL BODY HEADER: POSTs BODY (a file) once and prints the value of HEADER.
header_of() {
  curl -s -o /dev/null -D - -X POST "$1" -H 'content-type: application/json' -H 'authorization: Bearer sk-bench' \
    --data-binary "@$2" | tr -d '\r' | awk -v h="$(tr 'A-Z' 'a-z' <<<"$3")" -F': ' 'tolower($1) == h { print $2 }'
}

# cpu_seconds PID...: user + system CPU seconds used so far by these processes (all their threads).
cpu_seconds() {
  local ticks=0 pid
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] && ticks=$((ticks + $(awk '{ print $14 + $15 }' "/proc/$pid/stat")))
  done
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f\n", t / hz }'
}
