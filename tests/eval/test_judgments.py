"""Span judgments: a judged passage given by its place in the source instead of a copied quote."""

import json
from pathlib import Path

import pytest

from eval.judgments import JudgmentError, load_ours, to_spans
from eval.labels import check_files

POLICY = """# Refunds

## Annual plans

Annual plans can be refunded within 30 days of purchase.

## Monthly plans

Monthly plans are not refunded, but you can cancel at any time.
"""


def write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "refunds.md").write_text(POLICY, encoding="utf-8")
    return tmp_path / "corpus"


def test_spans_judge_the_same_passages_as_the_quotes_they_replace(corpus: Path, tmp_path: Path) -> None:
    quoted = write(tmp_path / "quoted.jsonl", [
        {"query_id": "q1", "query": "refund for a yearly plan", "answerable": True,
         "relevant": [{"doc_id": "refunds.md", "quote": "refunded within 30 days of purchase", "grade": 2}]},
        {"query_id": "q2", "query": "gift cards", "answerable": False, "relevant": []},
    ])
    spans = tmp_path / "spans.jsonl"
    assert to_spans(quoted, spans, corpus) == 2
    assert "30 days" not in spans.read_text(encoding="utf-8")  # no corpus text is copied
    (before, none_before), (after, none_after) = load_ours(quoted, corpus), load_ours(spans, corpus)
    (p,), (s,) = before.passages, after.passages
    assert (s.doc_id, s.char_start, s.char_end, s.grade) == (p.doc_id, p.char_start, p.char_end, p.grade)
    assert POLICY[s.char_start:s.char_end] == "refunded within 30 days of purchase"
    assert not none_after.answerable and not none_after.passages


def test_a_span_whose_words_changed_is_an_error(corpus: Path, tmp_path: Path) -> None:
    quoted = write(tmp_path / "quoted.jsonl", [{"query_id": "q1", "query": "refund", "answerable": True, "relevant": [
        {"doc_id": "refunds.md", "quote": "refunded within 30 days of purchase", "grade": 2}]}])
    spans = tmp_path / "spans.jsonl"
    to_spans(quoted, spans, corpus)
    (corpus / "refunds.md").write_text(POLICY.replace("30 days", "14 days"), encoding="utf-8")
    with pytest.raises(JudgmentError, match="q1: the span .* no longer holds the judged words"):
        load_ours(spans, corpus)


@pytest.mark.parametrize("change, message", [
    ({"char_end": 10_000}, "is not inside refunds.md"),
    ({"char_start": "12"}, "integer char_start and char_end"),
    ({"page": 2}, "has no pages; leave page out"),
    ({"words": None}, "needs the words fingerprint"),
])
def test_a_malformed_span_is_named_in_a_clear_error(corpus: Path, tmp_path: Path, change: dict, message: str) -> None:
    quoted = write(tmp_path / "quoted.jsonl", [{"query_id": "q1", "query": "refund", "answerable": True, "relevant": [
        {"doc_id": "refunds.md", "quote": "refunded within 30 days of purchase", "grade": 2}]}])
    spans = tmp_path / "spans.jsonl"
    to_spans(quoted, spans, corpus)
    item = json.loads(spans.read_text(encoding="utf-8"))
    item["relevant"][0] |= change
    write(spans, [item])
    with pytest.raises(JudgmentError, match=f"q1: .*{message}"):
        load_ours(spans, corpus)
    assert any(message in p for p in check_files(corpus, [spans]))


def test_a_span_judgment_stands_in_for_its_quote_when_answers_are_scored(corpus: Path, tmp_path: Path) -> None:
    from eval.answers import on_passage

    quoted = write(tmp_path / "quoted.jsonl", [{"query_id": "q1", "query": "refund", "answerable": True, "relevant": [
        {"doc_id": "refunds.md", "quote": "Annual plans can be refunded within 30 days of purchase.", "grade": 2}]}])
    spans = tmp_path / "spans.jsonl"
    to_spans(quoted, spans, corpus)
    for judged in (quoted, spans):
        (passage,) = load_ours(judged, corpus)[0].passages
        where = ("refunds.md", None, passage.char_start, passage.char_end)
        assert on_passage("Annual plans can be refunded within 30 days of purchase.", where, "c1", passage)
