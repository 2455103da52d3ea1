"""The real bundled all-MiniLM-L6-v2, loaded offline, over the fixture policies."""

import os

import pytest

pytestmark = pytest.mark.slow


def test_model_loads_offline(minilm):
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert minilm.name == "all-MiniLM-L6-v2" and minilm.dim == 384


def test_paraphrased_question_finds_the_clause(real_index):
    # No word of the answer's key terms ("Gifts", "18 or older") needs to be typed exactly.
    hits = real_index.search("can a 17 year old creator get presents from viewers while streaming?", k=3).hits
    assert any(h.clause.doc_id == "community-guidelines/live.md" and h.clause.number == "2.1" for h in hits)


def test_appeal_deadline_question(real_index):
    hits = real_index.search("how long does a banned user have to appeal?", k=3).hits
    assert any("180 days of the ban notice" in h.clause.text for h in hits)
    assert hits[0].score > 0.4
