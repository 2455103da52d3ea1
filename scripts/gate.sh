#!/usr/bin/env bash
# Regression gate: the default configuration on our dev split must stay above these floors.
# Floors sit below the measured dev figures (default: ndcg@10 0.774, recall@10 0.84, success@5 0.98,
# citation fidelity 1.0; README "How search works") with margin for honest noise, so a real
# regression fails CI and a re-chunking that shuffles a few ranks does not.
set -euo pipefail
cd "$(dirname "$0")/.."
. .venv/bin/activate
export HF_HUB_OFFLINE=1
policyscope eval --queries eval/data/queries-dev.jsonl --configs default --out results/gate-dev --quiet \
  --fail-under ndcg@10=0.65 --fail-under recall@10=0.70 --fail-under success@5=0.88 \
  --fail-under citation_fidelity=0.99
