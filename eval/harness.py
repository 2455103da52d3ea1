"""Run named retrieval configurations over judged queries, and measure them.

Configurations run on the policyscope index ("main") unless they name another, such as the naive
fixed-chunk baseline ("naive"); judgments match hits by cited span, so both are scored alike.
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from eval.judgments import JudgedQuery
from eval.metrics import METRICS, RankedHit, evaluate_run, paired_tests
from index.build import IndexUnavailable, build_index, read_manifest
from index.embed import Embedder
from index.search import DEFAULT_CONFIG, Hit, PolicyIndex, SearchConfig, SearchResult
from index.sentences import sentence_spans
from ingest.corpus import ingest_folder
from ingest.model import citation_holds


@dataclass(frozen=True, slots=True)
class RetrievalConfig:
    """A named way of searching: the search configuration and how many hits are kept."""

    name: str
    search: SearchConfig = DEFAULT_CONFIG
    depth: int = 10  # hits kept per query; fewer than k is a deliberately weakened configuration
    index: str = "main"  # "main": the policyscope index (with its companion's vectors); "naive": fixed chunks

    def describe(self) -> str:
        s = self.search
        parts = [s.mode] + ([s.fusion] if s.mode == "hybrid" else [])
        if s.mode == "hybrid" and s.fusion == "weighted":
            parts.append(f"alpha {s.alpha}")
        if s.mode == "hybrid" and s.context:
            parts.append(f"companion share {s.companion}" if s.companion else "no companion")
        if s.mode == "hybrid":
            parts.append(f"candidates {s.depth}")
        parts.append("with context" if s.context else "no context")
        return ", ".join(parts) + (f", depth {self.depth}" if self.depth != 10 else "") + (
            f", {self.index} index" if self.index != "main" else "")


CONFIGS = {
    "default": RetrievalConfig("default", DEFAULT_CONFIG),
    "dense": RetrievalConfig("dense", SearchConfig(mode="dense")),
    # The default fuses MiniLM, e5 and BM25 when the index has e5 vectors (as `policyscope ingest` builds it):
    # e5 alone, and the fusion without it (MiniLM and BM25, the default of an index built with --companion none).
    "dense-e5": RetrievalConfig("dense-e5", SearchConfig(mode="companion")),
    "hybrid-minilm": RetrievalConfig("hybrid-minilm", replace(DEFAULT_CONFIG, companion=0.0)),
    "lexical": RetrievalConfig("lexical", SearchConfig(mode="lexical")),
    "rrf": RetrievalConfig("rrf", SearchConfig(mode="hybrid", fusion="rrf")),
    "weighted": RetrievalConfig("weighted", SearchConfig(mode="hybrid", fusion="weighted", alpha=0.5)),
    "dense-plain": RetrievalConfig("dense-plain", SearchConfig(mode="dense", context=False)),
    "lexical-plain": RetrievalConfig("lexical-plain", SearchConfig(mode="lexical", context=False)),
    "default-plain": RetrievalConfig("default-plain", replace(DEFAULT_CONFIG, context=False)),
    "dense-top1": RetrievalConfig("dense-top1", SearchConfig(mode="dense"), depth=1),
    # The baseline a typical RAG tutorial builds: 1,000-character windows, 200 overlap, same model (eval/naive.py).
    "naive-rag": RetrievalConfig("naive-rag", SearchConfig(mode="dense"), index="naive"),
}


def config_named(name: str) -> RetrievalConfig:
    """A configuration by name, or inline as "MODE:key=value:..." (e.g. "hybrid:fusion=rrf:depth=30").

    Raises ValueError naming the known configurations.
    """
    if name in CONFIGS:
        return CONFIGS[name]
    mode, *pairs = name.split(":")
    if mode not in ("dense", "lexical", "hybrid", "companion") or not pairs:
        raise ValueError(f"unknown configuration {name!r}; known: {', '.join(CONFIGS)}, or MODE:key=value:...")
    kwargs: dict[str, Any] = {"mode": mode}
    for pair in pairs:
        key, _, value = pair.partition("=")
        if key not in ("fusion", "alpha", "companion", "rrf_k", "depth", "context"):
            raise ValueError(f"unknown setting {key!r} in configuration {name!r}")
        kwargs[key] = {"fusion": str, "alpha": float, "companion": float, "rrf_k": int,
                       "depth": int}.get(key, lambda v: v == "true")(value)
    return RetrievalConfig(name, SearchConfig(**kwargs))


@dataclass(slots=True)
class ConfigResult:
    config: RetrievalConfig
    metrics: dict[str, float]
    per_query: dict[str, dict[str, float]]
    per_area: dict[str, dict[str, float]]
    latency_ms: dict[str, float]
    citation_fidelity: float
    hits: dict[str, list[Hit]] = field(repr=False)
    worst: list[dict[str, Any]] = field(default_factory=list)
    abstention: dict[str, float] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)  # per query, where the search gives one
    best_sentence: float | None = None  # share of top-5 hits on an answering passage highlighted on it


def ensure_index(corpus: Path, cache: Path, embedder: Embedder, progress: Callable[[int], None] | None = None,
                 companion: Embedder | None = None) -> Path:
    """An index of the corpus for this model (and companion model, if any), built once and reused from the cache."""
    parsed = ingest_folder(corpus)
    names = f"{embedder.name}:plain" + (f":{companion.name}" if companion is not None else "")
    key = hashlib.sha256(f"{parsed.digest}:{names}".encode()).hexdigest()[:16]
    folder = cache / f"{corpus.name}-{key}"
    try:
        read_manifest(folder)
        return folder
    except IndexUnavailable:
        # Eval indexes also hold the context-free vectors, so "with/without context" is one index.
        build_index(parsed, embedder, folder, progress=progress, plain=True, companion=companion)
        return folder


def ranked_hit(hit: Hit) -> RankedHit:
    """What the metrics need of a hit: its citation and the other places of a de-duplicated hit."""
    c = hit.clause
    also = tuple((o.doc_id, o.page, o.char_start, o.char_end) for o in hit.also_in)
    return RankedHit(c.clause_id, c.doc_id, c.page, c.char_start, c.char_end, also)


def _abstention(queries: Sequence[JudgedQuery], answers: dict[str, SearchResult]) -> dict[str, float]:
    """Share of unanswerable queries abstained on, and of answerable ones wrongly abstained on."""
    if all(a.confidence is None for a in answers.values()):
        return {}
    unanswerable = [q.query_id for q in queries if not q.answerable]
    answerable = [q.query_id for q in queries if q.answerable]
    share = lambda ids: sum(answers[i].abstained for i in ids) / len(ids) if ids else 0.0  # noqa: E731
    return {"unanswerable_abstained": share(unanswerable), "answerable_abstained": share(answerable),
            "unanswerable": len(unanswerable), "answerable": len(answerable)}


def _fidelity(index: PolicyIndex, hits: dict[str, list[Hit]]) -> float:
    """Share of hits whose cited span in the stored source contains the hit's text, word for word."""
    sources: dict[str, Any] = {}
    ok = total = 0
    for ranked in hits.values():
        for h in ranked:
            c = h.clause
            if c.doc_id not in sources:
                sources[c.doc_id] = index.store.document(c.doc_id)
            doc = sources[c.doc_id]
            total += 1
            ok += doc is not None and citation_holds(doc.source_for(c.page), c.text, c.char_start, c.char_end)
    return ok / total if total else 1.0


