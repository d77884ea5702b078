#!/usr/bin/env bash
# Creates bench/.venv (shared with bench/vector) with numpy and matplotlib from PyPI when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
bench/.venv/bin/python -c 'import numpy, matplotlib' 2>/dev/null \
  || bench/.venv/bin/pip install -q --disable-pip-version-check -r bench/scale/requirements.txt >&2
