#!/usr/bin/env bash
# Verified hits under Zipf traffic over paraphrase classes (README: "Verified hits"). The mock
# upstream answers every question of a class (union-find over the duplicate pairs of
# ../shared/eval/qqp_val.csv) with that class's answer, so a semantic hit serving another class's
# answer is a wrong hit. Two sidecars (release build, MiniLM) get the same request sequence: one
# started with a loose threshold, verification and a false-hit bound, one with the default rule.
#   bench/verify/run.sh   (REQUESTS=6000 ZIPF=0.9 SEED=1 VERIFY_FLAGS="--threshold 0.70 --verify-rate 0.1 --max-false-hit-rate 0.01 --verify-budget 120")
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh

REQUESTS=${REQUESTS:-6000}
ZIPF=${ZIPF:-0.9}
SEED=${SEED:-1}
VERIFY_FLAGS=${VERIFY_FLAGS:---threshold 0.70 --verify-rate 0.1 --max-false-hit-rate 0.01 --verify-budget 120}
export SEMCACHE_MODEL_DIR=${SEMCACHE_MODEL_DIR:-${MODEL_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/semcache/models/all-MiniLM-L6-v2}}

WORK=$(mktemp -d /tmp/semcache-bench-verify.XXXXXX)
trap 'cleanup_started; rm -rf "$WORK"' EXIT
bench/verify/classes.py >"$WORK/classes.jsonl"

MOCK_PORT=$(free_port)
start_mock "$MOCK_PORT" --classes "$WORK/classes.jsonl"
VERIFIED_PORT=$(free_port)
# shellcheck disable=SC2086
start_sidecar "$VERIFIED_PORT" "$WORK/verified.db" "$MOCK_PORT" --embedder minilm $VERIFY_FLAGS
DEFAULT_PORT=$(free_port)
start_sidecar "$DEFAULT_PORT" "$WORK/default.db" "$MOCK_PORT" --embedder minilm
log "verified: $VERIFY_FLAGS; default: the shipped rule, no verification"

python3 bench/verify/traffic.py "$WORK/classes.jsonl" "http://127.0.0.1:$VERIFIED_PORT" "http://127.0.0.1:$DEFAULT_PORT" \
  --requests "$REQUESTS" --zipf "$ZIPF" --seed "$SEED"
"$BIN/semcache" stats --url "http://127.0.0.1:$VERIFIED_PORT" --since 1h | sed -n '/verified/,/false hits/p;/learnt thresholds/,/entries with their own/p'
