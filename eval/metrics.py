"""Retrieval metrics through ranx: ranked hits are matched to judged passages, then scored.

A hit is relevant when its cited span overlaps a judged passage; each judged passage is credited once
(at the first hit that overlaps it), so two clauses cut from one judged passage do not both count.
Unanswerable queries (even those with related grade-1 passages) and queries without any judged
passage are left out of the retrieval metrics: they are measured by abstention instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from eval.judgments import JudgedQuery

METRICS = ("ndcg@10", "recall@5", "recall@10", "mrr@10", "success@1", "success@5")
# ranx calls success@k "hit_rate@k"; reports use the name our users know.
_RANX_NAME = {m: m.replace("success@", "hit_rate@") for m in METRICS}


@dataclass(frozen=True, slots=True)
class RankedHit:
    """What the metrics need of a hit: its citation (and its clause id, for TREC qrels)."""

    clause_id: str
    doc_id: str
    page: int | None
    char_start: int
    char_end: int
    also: tuple[tuple[str, int | None, int, int], ...] = ()  # the other places of a de-duplicated hit


def match_hits(query: JudgedQuery, hits: Sequence[RankedHit]) -> list[str]:
    """The ranked list as ranx document keys: a judged passage's key where a hit credits it."""
    credited: set[str] = set()
    keys: list[str] = []
    for hit in hits:
        places = [(hit.doc_id, hit.page, hit.char_start, hit.char_end), *hit.also]
        match = [p for p in query.passages if p.key not in credited
                 and any(p.overlaps(d, pg, s, e, hit.clause_id) for d, pg, s, e in places)]
        if match:
            best = max(match, key=lambda p: p.grade)
            credited.add(best.key)
            keys.append(best.key)
        else:
            keys.append(f"~{hit.clause_id}")  # not relevant; "~" keeps it apart from passage keys
    return keys


def to_ranx(queries: Sequence[JudgedQuery], runs: Mapping[str, Sequence[RankedHit]]):  # noqa: ANN201
    """(Qrels, Run-dict) over the answerable queries, ready for ranx.evaluate/compare."""
    from ranx import Qrels

    judged = [q for q in queries if q.answerable and q.passages]
    qrels = Qrels({q.query_id: {p.key: p.grade for p in q.passages} for q in judged})
    run: dict[str, dict[str, float]] = {}
    for q in judged:
        keys = match_hits(q, runs.get(q.query_id, []))
        # Rank-derived scores: ties in the engine's scores must not reorder what the user saw.
        run[q.query_id] = {key: float(len(keys) - i) for i, key in enumerate(dict.fromkeys(keys))}
        if not run[q.query_id]:
            run[q.query_id] = {"~none": 0.0}
    return qrels, run


def evaluate_run(queries: Sequence[JudgedQuery], hits: Mapping[str, Sequence[RankedHit]],
                 metrics: Sequence[str] = METRICS) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """(mean of each metric, per-query values) over the answerable queries."""
    from ranx import Run, evaluate

    qrels, run = to_ranx(queries, hits)
    if not run:
        return {m: 0.0 for m in metrics}, {}
    ranx_metrics = [_RANX_NAME.get(m, m) for m in metrics]
    per_query = evaluate(qrels, Run(run), ranx_metrics, return_mean=False, make_comparable=True)
    qids = list(qrels.keys())
    if len(ranx_metrics) == 1:
        per_query = {ranx_metrics[0]: per_query}
    per = {qid: {m: float(per_query[_RANX_NAME.get(m, m)][i]) for m in metrics} for i, qid in enumerate(qids)}
    means = {m: sum(v[m] for v in per.values()) / len(per) for m in metrics}
    return means, per


def paired_tests(queries: Sequence[JudgedQuery], runs: Mapping[str, Mapping[str, Sequence[RankedHit]]],
                 metrics: Sequence[str] = ("ndcg@10",)) -> dict[str, dict[str, dict[str, float]]]:
    """Two-sided paired t-test p-values between every pair of configurations: {a: {b: {metric: p}}}."""
    from ranx import Run, compare

    if len(runs) < 2:
        return {}
    qrels = None
    ranx_runs = []
    for name, hits in runs.items():
        qrels, run = to_ranx(queries, hits)
        ranx_runs.append(Run(run, name=name))
    report = compare(qrels, ranx_runs, [_RANX_NAME.get(m, m) for m in metrics], stat_test="student",
                     max_p=0.05, make_comparable=True).to_dict()
    back = {v: k for k, v in _RANX_NAME.items()}
    return {a: {b: {back.get(m, m): float(p) for m, p in ps.items()} for b, ps in report[a]["comparisons"].items()}
            for a in runs}
