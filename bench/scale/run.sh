#!/usr/bin/env bash
# Scale: memory per stored entry, start-up time and lookup time at 10k, 100k and 1M entries, each
# against the same measurement with one entry; writes bench/results/scale.tsv and scale.png.
# Entries are clones of one real entry (bench/scale/populate.py), all in one context; with a
# semantic build the lookup is a semantic one over every entry (case-flipped prompt, see
# bench/http/semantic.sh), otherwise an exact hit.
#   bench/scale/run.sh           (SCALE_SIZES=10000,100000,1000000)
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh

SIZES=${SCALE_SIZES:-10000,100000,1000000}
SECTION="4. scale"
SEMANTIC_FLAGS=${SEMANTIC_FLAGS:-$(bench/http/semantic-flags.sh)}
bench/scale/venv.sh
WORK=$(mktemp -d /tmp/semcache-bench-scale.XXXXXX)
trap 'cleanup_started; rm -rf "$WORK"' EXIT
BODY=bench/http/chat-request.json
LOOKUP_BODY=$BODY
mode="exact-only build, exact hit"
if [ -n "$SEMANTIC_FLAGS" ]; then
  mode="semantic lookup"
  LOOKUP_BODY=$WORK/case.json
  sed 's/"content":"Hi! /"content":"@CASE@Hi! /' "$BODY" >"$LOOKUP_BODY"
fi
DB=$WORK/scale.db
MOCK_PORT=$(free_port)
start_mock "$MOCK_PORT"

# measure ENTRIES: starts semcache on the database (before: ENTRIES entries); appends "entries
# answers_s rss_kib db_bytes lookup_p50_ms lookup_p99_ms outcome loaded_s": the seconds until the
# port answers (requests are forwarded uncached while the index loads) and until the index is loaded.
measure() {
  local port started answers loaded rss lookup
  port=$(free_port)
  sync
  started=$(date +%s.%N)
  # shellcheck disable=SC2086
  start "semcache on :$port" "$WORK/serve.log" "$BIN/semcache" serve --upstream "http://127.0.0.1:$MOCK_PORT" \
    --port "$port" --db "$DB" --log-level error $SEMANTIC_FLAGS
  wait_port "$port" 600 >/dev/null
  answers=$(awk -v s="$started" -v n="$(date +%s.%N)" 'BEGIN { printf "%.3f\n", n - s }')
  wait_loaded "$port"
  loaded=$(awk -v s="$started" -v n="$(date +%s.%N)" 'BEGIN { printf "%.3f\n", n - s }')
  # The index is loaded: the resident size now is the cost of the entries.
  rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$LAST_PID/status")
  local url=http://127.0.0.1:$port/v1/chat/completions
  [ "$1" -gt 0 ] || { header_of "$url" "$BODY" x-semcache >/dev/null; sleep 0.5; }
  lookup=$("$BIN/semcache-bench-http" latency --target "lookup=$url" --body "$LOOKUP_BODY" --requests "${LOOKUPS:-300}" --warmup 30)
  log "lookup at $1 entries: $lookup"
  stop "$LAST_PID"
  python3 - "$1" "$answers" "$rss" "$(stat -c %s "$DB")" "$lookup" "$loaded" >>"$WORK/scale.tsv" <<'PY'
import json, sys
entries, answers, rss, size, lookup, loaded = sys.argv[1:]
lookup = json.loads(lookup)
print(entries, answers, rss, size, lookup["p50_ms"], lookup["p99_ms"], ",".join(lookup["x_semcache"]), loaded, sep="\t")
PY
}

: >"$WORK/scale.tsv"
measure 0  # creates the real entry; then the database holds 1
for size in ${SIZES//,/ }; do
  log "populating to $size entries"
  bench/.venv/bin/python bench/scale/populate.py --db "$DB" --total "$size"
  measure "$size"
done

cp "$WORK/scale.tsv" bench/results/scale.tsv
bench/.venv/bin/python bench/scale/plot.py bench/results/scale.tsv bench/results/scale.png "$mode"

read -r _ base_start base_rss _ base_p50 _ _ base_loaded < <(head -1 "$WORK/scale.tsv")
tail -n +2 "$WORK/scale.tsv" | while read -r entries startup rss size p50 p99 outcome loaded; do
  label=$(awk -v n="$entries" 'BEGIN { if (n >= 1e6) printf "%gM", n / 1e6; else printf "%gk", n / 1e3 }')
  per_entry=$(awk -v r="$rss" -v b="$base_rss" -v n="$entries" 'BEGIN { printf "%.0f", (r - b) * 1024 / n }')
  on_disk=$(awk -v s="$size" -v n="$entries" 'BEGIN { printf "%.0f", s / n }')
  row "$SECTION" "$label entries: memory per entry, bytes (vs bytes per entry in the SQLite file)" "$per_entry" "$on_disk" "—" "-"
  row "$SECTION" "$label entries: start-up until the port answers, s (vs empty cache)" "$startup" "$base_start" "—" "-"
  row "$SECTION" "$label entries: start-up until the index is loaded, s (vs empty cache)" "$loaded" "$base_loaded" "< 5 s at 1M" \
    "$([ "$entries" -ge 1000000 ] && echo 'o < 5' || echo '-')"
  row "$SECTION" "$label entries: $mode p50, ms (vs 1 entry; answered $outcome)" "$p50" "$base_p50" "—" "-"
done
