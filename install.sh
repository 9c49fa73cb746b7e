#!/usr/bin/env bash
# Install followup-watcher into ./.venv and show it working on the bundled sample mailbox.
# Usage: ./install.sh            (Debian/Ubuntu; asks for sudo only if python3-venv is missing)
set -euo pipefail
cd "$(dirname "$0")"

if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    echo "installing python3-venv (needs sudo)..." >&2
    if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq python3-venv
    else sudo apt-get update -qq && sudo apt-get install -y -qq python3-venv; fi
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
echo "installed: $(.venv/bin/followup-watcher --version) in $(pwd)/.venv/bin" >&2
echo >&2
exec .venv/bin/followup-watcher demo
