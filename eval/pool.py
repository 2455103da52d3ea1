"""Judgment pooling: the top hits of several configurations that no judgment covers yet, for review.

Labelled sets written document by document miss passages elsewhere that also answer a query; TREC-style
pooling shows a reviewer every unjudged passage that some configuration ranks high, so judgments can be
completed by reading, not by guessing. The output is a Markdown worksheet; nothing is added by itself.

Run: python -m eval.pool QUERIES.jsonl [--corpus corpus] [--depth 8] [--out pool.md]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from eval.harness import ensure_index
from eval.judgments import load_ours
from index.embed import load_embedder
from index.search import PolicyIndex, SearchConfig


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("queries", type=Path)
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--depth", type=int, default=8, help="hits per configuration to pool")
    parser.add_argument("--modes", default="dense,lexical")
    parser.add_argument("--out", type=Path, default=Path("pool.md"))
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "policyscope-pool-cache")
    args = parser.parse_args()
    embedder = load_embedder("all-MiniLM-L6-v2")
    index = PolicyIndex(ensure_index(args.corpus, args.cache, embedder), embedder)
    lines = [f"# Judgment pool for {args.queries.name} (unjudged hits in the top {args.depth} of {args.modes})", ""]
    for q in load_ours(args.queries, args.corpus):
        seen: dict[str, object] = {}
        for mode in args.modes.split(","):
            for h in index.search(q.query, args.depth, q.filters, SearchConfig(mode=mode)).hits:
                c = h.clause
                judged = any(p.overlaps(c.doc_id, c.page, c.char_start, c.char_end, c.clause_id) for p in q.passages)
                if not judged:
                    seen.setdefault(c.clause_id, c)
        lines += [f"## {q.query_id} ({'answerable' if q.answerable else 'UNANSWERABLE'}): {q.query}", ""]
        for p in q.passages:
            lines.append(f"- judged g{p.grade}: `{p.doc_id}`" + (f" p.{p.page}" if p.page else "") + f": {p.quote}")
        for c in seen.values():
            text = " ".join(c.text.split())
            lines.append(f"- POOL `{c.doc_id}`" + (f" p.{c.page}" if c.page else "") + f": {text}")
        lines.append("")
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}")
    index.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
