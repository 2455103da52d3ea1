"""Near-identical clauses in different documents, found once at build time and grouped.

A search returns one hit per group, listing the other places ("also in"), so a top 10 is not ten copies
of one sentence. Two clauses are near-identical when their text is the same, or when their embeddings
are close AND their word sets almost coincide, with the same numbers: the embedding finds candidates, the
words decide.
"""

from __future__ import annotations

from collections.abc import Sequence

import faiss
import numpy as np

from consistency.facts import extract_facts
from ingest.model import Clause, words

# Vectors embed the clause with its title and section, so copies under different titles are less than
# parallel: the cosine only finds candidates, the shared words decide.
COSINE = 0.8
JACCARD = 0.8


NEIGHBOURS = 8  # candidates per clause: near-identical copies of one clause are few
EXACT_LIMIT = 20_000  # above this many clauses, candidates come from an IVF index, not an exact scan


def _neighbours(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's nearest rows by inner product (itself included), exact for small corpora."""
    k = min(NEIGHBOURS, len(x))
    if len(x) <= EXACT_LIMIT:
        index = faiss.IndexFlatIP(x.shape[1])
    else:
        nlist = int(np.sqrt(len(x)))
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(x.shape[1]), x.shape[1], nlist, faiss.METRIC_INNER_PRODUCT)
        index.train(x[np.random.default_rng(0).choice(len(x), min(len(x), 50 * nlist), replace=False)])
        index.nprobe = 4
    index.add(x)
    return index.search(x, k)


def _numbers(text: str) -> frozenset[tuple]:
    """The quantities a clause states (durations, amounts, ages, counts, as the checker reads them; not its
    own number, a cross-reference or a footnote mark): "within 30 days" and "within 45 days" are two rules,
    never copies of one."""
    return frozenset((q.kind, q.low, q.high, q.unit, q.bound) for q in extract_facts(text).quantities)


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
    if n > 1:
        x = np.ascontiguousarray(vectors, dtype=np.float32)
        sims, ids = _neighbours(x)
        word_sets: dict[int, set[str]] = {}
        for i in range(n):
            for j, sim in zip(ids[i], sims[i]):
                j = int(j)
                if j <= i or sim < COSINE or clauses[i].doc_id == clauses[j].doc_id:
                    continue
                a = word_sets.setdefault(i, set(words(clauses[i].text)))
                b = word_sets.setdefault(j, set(words(clauses[j].text)))
                if (a and b and len(a & b) / len(a | b) >= JACCARD
                        and _numbers(clauses[i].text) == _numbers(clauses[j].text)):
                    parent[find(j)] = find(i)
    roots = np.array([find(i) for i in range(n)], dtype=np.int64)
    counts = np.bincount(roots, minlength=n) if n else np.zeros(0, dtype=np.int64)
    return np.where(counts[roots] > 1, roots, -1)
