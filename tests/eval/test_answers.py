"""Answer figures on hand-made judgments: a sentence on its judged passage counts, one elsewhere does not."""

from eval.answers import score_answers
from eval.judgments import JudgedQuery, Passage
from index.answer import answer


def test_answer_figures_on_hand_made_judgments(hashing_index):
    query = "how many moderators can a host appoint for their LIVEs"
    a = answer(hashing_index, query)
    first = a.result.hits[a.sentences[0].hit].clause
    on_first = sum(a.result.hits[s.hit].clause.clause_id == first.clause_id for s in a.sentences)
    judged = Passage("q1/p0", first.doc_id, first.page, first.char_start, first.char_end, 2, first.text)
    elsewhere = Passage("q2/p0", "policies/nowhere.md", None, 0, 10**6, 2, first.text)
    queries = [JudgedQuery("q1", query, True, [judged]), JudgedQuery("q2", query, True, [elsewhere]),
               JudgedQuery("q3", query, False, [])]
    figures = score_answers(queries, {"q1": a, "q2": a, "q3": a})
    assert figures["answered"] == 1.0 and figures["success"] == 0.5
    assert figures["precision"] == on_first / (2 * len(a.sentences))
    assert figures["declined"] == 0.0  # q3 was answered although nothing answers it
    assert 0 < on_first < len(a.sentences)  # the hand-worked figures above need sentences from two clauses
