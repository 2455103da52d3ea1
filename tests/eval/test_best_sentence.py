"""The eval's best-sentence figure: how often the highlighted sentence of a hit is on the answering passage."""

from eval.harness import _best_sentence
from eval.judgments import JudgedQuery, Passage
from index.search import Hit
from ingest.model import Clause

TEXT = "Gifts are sent in LIVE. Diamonds can be redeemed 7 days after the Gift is received. Thanks for watching."
#                                  ^ the answering passage is the second sentence (chars 24-84)
START = 1000  # the clause's place in its source file


def _hit(best: tuple[tuple[int, int], ...], text: str = TEXT) -> Hit:
    clause = Clause("live.md#gifts/1", "live.md", "LIVE", ("Gifts",), None, text, None, START, START + len(text))
    return Hit(clause, 1.0, 1, best=best)


def _query(answerable: bool = True, grade: int = 2) -> JudgedQuery:
    s = TEXT.index("Diamonds")
    e = TEXT.index(" Thanks")
    return JudgedQuery("q1", "when can diamonds be redeemed", answerable,
                       [Passage("p1", "live.md", None, START + s, START + e, grade)])


def test_the_highlight_counts_when_it_is_on_the_answering_passage():
    second = (TEXT.index("Diamonds"), TEXT.index(" Thanks"))
    assert _best_sentence([_query()], {"q1": [_hit((second,))]}) == 1.0
    assert _best_sentence([_query()], {"q1": [_hit(((0, 23),))]}) == 0.0  # the first sentence: off the passage
    # Two hits, one highlighted right: half.
    assert _best_sentence([_query()], {"q1": [_hit((second,)), _hit(((0, 23),))]}) == 0.5


def test_hits_with_nothing_to_choose_or_no_answering_passage_are_not_counted():
    one_sentence = "Diamonds can be redeemed 7 days after the Gift is received."
    assert _best_sentence([_query()], {"q1": [_hit(((0, len(one_sentence)),), one_sentence)]}) is None
    assert _best_sentence([_query(grade=1)], {"q1": [_hit(((0, 23),))]}) is None  # related, not answering
    assert _best_sentence([_query(answerable=False)], {"q1": [_hit(((0, 23),))]}) is None
