"""Policy versions: which clauses are in force on a date, and each policy's chain of versions.

A document may declare `version`, `effective` (YYYY-MM-DD) and `supersedes` (the doc_id of the older
version it replaces). A document is in force on a date when its effective date is on or before it (no
effective date: always) and no document superseding it is in force by then (a superseding document
without an effective date supersedes from the start). Each row gets the half-open interval of date
ordinals [start, end) in which its document is in force, so a date becomes the allowed rows with two
vectorised comparisons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from index.store import ClauseStore

# Ordinal bounds for "since always" and "until further notice"; date ordinals lie well inside them.
_ALWAYS = np.iinfo(np.int64).min
_NEVER = np.iinfo(np.int64).max
_CACHED_DATES = 8  # in_force results kept: searches nearly always ask for today


@dataclass(frozen=True, slots=True)
class DocumentVersion:
    """One version of a policy, as `versions()` lists it."""

    doc_id: str
    title: str
    version: str | None
    effective: str | None  # YYYY-MM-DD
    supersedes: str | None  # doc_id of the version it replaces (as resolved in the index when it is there)
    in_force: bool  # on the date versions() was asked about (today by default)


def parse_date(value: object) -> dt.date:
    """A date from a date or a "YYYY-MM-DD" string; raises ValueError naming the bad value."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"as_of must be a date YYYY-MM-DD, not {value!r}")


def _ordinal(effective: str | None) -> int | None:
    if not effective:
        return None
    try:
        return dt.date.fromisoformat(effective.strip()[:10]).toordinal()
    except ValueError:
        return None  # ingestion rejects bad dates; an index from elsewhere treats them as undated


def _resolve(target: str, doc_id: str, known: Mapping[str, int]) -> str | None:
    """The indexed doc_id a `supersedes` value names, or None when it names no indexed document.

    `supersedes` is relative to the folder the policies were ingested from, but an index may have been
    built from a parent folder (doc_ids "policies/enforcement/..."), so the names are also tried under
    each folder above the superseding document, nearest first.
    """
    target = target.strip()
    while target.startswith(("./", "/")):
        target = target[2:] if target.startswith("./") else target[1:]
    if not target:
        return None
    parts = doc_id.split("/")[:-1]
    for depth in range(len(parts), -1, -1):
        candidate = "/".join([*parts[:depth], target])
        if candidate in known and candidate != doc_id:
            return candidate
    return None


class VersionIndex:
    """Per-row in-force intervals from each document's effective date and its successors'."""

    def __init__(self, doc_ids: Sequence[str], metas: Sequence[Mapping[str, str]],
                 titles: Mapping[str, str] | None = None) -> None:
        index: dict[str, int] = {}
        codes = np.empty(len(doc_ids), dtype=np.int64)
        doc_meta: list[Mapping[str, str]] = []
        for row, (doc_id, meta) in enumerate(zip(doc_ids, metas)):
            code = index.get(doc_id)
            if code is None:
                code = index[doc_id] = len(doc_meta)
                doc_meta.append(meta)
            codes[row] = code
        self._docs = list(index)
        self._index = index
        self._meta = doc_meta
        self._titles = dict(titles or {})
        self._start = np.array([_ALWAYS if (o := _ordinal(m.get("effective"))) is None else o for m in doc_meta],
                               dtype=np.int64)
        self._end = np.full(len(doc_meta), _NEVER, dtype=np.int64)
        self._supersedes: list[int | None] = [None] * len(doc_meta)
        self._successors: list[list[int]] = [[] for _ in doc_meta]
        for code, meta in enumerate(doc_meta):
            target = _resolve(meta.get("supersedes", ""), self._docs[code], index)
            if target is None:
                continue
            old = index[target]
            self._supersedes[code] = old
            self._successors[old].append(code)
            self._end[old] = min(self._end[old], self._start[code])
        self._row_start = self._start[codes]
        self._row_end = self._end[codes]
        self._cache: dict[int, np.ndarray] = {}

    @classmethod
    def from_store(cls, store: ClauseStore) -> VersionIndex:
        """The version index of a clause store (one metadata record per document, not per row)."""
        doc_ids, docs = store.document_columns()
        return cls(doc_ids, [docs[d][1] for d in doc_ids], {d: title for d, (title, _) in docs.items()})

    def in_force(self, as_of: dt.date) -> np.ndarray:
        """Sorted rows of the clauses in force on `as_of` (read-only; shared between calls)."""
        day = as_of.toordinal()
        rows = self._cache.get(day)
        if rows is None:
            rows = np.flatnonzero((self._row_start <= day) & (day < self._row_end)).astype(np.int64)
            rows.flags.writeable = False
            if len(self._cache) >= _CACHED_DATES:
                self._cache = {}  # replaced, not emptied in place: server threads may be reading it
            self._cache[day] = rows
        return rows

    def versions(self, doc_id: str, as_of: dt.date | None = None) -> list[DocumentVersion]:
        """Every version in doc_id's supersedes chain, newest first; [] for a document not in the index."""
        start = self._index.get(doc_id)
        if start is None:
            return []
        # The chain is every document linked to this one by supersedes, in either direction.
        chain, todo = {start}, [start]
        while todo:
            code = todo.pop()
            older = self._supersedes[code]
            for other in self._successors[code] + ([] if older is None else [older]):
                if other not in chain:
                    chain.add(other)
                    todo.append(other)
        day = (as_of or dt.date.today()).toordinal()
        return [self._version(code, day) for code in sorted(chain, key=self._newest_first)]

    def _generation(self, code: int) -> int:
        """How many older versions lie below this one (guarded against supersedes cycles)."""
        seen, older = {code}, self._supersedes[code]
        while older is not None and older not in seen:
            seen.add(older)
            older = self._supersedes[older]
        return len(seen) - 1

    def _newest_first(self, code: int) -> tuple[int, int, str]:
        return (-self._generation(code), -int(self._start[code]), self._docs[code])

    def _version(self, code: int, day: int) -> DocumentVersion:
        meta = self._meta[code]
        older = self._supersedes[code]
        doc_id = self._docs[code]
        return DocumentVersion(
            doc_id=doc_id, title=self._titles.get(doc_id, doc_id), version=meta.get("version"),
            effective=meta.get("effective"),
            supersedes=self._docs[older] if older is not None else meta.get("supersedes"),
            in_force=bool(self._start[code] <= day < self._end[code]),
        )


def split_as_of(filters: Mapping[str, Any] | None,
                as_of: dt.date | None) -> tuple[Mapping[str, Any] | None, dt.date | None]:
    """Filters without "as_of", and the date: the as_of argument, else the filters' "as_of" (parsed).

    The API, the CLI and batch files carry as_of among the filters; raises ValueError for a bad date.
    """
    if not filters or "as_of" not in filters:
        return filters, as_of
    raw = filters["as_of"]
    if isinstance(raw, list | tuple) and len(raw) == 1:  # `--filter as_of=...` arrives as a list
        raw = raw[0]
    parsed = parse_date(raw)
    return {k: v for k, v in filters.items() if k != "as_of"}, as_of or parsed
