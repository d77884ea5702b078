#!/usr/bin/env bash
# Prewarm speed: records/s of `semcache prewarm --db` for COUNT `pairs` records (distinct chat prompts
# with answers), with the hash embedder and with MiniLM (batched: one embedder call per committed batch).
#   bench/prewarm/run.sh                     # 100k records, both embedders
#   COUNT=20000 EMBEDDERS=hash bench/prewarm/run.sh
# Writes bench/results/prewarm-LATEST.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

COUNT=${COUNT:-100000}
EMBEDDERS=${EMBEDDERS:-hash,minilm}
BATCH=${BATCH:-256}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
RESULT=bench/results/prewarm-LATEST.md

echo "generating $COUNT pairs records" >&2
python3 - "$COUNT" >"$OUT/pairs.jsonl" <<'PY'
import json, random, sys
random.seed(7)
subjects = ["list", "dictionary", "string", "file", "date", "socket", "thread", "matrix", "queue", "regex"]
actions = ["reverse", "sort", "copy", "parse", "merge", "split", "serialise", "compress", "validate", "iterate over"]
languages = ["Python", "Swift", "Rust", "Go", "Kotlin", "TypeScript", "C", "Java", "Ruby", "Haskell"]
for n in range(int(sys.argv[1])):
    prompt = (f"How do I {random.choice(actions)} a {random.choice(subjects)} in {random.choice(languages)}"
              f" when it holds {n} items?")
    request = {"model": "gpt-4o-mini", "temperature": 0,
               "messages": [{"role": "system", "content": "You are a concise programming assistant."},
                            {"role": "user", "content": prompt}]}
    response = {"id": f"chatcmpl-{n}", "object": "chat.completion", "created": 1741944413, "model": "gpt-4o-mini",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": f"Answer number {n}: use the standard library."},
                             "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 30, "completion_tokens": 9, "total_tokens": 39}}
    print(json.dumps({"request": request, "response": response}, separators=(",", ":")))
PY

swift build -c release --product semcache >&2
BIN=.build/release/semcache
export PREWARM_BENCH_KEY=sk-bench

rows=""
for embedder in ${EMBEDDERS//,/ }; do
  rm -f "$OUT/bench.db"*
  echo "prewarm with --embedder $embedder" >&2
  "$BIN" prewarm --db "$OUT/bench.db" --embedder "$embedder" --api-key-env PREWARM_BENCH_KEY --batch-size "$BATCH" \
    --format pairs "$OUT/pairs.jsonl" >"$OUT/$embedder.txt"
  summary=$(grep '^read ' "$OUT/$embedder.txt")
  stored=$(awk '$1 == "stored" { print $2 }' "$OUT/$embedder.txt")
  seconds=$(sed -E 's/^read [0-9]+ records in ([0-9.]+) s.*/\1/' <<<"$summary")
  rate=$(sed -E 's/.*\(([0-9]+) records\/s\).*/\1/' <<<"$summary")
  echo "  $summary" >&2
  rows+="| $embedder | $COUNT | $stored | $seconds | **$rate** |"$'\n'
done

size=$(du -h "$OUT/pairs.jsonl" | cut -f1)
mkdir -p bench/results
cat >"$RESULT" <<MD
# Prewarm speed

\`bench/prewarm/run.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),
release build. Input: $COUNT distinct chat-completion \`pairs\` records with answers ($size), into an
empty database with \`semcache prewarm --db\`, $BATCH records per committed batch (one embedder
call and one transaction each). Time from the first record read to the last batch committed
(reading, canonicalising and hashing, embedding, SQLite, both indexes), as the summary reports it.

| embedder | records | stored | seconds | records/s |
|---|---|---|---|---|
${rows}
MD
cat "$RESULT"
