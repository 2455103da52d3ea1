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
    ]
    vectors = np.ones((3, 4), dtype=np.float32) / 2.0  # as close as embeddings get: the words decide
    groups = duplicate_groups(vectors, clauses)
    assert groups[0] == groups[1] != -1
    assert groups[2] == -1
