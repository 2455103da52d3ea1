"""Metadata filters as sets of allowed rows, computed in microseconds from per-value row lists."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np

# Metadata keys a search may filter on; "doc_id" matches a prefix (a folder or one document).
FILTER_KEYS = ("audience", "region", "product", "language", "doc_id", "format", "area")
# A clause whose region is one of these applies everywhere, so it matches any region filter.
GLOBAL_REGIONS = {"global", "all", "worldwide"}

Filters = Mapping[str, str | Sequence[str]]


def _values(value: str) -> list[str]:
    return [v.strip().lower() for v in value.split(",") if v.strip()]


class FilterIndex:
    """Row sets per metadata value, so a filter becomes a sorted array of allowed rows."""

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

    def values(self, key: str) -> list[str]:
        """The distinct values of a metadata key, sorted (lower-cased, as filters match them)."""
        return sorted(self.by_value.get(key, {}))

    def allowed(self, filters: Filters) -> np.ndarray | None:
        """Sorted rows matching every filter key (any of a key's values); None when unfiltered.

        Raises ValueError for an unknown filter key.
        """
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


def intersect(a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray | None:
    """Rows allowed by both (None means every row)."""
    if a is None:
        return b
    if b is None:
        return a
    return np.intersect1d(a, b, assume_unique=True)
