"""Search over an index folder: filters applied inside the scan, ranked hits with their clauses."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.build import LEXICAL, STORE, VECTORS, IndexUnavailable, Manifest, read_manifest, rebuild_hint
from index.embed import Embedder
from index.lexical import LexicalIndex
from index.store import ClauseStore
from index.vectors import VectorIndex
from ingest.model import Clause

# Metadata keys a search may filter on; "doc_id" matches a prefix (a folder or one document).
FILTER_KEYS = ("audience", "region", "product", "language", "doc_id", "format", "area")
# A clause whose region is one of these applies everywhere, so it matches any region filter.
GLOBAL_REGIONS = {"global", "all", "worldwide"}

Filters = Mapping[str, str | Sequence[str]]


@dataclass(frozen=True, slots=True)
class Hit:
    clause: Clause
    score: float
    rank: int


def _values(value: str) -> list[str]:
    return [v.strip().lower() for v in value.split(",") if v.strip()]


class _FilterIndex:
    """Row sets per metadata value, so a filter becomes a sorted array of allowed rows in microseconds."""

    def __init__(self, doc_ids: list[str], metas: list[dict[str, str]]) -> None:
        self.size = len(doc_ids)
        self.by_value: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        self.doc_rows: dict[str, list[int]] = defaultdict(list)
        for row, (doc_id, meta) in enumerate(zip(doc_ids, metas)):
            self.doc_rows[doc_id].append(row)
            for key in FILTER_KEYS:
                if key != "doc_id" and key in meta:
                    for v in _values(meta[key]):
                        self.by_value[key][v].append(row)

    def allowed(self, filters: Filters) -> np.ndarray | None:
        """Sorted rows matching every filter key (any of a key's values); None when unfiltered."""
        result: np.ndarray | None = None
        for key, raw in filters.items():
            if key not in FILTER_KEYS:
                raise ValueError(f"unknown filter {key!r}; filters are {', '.join(FILTER_KEYS)}")
            wanted = [raw] if isinstance(raw, str) else list(raw)
            rows: list[int] = []
            for value in wanted:
                if key == "doc_id":
                    prefix = value.strip()
                    for doc_id, doc_rows in self.doc_rows.items():
                        if doc_id == prefix or doc_id.startswith(prefix.rstrip("/") + "/") or (
                            prefix.endswith("/") and doc_id.startswith(prefix)
                        ):
                            rows.extend(doc_rows)
                else:
                    rows.extend(self.by_value[key].get(value.strip().lower(), []))
                    if key == "region":
                        for g in GLOBAL_REGIONS:
                            rows.extend(self.by_value[key].get(g, []))
            found = np.unique(np.array(rows, dtype=np.int64))
            result = found if result is None else np.intersect1d(result, found, assume_unique=True)
        return result


class PolicyIndex:
    """A loaded index: the embedder, FAISS vectors and the clause store, loaded once and reused."""

    def __init__(self, folder: Path, embedder: Embedder) -> None:
        self.folder = folder
        self.manifest: Manifest = read_manifest(folder)
        if embedder.name != self.manifest.model or embedder.dim != self.manifest.dim:
            raise IndexUnavailable(
                f"The index at {folder} was built with model {self.manifest.model} ({self.manifest.dim} dims) "
                f"but the configured model is {embedder.name} ({embedder.dim} dims). Rebuild it with "
                f"{rebuild_hint(folder, self.manifest.source)} or configure model {self.manifest.model}."
            )
        self.embedder = embedder
        self.vectors = VectorIndex.load(folder / VECTORS)
        self.lexical = LexicalIndex.load(folder / LEXICAL)
        self.store = ClauseStore(folder / STORE)
        self._filters = _FilterIndex(*self.store.filter_columns())

    def close(self) -> None:
        self.store.close()

    @property
    def clause_count(self) -> int:
        return self.vectors.size

    def allowed_rows(self, filters: Filters | None) -> np.ndarray | None:
        """Rows a filter allows (None: all); raises ValueError for an unknown filter key."""
        return self._filters.allowed(filters) if filters else None

    def search(self, query: str, k: int = 10, filters: Filters | None = None, mode: str = "dense") -> list[Hit]:
        """The k best clauses for the query among those the filters allow; raises ValueError.

        mode "dense": cosine similarity of the embeddings; "lexical": BM25 over stemmed words.
        """
        if not query.strip():
            raise ValueError("the query is empty; type a question or some keywords")
        if k < 1:
            raise ValueError("k must be at least 1")
        allowed = self.allowed_rows(filters)
        if mode == "dense":
            ranked = self.vectors.search(self.embedder.embed([query])[0], k, allowed)
        elif mode == "lexical":
            ranked = self.lexical.search(query, k, allowed)
        else:
            raise ValueError(f"unknown search mode {mode!r}; use dense or lexical")
        clauses = self.store.clauses_at([row for row, _ in ranked])
        return [Hit(clause, score, rank) for rank, (clause, (_, score)) in enumerate(zip(clauses, ranked), 1)]
