"""Search over an index folder: dense, lexical or hybrid retrieval, filters applied inside the scan."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import numpy as np

from index.build import (
    DUPLICATES,
    LEXICAL,
    LEXICAL_PLAIN,
    STORE,
    VECTORS,
    VECTORS_COMPANION,
    VECTORS_PLAIN,
    IndexUnavailable,
    Manifest,
    read_manifest,
    rebuild_hint,
)
from index.confidence import Calibration, features
from index.embed import Embedder, embed_query, load_embedder, passage_text
from index.filters import FILTER_KEYS, FilterIndex, Filters, intersect
from index.fusion import rrf, weighted
from index.lexical import LexicalIndex
from index.sentences import best_sentences
from index.store import ClauseStore
from index.vectors import VectorIndex
from index.versions import VersionIndex, split_as_of
from ingest.model import Clause

__all__ = ["FILTER_KEYS", "Hit", "PolicyIndex", "SearchConfig", "SearchResult"]

# Embeds queries with the companion model while the calling thread embeds them with the main one.
_QUERY_THREAD = ThreadPoolExecutor(1, thread_name_prefix="companion-query")


@dataclass(frozen=True, slots=True)
class SearchConfig:
    """How to search: retrieval mode, fusion and its parameters. The defaults are chosen on dev splits."""

    mode: str = "hybrid"  # dense | lexical | hybrid | companion (the companion model's dense search alone)
    fusion: str = "weighted"  # rrf | weighted (hybrid only)
    alpha: float = 0.8  # weighted fusion: weight of the dense scores (chosen on ours dev + PolicyQA dev)
    # Hybrid search on an index with companion vectors: the share of alpha given to the companion model.
    companion: float = 0.4  # chosen on ours dev + PolicyQA dev (docs/benchmarks.md)
    rrf_k: int = 60
    depth: int = 50  # candidates taken from each retriever before fusion
    context: bool = True  # use the index variant whose text leads with title and section path

    def __post_init__(self) -> None:
        if self.mode not in ("dense", "lexical", "hybrid", "companion"):
            raise ValueError(f"unknown search mode {self.mode!r}; use dense, lexical, hybrid or companion")
        if self.fusion not in ("rrf", "weighted"):
            raise ValueError(f"unknown fusion {self.fusion!r}; use rrf or weighted")
        if not 0.0 <= self.alpha <= 1.0:
            raise ValueError("alpha must be between 0 and 1")
        if not 0.0 <= self.companion <= 1.0:
            raise ValueError("companion must be between 0 and 1")


DEFAULT_CONFIG = SearchConfig()


@dataclass(frozen=True, slots=True)
class Hit:
    clause: Clause
    score: float
    rank: int
    also_in: tuple[Clause, ...] = ()  # near-identical clauses in other documents, shown as one hit
    best: tuple[tuple[int, int], ...] = ()  # (start, end) in clause.text of the best-matching sentence(s)
    near_miss: bool = False  # returned although the search abstained: closest, not an answer


@dataclass(frozen=True, slots=True)
class SearchResult:
    hits: list[Hit]
    abstained: bool = False  # True when no clause is judged to answer the query
    confidence: float | None = None  # calibrated probability that the top hit answers the query
    features: dict[str, float] = field(default_factory=dict)


class PolicyIndex:
    """A loaded index: the embedder, FAISS vectors, BM25 and the clause store, loaded once and reused."""

    def __init__(self, folder: Path, embedder: Embedder, calibration: Calibration | None = None,
                 companion: Embedder | None = None) -> None:
        self.folder = folder
        self.manifest: Manifest = read_manifest(folder)
        if embedder.name != self.manifest.model or embedder.dim != self.manifest.dim:
            raise IndexUnavailable(
                f"The index at {folder} was built with model {self.manifest.model} ({self.manifest.dim} dims) "
                f"but the configured model is {embedder.name} ({embedder.dim} dims). Rebuild it with "
                f"{rebuild_hint(folder, self.manifest.source)} or configure model {self.manifest.model}."
            )
        self.embedder = embedder
        self.vectors = {True: VectorIndex.load(folder / VECTORS)}
        if (folder / VECTORS_PLAIN).exists():
            self.vectors[False] = VectorIndex.load(folder / VECTORS_PLAIN)
        # The companion model (named in the manifest) and its vectors.
        self.companion: Embedder | None = None
        self.companion_vectors: VectorIndex | None = None
        if self.manifest.companion:
            try:
                given = companion is not None and companion.name == self.manifest.companion
                self.companion = companion if given else load_embedder(self.manifest.companion)
            except (RuntimeError, OSError, ImportError) as exc:
                raise IndexUnavailable(f"The index at {folder} needs companion model {self.manifest.companion}: "
                                       f"{exc}") from exc
            self.companion_vectors = VectorIndex.load(folder / VECTORS_COMPANION)
        self.lexical = {True: LexicalIndex.load(folder / LEXICAL), False: LexicalIndex.load(folder / LEXICAL_PLAIN)}
        self.store = ClauseStore(folder / STORE)
        self._filters = FilterIndex(*self.store.filter_columns())
        self.versions = VersionIndex.from_store(self.store)
        self.calibration = calibration if calibration is not None else Calibration.load(embedder.name)
        groups = np.load(folder / DUPLICATES) if (folder / DUPLICATES).exists() else np.zeros(0, dtype=np.int64)
        self._group_of = {int(r): int(g) for r, g in enumerate(groups) if g >= 0}
        self._members: dict[int, list[int]] = {}
        for row, group in self._group_of.items():
            self._members.setdefault(group, []).append(row)

    def close(self) -> None:
        self.store.close()

    def duplicate_groups(self) -> list[list[int]]:
        """Rows of each group of near-identical clauses in different documents."""
        return [sorted(rows) for rows in self._members.values()]

    def group_of(self, row: int) -> int | None:
        """The near-duplicate group of a row, if it has one."""
        return self._group_of.get(row)

    @property
    def clause_count(self) -> int:
        return self.vectors[True].size

    def facets(self, keys: tuple[str, ...] = ("audience", "region", "product", "language")) -> dict[str, list[str]]:
        """The values each filter key takes in this index, for offering them as choices."""
        return {key: self._filters.values(key) for key in keys}

    def allowed_rows(self, filters: Filters | None) -> np.ndarray | None:
        """Rows a filter allows (None: all); raises ValueError for an unknown filter key."""
        return self._filters.allowed(filters) if filters else None

    def _dense(self, config: SearchConfig, qvec: np.ndarray, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        vectors = self.vectors.get(config.context)
        if vectors is None:
            raise ValueError("this index has no plain (context-free) vectors; build it with plain=True")
        return vectors.search(qvec, config.depth, allowed)

    def _rank(self, query: str, config: SearchConfig, allowed: np.ndarray | None
              ) -> tuple[list[tuple[int, float]], list[float]]:
        """(fused ranking, the main model's dense scores in rank order: empty without the main model)."""
        lexical = self.lexical[config.context]
        if config.mode == "lexical":
            return lexical.search(query, config.depth, allowed), []
        if config.mode == "companion":
            if self.companion is None or not config.context:
                raise ValueError("this index has no companion vectors (they are built with context only); "
                                 "build it with a companion model")
            return self._companion_dense(query, config.depth, allowed)[0], []
        use_companion = (self.companion is not None and config.context and config.companion > 0
                         and config.mode == "hybrid")
        # The two models embed the query at the same time (ONNX Runtime releases the GIL): on 2 cores the
        # companion then costs about a millisecond instead of its 4 ms.
        pending = _QUERY_THREAD.submit(self._companion_dense, query, config.depth, allowed) if use_companion \
            else None
        qvec = embed_query(self.embedder, [query])[0]
        dense = self._dense(config, qvec, allowed)
        dense_scores_ranked = [s for _, s in dense]
        if config.mode == "dense":
            return dense, dense_scores_ranked
        companion, cvec = pending.result() if pending is not None else ([], None)
        if config.fusion == "rrf":
            rankings = [dense, lexical.search(query, config.depth, allowed)] + ([companion] if companion else [])
            return rrf(rankings, config.rrf_k), dense_scores_ranked
        # Weighted fusion needs every score for every candidate: BM25 scores every row at once, and a dense
        # score a retriever did not rank is one dot product with that model's stored vector.
        all_lex = lexical.scores(query)
        rows = {r for r, _ in dense} | {r for r, _ in lexical.top(all_lex, config.depth, allowed)}
        rows |= {r for r, _ in companion}
        dense_scores = self._fill(dict(dense), rows, self.vectors[config.context], qvec)
        lex_scores = {r: float(all_lex[r]) for r in rows}
        if cvec is None:
            return weighted(dense_scores, lex_scores, config.alpha), dense_scores_ranked
        assert self.companion_vectors is not None
        companion_scores = self._fill(dict(companion), rows, self.companion_vectors, cvec)
        return weighted(dense_scores, lex_scores, config.alpha, companion_scores, config.companion), \
            dense_scores_ranked

    def _companion_dense(self, query: str, depth: int, allowed: np.ndarray | None
                         ) -> tuple[list[tuple[int, float]], np.ndarray]:
        """The companion model's dense ranking and query vector."""
        assert self.companion is not None and self.companion_vectors is not None
        cvec = embed_query(self.companion, [query])[0]
        return self.companion_vectors.search(cvec, depth, allowed), cvec

    @staticmethod
    def _fill(scores: dict[int, float], rows: set[int], vectors: VectorIndex, qvec: np.ndarray) -> dict[int, float]:
        missing = sorted(rows - set(scores))
        if missing:
            scores.update(zip(missing, (vectors.vectors(np.array(missing)) @ qvec).tolist()))
        return scores

    def _collapse(self, ranked: list[tuple[int, float]], allowed: np.ndarray | None, k: int
                  ) -> tuple[list[tuple[int, float]], list[list[int]]]:
        """Keep the best-ranked clause of each near-duplicate group; list the group's other rows."""
        def permitted(row: int) -> bool:  # allowed is sorted: a binary search, not a set of every row
            if allowed is None:
                return True
            i = int(np.searchsorted(allowed, row))
            return i < len(allowed) and int(allowed[i]) == row

        kept: list[tuple[int, float]] = []
        also: list[list[int]] = []
        seen: set[int] = set()
        for row, score in ranked:
            group = self._group_of.get(row)
            if group is not None:
                if group in seen:
                    continue
                seen.add(group)
            kept.append((row, score))
            others = [] if group is None else [r for r in self._members[group] if r != row]
            also.append([r for r in others if permitted(r)])
            if len(kept) == k:
                break
        return kept, also

    def search(self, query: str, k: int = 10, filters: Filters | None = None,
               config: SearchConfig = DEFAULT_CONFIG, *, as_of: date | None = None) -> SearchResult:
        """The k best clauses for the query among those the filters allow; raises ValueError."""
        if not query.strip():
            raise ValueError("the query is empty; type a question or some keywords")
        if k < 1:
            raise ValueError("k must be at least 1")
        filters, as_of = split_as_of(filters, as_of)  # as_of may come among the filters (API, CLI, batch)
        allowed = intersect(self.allowed_rows(filters), self.versions.in_force(as_of or date.today()))
        ranked, dense_scores = self._rank(query, replace(config, depth=max(config.depth, k)), allowed)
        ranked, also = self._collapse(ranked, allowed, k)
        clauses = self.store.clauses_at([row for row, _ in ranked] + [r for rows in also for r in rows])
        by_row = dict(zip([row for row, _ in ranked] + [r for rows in also for r in rows], clauses))
        lexical = self.lexical[config.context]
        hits = [Hit(by_row[row], score, rank, tuple(by_row[r] for r in others),
                    best_sentences(query, by_row[row].text, lexical))
                for rank, ((row, score), others) in enumerate(zip(ranked, also), 1)]
        if not hits:
            return SearchResult([], abstained=True, confidence=0.0)
        if not dense_scores:  # lexical-only search has no calibrated confidence
            return SearchResult(hits)
        top_texts = [passage_text(h.clause, config.context) for h in hits[:3]]
        feats = features(query, dense_scores, top_texts, self.lexical[config.context])
        if self.calibration is None:
            return SearchResult(hits, features=feats)
        confidence = self.calibration.confidence(feats)
        abstained = confidence < self.calibration.threshold
        if abstained:  # still show the closest clauses, marked as near misses, never as answers
            hits = [replace(h, near_miss=True) for h in hits]
        return SearchResult(hits, abstained, confidence, feats)
