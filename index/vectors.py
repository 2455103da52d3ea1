"""Dense vectors in FAISS: exact inner-product search, optionally restricted to allowed rows."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np


class VectorIndex:
    """A flat inner-product FAISS index over unit vectors (cosine similarity), row i = clause row i."""

    def __init__(self, index: faiss.Index) -> None:
        self._index = index

    @classmethod
    def build(cls, vectors: np.ndarray) -> VectorIndex:
        """Index unit-norm float32 rows; raises ValueError on a wrong shape or dtype."""
        if vectors.ndim != 2 or vectors.dtype != np.float32:
            raise ValueError(f"expected a 2-d float32 array, got {vectors.dtype} with shape {vectors.shape}")
        index = faiss.IndexFlatIP(vectors.shape[1])
        index.add(np.ascontiguousarray(vectors))
        return cls(index)

    @classmethod
    def load(cls, path: Path) -> VectorIndex:
        return cls(faiss.read_index(str(path)))

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    def all(self) -> np.ndarray:
        """Every stored vector, row by row (float32, shape (size, dim))."""
        return self._index.reconstruct_n(0, self._index.ntotal)

    @property
    def size(self) -> int:
        return int(self._index.ntotal)

    @property
    def dim(self) -> int:
        return int(self._index.d)

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top-k (row, score) for one unit query vector; `allowed` (sorted row ids) restricts the scan.

        The restriction happens inside the scan (an ID selector), not after it, so k hits come back
        whenever k allowed rows exist, however few rows the filter allows.
        """
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        params = None
        if allowed is not None:
            if len(allowed) == 0:
                return []
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed.astype(np.int64)))
        k = min(k, self.size if allowed is None else len(allowed))
        if k <= 0:
            return []
        scores, rows = self._index.search(q, k, params=params)
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0]) if r >= 0]

    def vectors(self, rows: np.ndarray) -> np.ndarray:
        """The stored vectors of the given rows."""
        return np.vstack([self._index.reconstruct(int(r)) for r in rows]) if len(rows) else np.zeros((0, self.dim))

    def neighbours(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(similarities, rows) of each stored vector's k nearest stored vectors, itself included."""
        everything = np.ascontiguousarray(self._index.reconstruct_n(0, self.size), dtype=np.float32)
        return self._index.search(everything, min(k, self.size))
