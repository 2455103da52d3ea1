"""Run named retrieval configurations over judged queries on one index, and measure them."""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from eval.judgments import JudgedQuery
from eval.metrics import METRICS, RankedHit, evaluate_run, paired_tests
from index.build import IndexUnavailable, build_index, read_manifest
from index.embed import Embedder
from index.search import Hit, PolicyIndex
from ingest.corpus import ingest_folder
from ingest.model import citation_holds


@dataclass(frozen=True, slots=True)
class RetrievalConfig:
    """A named way of searching one index: the mode and how many hits are kept."""

    name: str
    mode: str = "dense"
    depth: int = 10  # hits kept per query; fewer than k is a deliberately weakened configuration

    def describe(self) -> str:
        return f"{self.mode}, depth {self.depth}"


CONFIGS = {
    "default": RetrievalConfig("default", "dense"),
    "dense": RetrievalConfig("dense", "dense"),
    "lexical": RetrievalConfig("lexical", "lexical"),
    "dense-top1": RetrievalConfig("dense-top1", "dense", depth=1),
}


def config_named(name: str) -> RetrievalConfig:
    """A configuration by name; raises ValueError listing the known ones."""
    if name not in CONFIGS:
        raise ValueError(f"unknown configuration {name!r}; known: {', '.join(CONFIGS)}")
    return CONFIGS[name]


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


def ensure_index(corpus: Path, cache: Path, embedder: Embedder, progress: Callable[[int], None] | None = None) -> Path:
    """An index of the corpus for this model, built once and reused from the cache folder."""
    parsed = ingest_folder(corpus)
    key = hashlib.sha256(f"{parsed.digest}:{embedder.name}".encode()).hexdigest()[:16]
    folder = cache / f"{corpus.name}-{key}"
    try:
        read_manifest(folder)
        return folder
    except IndexUnavailable:
        build_index(parsed, embedder, folder, progress=progress)
        return folder


def _ranked(hit: Hit) -> RankedHit:
    c = hit.clause
    return RankedHit(c.clause_id, c.doc_id, c.page, c.char_start, c.char_end)


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


def run_config(index: PolicyIndex, queries: Sequence[JudgedQuery], config: RetrievalConfig, k: int = 10,
               progress: Callable[[], None] | None = None) -> tuple[dict[str, list[Hit]], list[float]]:
    """Search every query with one configuration: (hits per query id, latency of each search in ms)."""
    hits: dict[str, list[Hit]] = {}
    latencies = []
    for q in queries:
        t = time.perf_counter()
        hits[q.query_id] = index.search(q.query, min(k, config.depth), q.filters, mode=config.mode)
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


def evaluate_configs(index: PolicyIndex, queries: Sequence[JudgedQuery], configs: Sequence[RetrievalConfig],
                     k: int = 10, worst: int = 5, progress: Callable[[], None] | None = None
                     ) -> tuple[list[ConfigResult], dict[str, dict[str, dict[str, float]]]]:
    """Every configuration on the same queries and index; plus paired p-values between them."""
    results = []
    for config in configs:
        hits, latencies = run_config(index, queries, config, k, progress)
        ranked = {qid: [_ranked(h) for h in hs] for qid, hs in hits.items()}
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
            _fidelity(index, hits), hits, _worst(queries, per_query, hits, worst),
        ))
    runs = {r.config.name: {qid: [_ranked(h) for h in hs] for qid, hs in r.hits.items()} for r in results}
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
