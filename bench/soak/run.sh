#!/usr/bin/env bash
# Soak test: 5 minutes (SOAK_SECONDS) of mixed traffic — exact and semantic hits, misses, streams,
# embeddings, pass-through, and the mock upstream's faults (500, 429, dropped connections, streams
# cut mid-way, slow answers) — against a release build of the sidecar in front of the mock
# upstream, on loopback. Counts errors by cause (sidecar vs injected fault), samples the sidecar's
# RSS every 10 s, and writes bench/results/soak-LATEST.md.
#
#   bench/soak/run.sh                 # 5 minutes
#   SOAK_SECONDS=60 bench/soak/run.sh # shorter
#   SOAK_SEMANTIC_EVERYWHERE=1 ...    # templated questions use semantic lookup too (counts the hit rule's wrong hits)
set -euo pipefail
cd "$(dirname "$0")/../.."

SECONDS_TO_RUN="${SOAK_SECONDS:-300}"
WORKERS="${SOAK_WORKERS:-16}"
WARMUP="${SOAK_WARMUP:-$(( SECONDS_TO_RUN / 5 ))}"
MAX_ENTRIES="${SOAK_MAX_ENTRIES:-2000}"
PYTHON="${PYTHON:-python3}"
WORK="$(mktemp -d)"
RESULTS=bench/results
mkdir -p "$RESULTS"

swift build -c release --product semcache >&2
swift build -c release --product semcache-mock-upstream >&2

cleanup() {
  [[ -n "${SIDECAR_PID:-}" ]] && kill "$SIDECAR_PID" 2>/dev/null || true
  [[ -n "${MOCK_PID:-}" ]] && kill "$MOCK_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Waits for "listening on http://HOST:PORT" in a file and prints PORT.
port_from() {
  for _ in $(seq 1 600); do
    if port=$(grep -oE 'listening on http://127\.0\.0\.1:[0-9]+' "$1" | grep -oE '[0-9]+$'); then echo "$port"; return 0; fi
    sleep 0.1
  done
  echo "no start-up line in $1:" >&2; cat "$1" >&2; return 1
}

.build/release/semcache-mock-upstream --port 0 >"$WORK/mock.out" 2>&1 &
MOCK_PID=$!
MOCK_PORT=$(port_from "$WORK/mock.out")

.build/release/semcache serve --upstream "http://127.0.0.1:$MOCK_PORT" --port 0 --db "$WORK/soak.db" \
  --max-entries "$MAX_ENTRIES" --sweep-interval 10s --log-level warning >"$WORK/sidecar.out" 2>"$WORK/sidecar.err" &
SIDECAR_PID=$!
SIDECAR_PORT=$(port_from "$WORK/sidecar.out")
echo "soak: ${SECONDS_TO_RUN}s, $WORKERS workers, sidecar pid $SIDECAR_PID on :$SIDECAR_PORT, mock on :$MOCK_PORT" >&2
sed 's/^/  /' "$WORK/sidecar.out" >&2

status=0
"$PYTHON" bench/soak/soak.py --port "$SIDECAR_PORT" --pid "$SIDECAR_PID" --seconds "$SECONDS_TO_RUN" \
  --workers "$WORKERS" --warmup "$WARMUP" --json "$WORK/summary.json" \
  ${SOAK_SEMANTIC_EVERYWHERE:+--semantic-everywhere} || status=$?
curl -s "http://127.0.0.1:$SIDECAR_PORT/_semcache/stats" >"$WORK/stats.json" || echo '{}' >"$WORK/stats.json"

kill -TERM "$SIDECAR_PID"
exit_code=0
wait "$SIDECAR_PID" || exit_code=$?
SIDECAR_PID=""

"$PYTHON" - "$WORK/summary.json" "$WORK/stats.json" "$exit_code" "$SECONDS_TO_RUN" "$MAX_ENTRIES" "$WORK/sidecar.err" >"$RESULTS/soak-LATEST.md" <<'PY'
import json, platform, subprocess, sys, datetime
summary = json.load(open(sys.argv[1]))
stats = json.load(open(sys.argv[2]))
exit_code, seconds, max_entries, errlog = sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
rss = summary["rss_after_warmup_kib"]
growth = (rss["last"] - rss["first"]) / rss["first"] * 100 if rss["first"] else 0
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
print(f"# Soak result ({datetime.date.today()}, commit {commit})\n")
print(f"`bench/soak/run.sh` with SOAK_SECONDS={seconds}: {summary['workers']} client threads (Python, keep-alive) → release "
      f"`semcache serve --max-entries {max_entries}` (MiniLM when present) → `semcache-mock-upstream`, loopback, {cpu}, "
      f"{platform.os.cpu_count()} cores shared with other work. "
      + ("Templated questions use semantic lookup too." if summary["semantic_everywhere"] else
         "Templated hot/miss questions use `X-Semcache-Mode: exact`; semantic lookup runs in the paraphrase scenario.") + "\n")
print("| | |\n|---|---|")
print(f"| duration | {summary['seconds']} s |")
print(f"| requests | {summary['requests']} ({summary['requests_per_second']}/s) |")
print(f"| **errors caused by the sidecar** | **{sum(summary['sidecar_errors'].values())}** |")
print(f"| injected faults seen as injected | {summary['verdicts'].get('injected', 0)} |")
print(f"| ok | {summary['verdicts'].get('ok', 0)} |")
print(f"| RSS after warm-up (first → last, min–max) | {rss['first']/1024:.1f} → {rss['last']/1024:.1f} MiB ({growth:+.1f} %), {rss['min']/1024:.1f}–{rss['max']/1024:.1f} MiB |")
print(f"| exit after SIGTERM | {exit_code} |")
print("\nRequests by scenario: " + ", ".join(f"{k} {v}" for k, v in sorted(summary["by_scenario"].items())))
print("\n`X-Semcache` values: " + ", ".join(f"{k} {v}" for k, v in sorted(summary["x_semcache"].items())))
if summary["sidecar_errors"]:
    print("\nSidecar errors:\n" + "\n".join(f"- {k}: {v}" for k, v in summary["sidecar_errors"].items()))
print("\nLatency of successful requests (client-measured, ms): " + ", ".join(
    f"{k} p50 {v['p50']} / p99 {v['p99']}" for k, v in summary["latency_ms"].items()))
print("\nSidecar stats at the end: `" + json.dumps(stats, separators=(",", ":")) + "`")
print("\nRSS samples (s, MiB): " + ", ".join(f"{t:.0f}: {kib/1024:.1f}" for t, kib in summary["rss_samples_kib"]))
warnings = [l.rstrip() for l in open(errlog) if l.strip()]
print(f"\nSidecar log lines at level warning and above: {len(warnings)}" + ("" if not warnings else " (first: `" + warnings[0][:200] + "`)"))
PY
cat "$RESULTS/soak-LATEST.md"
[[ "$exit_code" == 0 ]] || { echo "soak: the sidecar exited with $exit_code after SIGTERM" >&2; exit 1; }
exit "$status"
