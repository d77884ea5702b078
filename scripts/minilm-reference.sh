#!/usr/bin/env bash
# Regenerates Tests/fixtures/minilm/reference.jsonl: the token ids and embeddings that
# sentence-transformers (PyTorch, CPU) computes for the texts in Tests/fixtures/minilm/texts.json
# with the all-MiniLM-L6-v2 files `make model` fetches. The MiniLM reference tests compare
# semcache's Swift implementation with it. Run it from anywhere; it installs torch (CPU) and
# sentence-transformers from PyPI into a venv the first time (a large download).
#   scripts/minilm-reference.sh                      # model from $MODEL_DIR or the per-user place
#   MODEL_DIR=models/all-MiniLM-L6-v2 scripts/minilm-reference.sh
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL_DIR="${MODEL_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/semcache/models/all-MiniLM-L6-v2}"
VENV="${REFERENCE_VENV:-bench/.venv}"
PYTHON="${PYTHON:-python3}"
OUT="Tests/fixtures/minilm/reference.jsonl"

scripts/fetch-model.sh "$MODEL_DIR" >&2
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import sentence_transformers, torch" 2>/dev/null; then
  echo "minilm-reference: creating $VENV with torch and sentence-transformers (PyPI; a large download)" >&2
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check torch sentence-transformers
fi

"$VENV/bin/python" - "$MODEL_DIR" Tests/fixtures/minilm/texts.json "$OUT" <<'PY'
import json, sys
import sentence_transformers, torch
from sentence_transformers import SentenceTransformer

model_dir, texts_path, out_path = sys.argv[1:4]
torch.set_num_threads(1)
model = SentenceTransformer(model_dir, device="cpu")
model.max_seq_length = 256
texts = json.load(open(texts_path, encoding="utf-8"))
tokenizer = model.tokenizer
with open(out_path, "w", encoding="utf-8") as out:
    for text in texts:
        ids = tokenizer(text, max_length=256, truncation=True)["input_ids"]
        vector = model.encode([text], normalize_embeddings=True, convert_to_numpy=True)[0]
        line = {"text": text, "input_ids": ids, "embedding": [round(float(x), 6) for x in vector]}
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
print(f"minilm-reference: {len(texts)} texts -> {out_path} (sentence-transformers {sentence_transformers.__version__}, torch {torch.__version__})", file=sys.stderr)
PY
