"""How good the guidance answers are, on judged queries: grounded sentences, answered and declined queries.

Run: python -m eval.answers --queries eval/data/queries-dev.jsonl [--corpus corpus] [--cache data/eval-cache]

An answer sentence is "on a judged passage" when its clause overlaps a judged passage of the query and the
sentence shares at least half of its words (or of the quote's) with that passage's quote. Reported:
- answered: share of answerable queries given an answer (not "no policy found");
- success: share of answerable queries whose answer has a sentence on a grade-2 (answering) passage;
- precision: share of all answer sentences (answerable queries) on any judged passage;
- declined: share of unanswerable queries answered "no policy found".
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from eval.judgments import JudgedQuery, Passage, load_ours
from index.answer import Answer, answer
from index.search import PolicyIndex
from ingest.model import words

OVERLAP = 0.5


def on_passage(sentence: str, clause_span: tuple[str, int | None, int, int], clause_id: str, passage: Passage) -> bool:
    """Whether an answer sentence (from a clause at clause_span) says what a judged passage says."""
    if not passage.overlaps(*clause_span, clause_id):
        return False
    s, q = set(words(sentence)), set(words(passage.quote))
    if not s or not q:
        return passage.clause_id is not None  # TREC judgments have no quote: the clause is the passage
    return len(s & q) >= OVERLAP * min(len(s), len(q))


def score_answers(queries: Sequence[JudgedQuery], answers: dict[str, Answer]) -> dict[str, float]:
    """The answer figures over judged queries (see the module docstring)."""
    answerable = [q for q in queries if q.answerable]
    unanswerable = [q for q in queries if not q.answerable]
    answered = success = on = total = 0
    for q in answerable:
        a = answers[q.query_id]
        if a.abstained:
            continue
        answered += 1
        graded = []
        for s in a.sentences:
            c = a.result.hits[s.hit].clause
            span = (c.doc_id, c.page, c.char_start, c.char_end)
            graded.append(max((p.grade for p in q.passages if on_passage(s.text, span, c.clause_id, p)), default=0))
        success += any(g == 2 for g in graded)
        on += sum(g > 0 for g in graded)
        total += len(graded)
    share = lambda n, d: n / d if d else 0.0  # noqa: E731
    return {"answered": share(answered, len(answerable)), "success": share(success, len(answerable)),
            "precision": share(on, total), "declined": share(sum(answers[q.query_id].abstained for q in unanswerable),
                                                             len(unanswerable)),
            "answerable": len(answerable), "unanswerable": len(unanswerable),
            "sentences_per_answer": share(total, answered)}


def main(argv: list[str] | None = None) -> int:
    from eval.harness import ensure_index
    from index.embed import load_companion, load_embedder

    parser = argparse.ArgumentParser(prog="python -m eval.answers", description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, default=Path("eval/data/queries-dev.jsonl"))
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--cache", type=Path, default=Path("data/eval-cache"))
    parser.add_argument("--model", default="all-MiniLM-L6-v2")
    args = parser.parse_args(argv)
    queries = load_ours(args.queries, args.corpus)
    embedder = load_embedder(args.model)
    index = PolicyIndex(ensure_index(args.corpus, args.cache, embedder,
                                     companion=load_companion("auto", embedder.name)), embedder)
    answers = {q.query_id: answer(index, q.query, filters=q.filters or None) for q in queries}
    print(json.dumps({"queries": str(args.queries), **score_answers(queries, answers)}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
