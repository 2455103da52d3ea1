"""Benchmark: checking a 600-word help-centre article against the policies (prints figures; not a test).

Run: HF_HUB_OFFLINE=1 python benchmarks/bench_check.py [--corpus corpus]
The article is the first 600 words of the corpus's help-centre articles (as ingested), so it reads
like what writers check.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from consistency.checker import Checker, split_statements  # noqa: E402
from eval.harness import ensure_index  # noqa: E402
from index.embed import SentenceTransformerEmbedder  # noqa: E402
from index.search import PolicyIndex  # noqa: E402
from ingest.corpus import ingest_folder  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[1] / "corpus")
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    corpus = ingest_folder(args.corpus)
    paragraphs = [b.text for d in corpus.documents if d.doc_id.startswith("help-centre/") for b in d.blocks
                  if b.kind != "heading"]
    article, count = [], 0
    for p in paragraphs:
        if count >= args.words:
            break
        article.append(p)
        count += len(p.split())
    text = "\n\n".join(article)
    embedder = SentenceTransformerEmbedder()
    with tempfile.TemporaryDirectory() as cache:
        index = PolicyIndex(ensure_index(args.corpus, Path(cache), embedder), embedder)
        checker = Checker(index, exclude=("help-centre/",))
        checker.check_text(text)  # warm-up
        times = []
        for _ in range(args.rounds):
            t = time.perf_counter()
            verdicts = checker.check_text(text)
            times.append(time.perf_counter() - t)
        index.close()
    print(f"article: {count} words, {len(split_statements(text))} statements")
    print(f"check: median {statistics.median(times):.2f} s, max {max(times):.2f} s over {args.rounds} runs "
          f"({1000 * statistics.median(times) / len(verdicts):.1f} ms per statement)")


if __name__ == "__main__":
    main()
