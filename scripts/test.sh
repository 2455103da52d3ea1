#!/usr/bin/env bash
# Set up and run the whole test suite (the slow end-to-end tests included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/setup-browser.sh  # Debian's chromium, for tests/browser
. .venv/bin/activate
export HF_HUB_OFFLINE=1
python -m pytest -q "$@"
