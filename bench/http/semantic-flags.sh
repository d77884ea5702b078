#!/usr/bin/env bash
# Prints the `semcache serve` flags that turn semantic hits on, or nothing when this build has no
# semantic mode. Override with SEMANTIC_FLAGS="…" in the environment of the runners.
set -euo pipefail
cd "$(dirname "$0")/../.."
help=$(${BIN:-.build/release}/semcache serve --help 2>&1 || true)
model=${MODEL_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/semcache/models/all-MiniLM-L6-v2}
if grep -q -- '--model-dir' <<<"$help" && [ -d "$model" ]; then
  flags="--model-dir $model"
  if grep -q -- '--semantic\b' <<<"$help"; then flags="$flags --semantic"; fi
  echo "$flags"
fi
