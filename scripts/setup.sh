#!/usr/bin/env bash
# Create .venv and install policyscope with its test extras. torch comes first and pinned:
# the CPU wheel of torch 2.13.0 is on this machine's disk; any other torch pulls gigabytes of CUDA.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
. .venv/bin/activate
python -m pip install --quiet --upgrade pip
python -m pip install --quiet torch==2.13.0
python -m pip install --quiet -e ".[test]"
