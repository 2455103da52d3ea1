"""Benchmark: guidance answers (search + sentence choice) in process, over our dev queries (prints figures).

Run: HF_HUB_OFFLINE=1 python benchmarks/bench_answer.py [--queries eval/data/queries-dev.jsonl] [--corpus corpus]
The page fires /search and /answer together; the cards show when /search returns, the answer after this.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval.harness import ensure_index  # noqa: E402
from eval.labels import read_jsonl  # noqa: E402
from index.answer import answer  # noqa: E402
from index.embed import SentenceTransformerEmbedder  # noqa: E402
from index.search import PolicyIndex  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, default=ROOT / "eval" / "data" / "queries-dev.jsonl")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--cache", type=Path, default=ROOT / "data" / "eval-cache")
    args = parser.parse_args()
    embedder = SentenceTransformerEmbedder()
    index = PolicyIndex(ensure_index(args.corpus, args.cache, embedder), embedder)
    queries = [q["query"] for q in read_jsonl(args.queries)]
    for q in queries[:5]:  # warm-up
        answer(index, q)
    search_ms, answer_ms = [], []
    for q in queries:
        t = time.perf_counter()
        index.search(q, 10)
        search_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        answer(index, q)
        answer_ms.append((time.perf_counter() - t) * 1000)
    for name, ms in (("search (k=10)", search_ms), ("answer (k=5)", answer_ms)):
        p95 = statistics.quantiles(ms, n=20)[-1]
        print(f"{name}: p50 {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms over {len(ms)} queries")


if __name__ == "__main__":
    main()
