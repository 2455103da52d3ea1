"""Print the sample corpus's size: documents, words and clauses per format and per audience.

Run: python scripts/corpus_stats.py [FOLDER]   (default: corpus/)
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.corpus import ingest_folder  # noqa: E402


def main() -> int:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "corpus"
    corpus = ingest_folder(root)
    docs, words, clauses = Counter(), Counter(), Counter()
    for doc in corpus.documents:
        key = (doc.format, doc.meta.get("audience", "public"))
        docs[key] += 1
        words[key] += sum(len(b.text.split()) for b in doc.blocks)
    by_doc = {d.doc_id: (d.format, d.meta.get("audience", "public")) for d in corpus.documents}
    for c in corpus.clauses:
        clauses[by_doc[c.doc_id]] += 1
    print(f"{'format':10} {'audience':9} {'documents':>9} {'words':>8} {'clauses':>8}")
    for key in sorted(docs):
        print(f"{key[0]:10} {key[1]:9} {docs[key]:>9} {words[key]:>8} {clauses[key]:>8}")
    print(f"{'total':20} {sum(docs.values()):>9} {sum(words.values()):>8} {sum(clauses.values()):>8}")
    for fmt in sorted({k[0] for k in docs}):
        print(f"  {fmt}: {sum(v for k, v in docs.items() if k[0] == fmt)} documents")
    failed = [f for f in corpus.files if f.status != "ok"]
    for f in failed:
        print(f"{f.status}: {f.doc_id}: {f.reason}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
