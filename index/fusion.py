"""Fusing a dense and a lexical ranking: reciprocal rank fusion, or a weighted sum of normalised scores."""

from __future__ import annotations

from collections.abc import Sequence

Ranked = Sequence[tuple[int, float]]


def rrf(rankings: Sequence[Ranked], k: int = 60) -> list[tuple[int, float]]:
    """Reciprocal rank fusion: each ranking adds 1 / (k + rank) to a row's score."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, (row, _) in enumerate(ranking, 1):
            fused[row] = fused.get(row, 0.0) + 1.0 / (k + rank)
    return sorted(fused.items(), key=lambda x: (-x[1], x[0]))


def _min_max(scores: dict[int, float]) -> dict[int, float]:
    if not scores:
        return {}
    lo, hi = min(scores.values()), max(scores.values())
    span = hi - lo
    return {r: (s - lo) / span if span > 0 else 1.0 for r, s in scores.items()}


def weighted(dense: dict[int, float], lexical: dict[int, float], alpha: float,
             companion: dict[int, float] | None = None, share: float = 0.0) -> list[tuple[int, float]]:
    """alpha * min-max(dense) + (1 - alpha) * lexical / max(lexical), over the union of candidates.

    With a companion model's dense scores, alpha is split: (1 - share) of it to the main model's min-max
    score and share to the companion's. Every dict must score every candidate row (the caller fills in
    the scores a retriever did not rank).
    """
    d = _min_max(dense)
    c = _min_max(companion) if companion is not None else {}
    w_main, w_companion = (alpha * (1 - share), alpha * share) if companion is not None else (alpha, 0.0)
    top = max(lexical.values(), default=0.0)
    rows = set(dense) | set(lexical) | set(c)
    fused = {r: w_main * d.get(r, 0.0) + w_companion * c.get(r, 0.0)
             + (1 - alpha) * (lexical.get(r, 0.0) / top if top > 0 else 0.0) for r in rows}
    return sorted(fused.items(), key=lambda x: (-x[1], x[0]))
