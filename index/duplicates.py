"""Near-identical clauses in different documents, found once at build time and grouped.

A search returns one hit per group, listing the other places ("also in"), so a top 10 is not ten copies
of one sentence. Two clauses are near-identical when their text is the same, or when their embeddings
are close AND their word sets almost coincide: the embedding finds candidates, the words decide.
"""

from __future__ import annotations

from collections.abc import Sequence

import faiss
import numpy as np

from ingest.model import Clause, words

# Vectors embed the clause with its title and section, so copies under different titles are less than
# parallel: the cosine only finds candidates, the shared words decide.
COSINE = 0.8
JACCARD = 0.8


def duplicate_groups(vectors: np.ndarray, clauses: Sequence[Clause]) -> np.ndarray:
    """A group id per row (-1: no near-identical clause in another document)."""
    n = len(clauses)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    exact: dict[str, int] = {}
    for i, c in enumerate(clauses):  # identical text, whatever the embedding says
        key = " ".join(words(c.text))
        if key in exact and clauses[exact[key]].doc_id != c.doc_id:
            parent[find(i)] = find(exact[key])
        exact.setdefault(key, i)
    if n:
        index = faiss.IndexFlatIP(vectors.shape[1])
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        lims, _, ids = index.range_search(np.ascontiguousarray(vectors, dtype=np.float32), COSINE)
        word_sets: dict[int, set[str]] = {}
        for i in range(n):
            for j in ids[lims[i] : lims[i + 1]]:
                j = int(j)
                if j <= i or clauses[i].doc_id == clauses[j].doc_id:
                    continue
                a = word_sets.setdefault(i, set(words(clauses[i].text)))
                b = word_sets.setdefault(j, set(words(clauses[j].text)))
                if a and b and len(a & b) / len(a | b) >= JACCARD:
                    parent[find(j)] = find(i)
    roots = np.array([find(i) for i in range(n)], dtype=np.int64)
    counts = np.bincount(roots, minlength=n) if n else np.zeros(0, dtype=np.int64)
    return np.where(counts[roots] > 1, roots, -1)