BEST_SENTENCE_TOP = 5


def _best_sentence(queries: Sequence[JudgedQuery], hits: dict[str, list[Hit]]) -> float | None:
    """Of the top BEST_SENTENCE_TOP hits of answerable queries whose clause overlaps a grade-2 passage and has more
    than one sentence, the share whose best sentences (the highlight) include one on that passage; None when there
    are none. A sentence's place in the source is the clause's start plus its offset in the clause text."""
    on = total = 0
    for q in queries:
        if not q.answerable:
            continue
        for h in hits.get(q.query_id, [])[:BEST_SENTENCE_TOP]:
            c = h.clause
            passages = [p for p in q.passages if p.grade == 2 and p.clause_id is None
                        and p.overlaps(c.doc_id, c.page, c.char_start, c.char_end, c.clause_id)]
            if not passages or len(sentence_spans(c.text)) < 2:
                continue
            total += 1
            on += any(p.overlaps(c.doc_id, c.page, c.char_start + s, c.char_start + e, c.clause_id)
                      for s, e in h.best for p in passages)
    return on / total if total else None


def run_config(index: PolicyIndex, queries: Sequence[JudgedQuery], config: RetrievalConfig, k: int = 10,
               progress: Callable[[], None] | None = None) -> tuple[dict[str, SearchResult], list[float]]:
    """Search every query with one configuration: (result per query id, latency of each search in ms)."""
    hits: dict[str, SearchResult] = {}
    latencies = []
    for q in queries:
        t = time.perf_counter()
        hits[q.query_id] = index.search(q.query, min(k, config.depth), q.filters, config.search)
        latencies.append((time.perf_counter() - t) * 1000)
        if progress:
            progress()
    return hits, latencies


