#!/usr/bin/env bash
# Install followup-watcher into ./.venv and show it working on the bundled sample mailbox.
# Usage: ./install.sh            (Debian/Ubuntu; uses sudo only if Python 3.11+ or venv is missing)
set -euo pipefail
cd "$(dirname "$0")"
. tools/setup-lib.sh

python=$(pick_python)
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
# Bytecode now, so that a service whose sandbox makes the code read-only still starts quickly.
.venv/bin/python -m compileall -q watcher
echo "installed: $(.venv/bin/followup-watcher --version) in $(pwd)/.venv/bin" >&2
echo >&2
exec .venv/bin/followup-watcher demo
