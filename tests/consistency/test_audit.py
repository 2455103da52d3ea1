"""The corpus audit on the shipped corpus, with the real model."""

from datetime import date
from pathlib import Path

import pytest

from consistency.audit import audit, write_audit
from eval.labels import read_jsonl
from eval.planted import planted_found

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def findings(shipped_index):
    return audit(shipped_index, articles=None)


def test_audit_lists_planted_conflicts_and_writes_reports(findings, tmp_path):
    planted = read_jsonl(REPO / "eval" / "data" / "planted-conflicts.jsonl")
    found = dict(planted_found(findings, planted, REPO / "corpus"))
    # Measured 10 of 15 (issue 7 stays open until all are listed); this guards against regressions.
    assert sum(found.values()) >= 10
    assert found["live-x02"] and found["ops-x01"] and found["live-x03"]
    # hate-speech and violent-extremism share a sentence, though their clauses are not nearest neighbours.
    assert found["cg1-x03"]
    # "counts as one strike ...; a strike expires ..." vs "... counts as a single strike ..., and a strike
    # expires ...": whole sentences are compared, not the parts a semicolon splits.
    assert found["cg2-x03"]
    # The Terms extend out-of-court dispute settlement to the UK; the Appeals Policy names only the EU.
    assert found["legal-x02"]
    assert [f.severity for f in findings] == sorted((f.severity for f in findings), reverse=True)
    md, js = write_audit(findings, tmp_path)
    assert md.read_text().startswith("# Corpus audit") and js.stat().st_size > 0


def test_superseded_versions_are_not_audited(findings, shipped_index):
    # live-hosting-2025 (500 followers) was replaced by live-hosting (1,000): the change is no conflict.
    in_force = set(shipped_index.versions.in_force(date.today()).tolist())
    clauses = shipped_index.store.iter_clauses()
    superseded = {c.doc_id for row, c in enumerate(clauses) if row not in in_force}
    assert {"live/live-hosting-2025.md", "enforcement/account-enforcement-2024.md"} <= superseded
    places = [p for f in findings for p in (f.a, f.b) if p is not None]
    assert places and not any(p.doc_id in superseded for p in places)


def test_an_earlier_date_audits_the_versions_then_in_force(shipped_index):
    then = audit(shipped_index, articles=None, as_of=date(2025, 6, 1))
    in_force = set(shipped_index.versions.in_force(date(2025, 6, 1)).tolist())
    rows = {c.clause_id: row for row, c in enumerate(shipped_index.store.iter_clauses())}
    assert all(rows[p.clause_id] in in_force for f in then for p in (f.a, f.b) if p is not None)


def test_lead_ins_are_not_reported_as_duplicated_sentences(findings):
    assert not any(f.kind == "duplicate" and f.a.text.endswith(":") for f in findings)
