"""Metrics on hand-worked runs; judged spans matched across chunkings."""

import math

import pytest

from eval.judgments import JudgedQuery, Passage
from eval.metrics import RankedHit, evaluate_run, match_hits
from eval.quotes import find_quote
from ingest.clauses import split_clauses
from ingest.markdown import parse_markdown


def _hit(cid: str, start: int, end: int, doc: str = "d.md", page: int | None = None) -> RankedHit:
    return RankedHit(cid, doc, page, start, end)


def _q(qid: str, *passages: Passage) -> JudgedQuery:
    return JudgedQuery(qid, "query", bool(passages), list(passages))


A = Passage("A", "d.md", None, 100, 200, 2)
B = Passage("B", "d.md", None, 300, 400, 1)


def test_first_relevant_hit_at_rank_two_gives_mrr_one_half():
    means, per = evaluate_run([_q("q", A)], {"q": [_hit("x", 0, 50), _hit("y", 150, 160)]})
    assert means["mrr@10"] == 0.5 and means["success@1"] == 0.0 and means["success@5"] == 1.0
    assert per["q"]["recall@5"] == 1.0


def test_graded_ndcg_matches_the_hand_computed_value():
    # Ranks: 1 miss, 2 the grade-1 passage, 3 the grade-2 passage. Linear gains (Järvelin & Kekäläinen).
    means, _ = evaluate_run([_q("q", A, B)], {"q": [_hit("x", 0, 50), _hit("b", 350, 360), _hit("a", 120, 130)]})
    dcg = 1 / math.log2(3) + 2 / math.log2(4)
    ideal = 2 / math.log2(2) + 1 / math.log2(3)
    assert means["ndcg@10"] == pytest.approx(dcg / ideal)
    assert means["recall@5"] == 1.0


def test_a_judged_passage_is_credited_once():
    # Two clauses cut from one judged passage: the second is not a second relevant hit.
    assert match_hits(_q("q", A), [_hit("a1", 100, 150), _hit("a2", 150, 200)]) == ["A", "~a2"]
    means, _ = evaluate_run([_q("q", A, B)], {"q": [_hit("a1", 100, 150), _hit("a2", 150, 200)]})
    assert means["recall@10"] == 0.5


def test_queries_without_judged_passages_are_left_out_of_retrieval_metrics():
    with_empty = [_q("q", A), _q("none")]
    runs = {"q": [_hit("a", 120, 130)], "none": [_hit("z", 0, 10)]}
    means, per = evaluate_run(with_empty, runs)
    assert set(per) == {"q"} and means["ndcg@10"] == 1.0


def test_page_and_document_must_match_too():
    p = Passage("P", "t.pdf", 2, 10, 90, 2)
    assert match_hits(_q("q", p), [_hit("a", 10, 90, "t.pdf", 1), _hit("b", 10, 90, "u.pdf", 2),
                                   _hit("c", 50, 60, "t.pdf", 2)]) == ["~a", "~b", "P"]


DOC = "# Refunds\n\n## Coins\n\n" + " ".join(
    f"Rule {i}: purchased Coins bought in month {i} cannot be refunded after {i + 10} days have passed." for i in range(30)
) + "\n"


def test_span_overlap_credits_the_same_quote_under_two_chunkings():
    doc = parse_markdown(DOC, "d.md")
    quote = "purchased Coins bought in month 17 cannot be refunded after 27 days have passed"
    (span,) = find_quote(doc, quote)
    judged = _q("q", Passage("Q", "d.md", None, span.char_start, span.char_end, 2))
    for max_words in (180, 40):
        clauses = split_clauses(doc, max_words=max_words)
        holding = [c for c in clauses if "month 17 cannot" in c.text]
        assert len(holding) == 1
        others = [c for c in clauses if c is not holding[0]][:3]
        ranked = [_hit(c.clause_id, c.char_start, c.char_end) for c in [*others, holding[0]]]
        means, _ = evaluate_run([judged], {"q": ranked})
        assert means["mrr@10"] == 1 / len(ranked), max_words
    assert len(split_clauses(doc, max_words=180)) != len(split_clauses(doc, max_words=40))
