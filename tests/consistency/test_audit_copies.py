"""The corpus audit on a corpus with two copies of one contract (a tiny index, hashing embedder)."""

from pathlib import Path

from consistency.audit import COPIES, audit
from index.build import build_index
from index.embed import HashingEmbedder
from index.search import PolicyIndex
from ingest.corpus import ingest_folder

TOPICS = ["invoices", "refunds", "backups", "audits", "breaches", "transfers", "deletion", "support", "exports",
          "subprocessors", "training", "encryption", "logging", "retention"]


def _contract(title: str, refund_days: int) -> str:
    lines = [f"# {title}", "", "## Terms", ""]
    for n, topic in enumerate(TOPICS, 1):
        lines += [f"{n}. The processor handles {topic} for the customer under clause {n} of this addendum, as the "
                  f"customer instructs in writing and as the law on {topic} requires.", ""]
    lines += [f"{len(TOPICS) + 1}. Refunds for unused service periods are paid within {refund_days} days of the "
              "customer's written request.", ""]
    # Two clauses on near points, in both copies: set against each other across the copies they would differ.
    lines += [f"{len(TOPICS) + 2}. The processor keeps access logs of the service for 90 days.", "",
              f"{len(TOPICS) + 3}. The processor keeps database backups of the service for 30 days.", ""]
    # A clause the contract repeats in a later schedule: a contract repeating itself is no drift.
    lines += ["## Schedule", "", "1. The processor handles invoices for the customer under clause 1 of this "
              "addendum, as the customer instructs in writing and as the law on invoices requires.", ""]
    return "\n".join(lines)


def test_two_copies_of_a_contract_are_listed_once_and_their_real_difference_kept(tmp_path: Path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "dpa.md").write_text(_contract("Data Processing Addendum", 30), encoding="utf-8")
    (src / "dpa-executable.md").write_text(_contract("Data Processing Addendum (executable)", 45), encoding="utf-8")
    build_index(ingest_folder(src), HashingEmbedder(), tmp_path / "idx")
    index = PolicyIndex(tmp_path / "idx", HashingEmbedder())
    try:
        findings = audit(index, articles=None)
    finally:
        index.close()
    duplicates = [f for f in findings if f.kind == "duplicate"]
    assert len(TOPICS) > COPIES
    assert len(duplicates) == 1 and "near copies" in duplicates[0].reason  # not one per shared clause
    assert all(f.a.doc_id != f.b.doc_id for f in findings if f.b is not None)  # the repeated schedule is no drift
    conflicts = [f for f in findings if f.kind == "conflict"]
    # The refund period is the one difference; no sentence is set against another sentence both copies share.
    assert conflicts and all("Refunds" in f.a.text and "Refunds" in f.b.text for f in conflicts)
    assert "30 days" in conflicts[0].reason and "45 days" in conflicts[0].reason


def test_a_difference_of_permission_or_scope_alone_needs_nearly_the_same_words():
    from consistency.audit import _sentence_pairs
    from ingest.model import Clause

    def clause(doc_id: str, text: str) -> Clause:
        return Clause(f"{doc_id}#r/1", doc_id, "Policy", ("Rules",), None, text, None, 0, len(text))

    # Two rules about different parties that share a few words: "advertiser" against "seller" is no drift.
    assert not _sentence_pairs(clause("ads.md", "The advertiser's identity must be verified before its first ad runs."),
                               clause("shop.md", "Every seller must pass identity verification before its first "
                                                 "listing becomes visible to buyers."))
    # Nor are two sentences that share "may" and little else.
    assert not _sentence_pairs(clause("a.md", "We may update these terms from time to time by posting a notice."),
                               clause("b.md", "You may not update the shared terms of your organization without "
                                              "posting a notice."))
    # The same rule with a region added is.
    pairs = _sentence_pairs(clause("a.md", "Refunds for unused Coins are available to users in the EU."),
                            clause("b.md", "Refunds for unused Coins are available to users in the EU and the UK."))
    assert [kind for kind, *_ in pairs] == ["conflict"]
