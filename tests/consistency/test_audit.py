"""The corpus audit on the shipped corpus, with the real model."""

from pathlib import Path

import pytest

from consistency.audit import audit, write_audit
from eval.labels import read_jsonl
from eval.planted import planted_found
from index.build import build_index
from index.search import PolicyIndex
from ingest.corpus import ingest_folder

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def corpus_index(minilm, tmp_path_factory):
    folder = tmp_path_factory.mktemp("audit") / "idx"
    build_index(ingest_folder(REPO / "corpus"), minilm, folder)
    idx = PolicyIndex(folder, minilm)
    yield idx
    idx.close()


def test_audit_lists_planted_conflicts_and_writes_reports(corpus_index, tmp_path):
    findings = audit(corpus_index, articles=None)
    planted = read_jsonl(REPO / "eval" / "data" / "planted-conflicts.jsonl")
    found = dict(planted_found(findings, planted, REPO / "corpus"))
    # Measured 7 of 15 when written (issue 7 stays open until all are listed); this guards against regressions.
    assert sum(found.values()) >= 7
    assert found["live-x02"] and found["ops-x01"] and found["live-x03"]
    assert [f.severity for f in findings] == sorted((f.severity for f in findings), reverse=True)
    md, js = write_audit(findings, tmp_path)
    assert md.read_text().startswith("# Corpus audit") and js.stat().st_size > 0
