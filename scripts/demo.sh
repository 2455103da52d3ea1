#!/usr/bin/env bash
# Set up, index the shipped sample corpus with the bundled model, and serve it on 127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. .venv/bin/activate
export HF_HUB_OFFLINE=1
policyscope ingest corpus/ --index data/index
echo
echo "policyscope is serving the sample corpus at http://127.0.0.1:8000/  (API docs: http://127.0.0.1:8000/docs)"
echo "Try: curl -s localhost:8000/search -H 'content-type: application/json' -d '{\"query\": \"can a 17-year-old get LIVE gifts?\", \"k\": 3}'"
exec policyscope serve --index data/index --host 127.0.0.1 --port 8000