def _worst(queries: Sequence[JudgedQuery], per_query: dict[str, dict[str, float]], hits: dict[str, list[Hit]],
           n: int) -> list[dict[str, Any]]:
    by_id = {q.query_id: q for q in queries}
    ranked = sorted(per_query, key=lambda qid: (per_query[qid]["ndcg@10"], qid))[:n]
    out = []
    for qid in ranked:
        q = by_id[qid]
        expected = max(q.passages, key=lambda p: p.grade)
        top = hits[qid][0].clause if hits[qid] else None
        out.append({
            "query_id": qid, "query": q.query, "ndcg@10": round(per_query[qid]["ndcg@10"], 4),
            "expected": {"doc_id": expected.doc_id, "page": expected.page, "quote": expected.quote or expected.key},
            "ranked_first": None if top is None else {"doc_id": top.doc_id, "page": top.page, "text": top.text[:300]},
        })
    return out


def evaluate_configs(index: PolicyIndex | Mapping[str, PolicyIndex], queries: Sequence[JudgedQuery],
                     configs: Sequence[RetrievalConfig], k: int = 10, worst: int = 5,
                     progress: Callable[[], None] | None = None
                     ) -> tuple[list[ConfigResult], dict[str, dict[str, dict[str, float]]]]:
    """Every configuration on the same queries, each on its index; plus paired p-values between them.

    index is the main index, or a mapping from index name ("main", "naive") to index. Raises ValueError
    when a configuration's index is not given.
    """
    indexes = {"main": index} if isinstance(index, PolicyIndex) else index
    missing = sorted({c.index for c in configs} - set(indexes))
    if missing:
        raise ValueError(f"no {', '.join(missing)} index given for configurations "
                         f"{', '.join(c.name for c in configs if c.index in missing)}")
    results = []
    for config in configs:
        searched = indexes[config.index]
        answers, latencies = run_config(searched, queries, config, k, progress)
        hits = {qid: r.hits for qid, r in answers.items()}
        ranked = {qid: [ranked_hit(h) for h in hs] for qid, hs in hits.items()}
        means, per_query = evaluate_run(queries, ranked)
        areas: dict[str, list[str]] = defaultdict(list)
        for q in queries:
            if q.query_id in per_query:
                areas[q.area].append(q.query_id)
        per_area = {area: {m: float(np.mean([per_query[qid][m] for qid in qids])) for m in ("ndcg@10", "recall@10")}
                    | {"queries": len(qids)} for area, qids in sorted(areas.items())}
        results.append(ConfigResult(
            config, means, per_query, per_area,
            {"p50": float(np.percentile(latencies, 50)), "p95": float(np.percentile(latencies, 95))} if latencies else {},
            _fidelity(searched, hits), hits, _worst(queries, per_query, hits, worst), _abstention(queries, answers),
            {qid: a.confidence for qid, a in answers.items() if a.confidence is not None},
            _best_sentence(queries, hits),
        ))
    runs = {r.config.name: {qid: [ranked_hit(h) for h in hs] for qid, hs in r.hits.items()} for r in results}
    return results, paired_tests(queries, runs, ("ndcg@10", "recall@10"))


def gate(result: ConfigResult, thresholds: dict[str, float]) -> list[str]:
    """What fell short of the thresholds, one line each (empty when the gate passes)."""
    known = set(METRICS) | {"citation_fidelity"}
    failures = []
    for metric, floor in thresholds.items():
        if metric not in known:
            raise ValueError(f"unknown metric {metric!r} for --fail-under; use one of {', '.join(sorted(known))}")
        value = result.citation_fidelity if metric == "citation_fidelity" else result.metrics[metric]
        if value < floor:
            failures.append(f"{result.config.name}: {metric} = {value:.4f} < {floor}")
    return failures
