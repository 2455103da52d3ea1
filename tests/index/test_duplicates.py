"""Near-identical clauses in different documents: grouped once, never when a number differs."""

import numpy as np

from index.duplicates import duplicate_groups
from ingest.model import Clause


def _clause(doc_id: str, text: str) -> Clause:
    return Clause(f"{doc_id}#rules/1", doc_id, "Policy", ("Rules",), None, text, None, 0, len(text))


def test_copies_are_grouped_but_a_changed_number_is_not_a_copy():
    base = ("Refunds for unused service periods are paid to the original payment method within {} days of the "
            "customer's written request, after the account owner confirms the request.")
    clauses = [
        _clause("a.md", "4.2 " + base.format(30)),
        _clause("b.md", "5.1 " + base.format(30)),  # the same rule under another clause number
        _clause("c.md", "4.2 " + base.format(45)),  # another rule: the period differs
        _clause("d.md", "4.2 " + base.format(30) + " See Section 5.1."),  # a cross-reference is no quantity
    ]
    vectors = np.ones((4, 4), dtype=np.float32) / 2.0  # as close as embeddings get: the words decide
    groups = duplicate_groups(vectors, clauses)
    assert groups[0] == groups[1] == groups[3] != -1
    assert groups[2] == -1
    # A clause that opens with its number of days is no clause number: 30 and 45 days are two rules.
    opening = "days after purchase, refunds are paid to the original payment method once the owner confirms it."
    groups = duplicate_groups(np.ones((2, 4), dtype=np.float32) / 2.0,
                              [_clause("a.md", "30 " + opening), _clause("b.md", "45 " + opening)])
    assert groups.tolist() == [-1, -1]
