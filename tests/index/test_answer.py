"""Extractive guidance answers: which sentences are chosen, in what order, and the no-policy answer."""

import numpy as np
import pytest

from index.answer import NO_POLICY, AnswerSentence, answer, select
from index.sentences import sentence_spans


def _unit(*xs: float) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def _cands(n: int, hits: list[int]) -> list[AnswerSentence]:
    return [AnswerSentence(f"s{i}", h, i * 10, i * 10 + 5) for i, h in zip(range(n), hits)]


def test_select_takes_the_closest_sentences_within_share_and_returns_them_in_reading_order():
    q = _unit(1, 0, 0)
    vecs = np.stack([_unit(0.2, 1, 0), _unit(1, 0.1, 0), _unit(1, -0.3, 0.6), _unit(0, 0, 1)])
    chosen = select(q, _cands(4, [0, 1, 0, 2]), vecs)
    # the two closest (s1, s2) are chosen; s0 and s3 are far below 80% of the best
    assert [c.text for c in chosen] == ["s2", "s1"]  # reading order: hit 0 before hit 1


def test_select_always_gives_the_minimum_and_never_more_than_the_maximum():
    q = _unit(1, 0, 0)
    far = np.stack([_unit(1, 0, 0), _unit(0.1, 1, 0), _unit(0, 0.2, 1)])
    assert len(select(q, _cands(3, [0, 0, 0]), far)) == 2
    close = np.stack([_unit(1, 0.01 * i, 0.02 * (i % 3)) for i in range(8)])
    assert len(select(q, _cands(8, [0] * 8), close, share=0.0)) <= 4


def test_select_skips_near_repeats_of_a_chosen_sentence():
    q = _unit(1, 0, 0)
    vecs = np.stack([_unit(1, 0.1, 0), _unit(1, 0.1, 0.001), _unit(1, 0, 0.6)])
    assert [c.text for c in select(q, _cands(3, [0, 1, 1]), vecs)] == ["s0", "s2"]


def test_select_prefers_the_higher_ranked_clause_on_a_tie():
    q = _unit(1, 0, 0)
    vecs = np.stack([_unit(1, 0.5, 0), _unit(1, 0, 0.5)])
    chosen = select(q, _cands(2, [3, 0]), vecs, min_sentences=1, max_sentences=1)
    assert [c.hit for c in chosen] == [0]


def test_answer_sentences_are_full_sentences_split_past_abbreviations():
    text = "Refunds, e.g. for Coins, take 5 days; ask first. A list item\nU.S. users only."
    assert [text[s:e] for s, e in sentence_spans(text, semicolons=False)] == [
        "Refunds, e.g. for Coins, take 5 days; ask first.", "A list item", "U.S. users only."]


def test_answer_on_the_hashing_index_cites_its_top_clauses(hashing_index):
    a = answer(hashing_index, "how many moderators can a host appoint for their LIVEs")
    assert not a.abstained and "20 moderators" in a.text
    for s in a.sentences:
        assert a.result.hits[s.hit].clause.text[s.start:s.end] == s.text


@pytest.mark.slow
def test_an_unanswerable_question_gets_the_no_policy_answer_with_near_misses(real_index):
    a = answer(real_index, "what is the parking policy at the Dublin office?")
    assert a.abstained and a.sentences == () and a.text == NO_POLICY
    assert a.result.hits and all(h.near_miss for h in a.result.hits)
    ok = answer(real_index, "how many moderators can a host appoint for their LIVEs")
    assert not ok.abstained and "20 moderators" in ok.text


def _quoted(text: str, number: str | None = None) -> list[str]:
    from index.answer import _pieces

    return [text[s:e] for s, e in _pieces(text, number)]


def test_items_under_a_negative_lead_in_are_never_quoted():
    text = ("Hosts must not:\nbeg persistently, for example by repeating Gift requests;\n"
            "Ask for Gifts from anyone under 18 or from viewers who say they are minors.")
    assert _quoted(text) == []


def test_items_under_a_positive_lead_in_are_quoted_without_their_joining_words():
    text = ("Nudity in these contexts is allowed with an 18+ label:\n"
            "breastfeeding and chestfeeding, including visible nipples while feeding;\n"
            "medical procedures shown for education; and")
    assert _quoted(text) == ["breastfeeding and chestfeeding, including visible nipples while feeding",
                             "medical procedures shown for education"]


def test_a_list_item_without_its_lead_in_is_not_quoted():
    assert _quoted("copy a creator's profile so closely that viewers believe it is a backup account;") == []


def test_table_rows_are_quoted_but_not_the_header():
    text = "Region | Minimum age | Notes\n---|---|---\nJapan | 20 | The same age applies to Gifts in Japan."
    assert _quoted(text) == ["Japan | 20 | The same age applies to Gifts in Japan."]


def test_only_the_clauses_own_number_is_dropped():
    assert _quoted("2.1.2 Account holders under 16 cannot send Gifts.", "2.1.2") == [
        "Account holders under 16 cannot send Gifts."]
    assert _quoted("Section 8 of this policy also applies to hosts.", "2.1") == [
        "Section 8 of this policy also applies to hosts."]


def test_no_ends_a_sentence_unless_a_number_follows():
    text = "In most cases, no. Coins you buy are non-refundable. See Form No. 4 first."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "In most cases, no.", "Coins you buy are non-refundable.", "See Form No. 4 first."]
