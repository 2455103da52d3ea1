"""Hybrid search: duplicates collapsed with "also in", abstention with near misses, best sentences."""

from pathlib import Path

import pytest

from index.answertype import answer_type_missing
from index.build import build_index
from index.confidence import Calibration
from index.embed import HashingEmbedder
from index.fusion import rrf, weighted
from index.search import PolicyIndex, SearchConfig
from index.sentences import best_sentences, sentence_spans
from ingest.corpus import ingest_folder

SHARED_CLAUSE = ("A chargeback freezes the Coin balance and disables Gifting on the account until the chargeback "
                 "has been resolved by the payment provider and the account holder has been told the outcome.")


def _doc(title: str, body: str) -> str:
    return f"---\ntitle: {title}\n---\n# {title}\n\n## Chargebacks\n\n{body}\n"


@pytest.fixture(scope="module")
def small_index(tmp_path_factory) -> PolicyIndex:
    root = tmp_path_factory.mktemp("hybrid")
    src = root / "src"
    src.mkdir()
    (src / "gifts.md").write_text(_doc("Gifts Policy", SHARED_CLAUSE + "\n\n## Sending\n\nGifts can be sent by viewers who are 18 or older "
                                       "during a LIVE, using Coins bought in the app or on the website."))
    (src / "coins.md").write_text(_doc("Virtual Coins Policy", SHARED_CLAUSE + "\n\n## Packs\n\nCoins are sold in packs of 70, 350 and "
                                       "1,400 and expire three years after purchase when they are not used."))
    (src / "ads.md").write_text(_doc("Ads Policy", "Political adverts are not allowed anywhere on the platform, and "
                                     "issue-based adverts need a verified advertiser account in every region."))
    build_index(ingest_folder(src), HashingEmbedder(), root / "idx")
    idx = PolicyIndex(root / "idx", HashingEmbedder())
    yield idx
    idx.close()


def test_a_clause_in_two_documents_comes_back_once_with_also_in(small_index):
    hits = small_index.search("chargeback freezes coin balance gifting", k=5).hits
    holding = [h for h in hits if h.clause.text == SHARED_CLAUSE]
    assert len(holding) == 1
    (hit,) = holding
    assert [c.doc_id for c in hit.also_in] == [({"gifts.md", "coins.md"} - {hit.clause.doc_id}).pop()]
    assert hit.also_in[0].text == SHARED_CLAUSE


def test_best_sentence_offsets_point_at_the_matching_sentence(small_index):
    text = "Coins are sold in packs. Unused Coins expire after three years. Prices vary by region."
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["Coins are sold in packs.", "Unused Coins expire after three years.",
                                             "Prices vary by region."]
    (best,) = best_sentences("when do unused coins expire", text, small_index.lexical[True])
    assert text[best[0]:best[1]] == "Unused Coins expire after three years."
    hit = small_index.search("do coins expire after years", k=1, filters={"doc_id": "coins.md"}).hits[0]
    assert any("expire three years" in hit.clause.text[s:e] for s, e in hit.best)



def test_a_question_asking_for_a_number_highlights_the_sentence_that_states_one(small_index):
    # "Basecamp", "data" and "cancel" are all in the first sentence; the duration asked for is in the second.
    text = ("If you want to export your Basecamp data before you cancel, follow the export guide. "
            "Within 30 days, all content is permanently deleted from our servers. Thanks for being a customer.")
    shown = [text[s:e] for s, e in best_sentences("how long does Basecamp keep my data after I cancel?", text,
                                                  small_index.lexical[True])]
    assert "Within 30 days, all content is permanently deleted from our servers." in shown
    # A question that asks for no number is matched on its words alone.
    (best,) = best_sentences("can I export my Basecamp data before I cancel?", text, small_index.lexical[True])
    assert text[best[0]:best[1]].startswith("If you want to export")

def test_an_abstaining_search_still_returns_near_misses(tmp_path, small_index):
    never = Calibration(weights=(0.0,), bias=0.0, threshold=0.9, model="hashing-256", features=("dense_top",))
    idx = PolicyIndex(small_index.folder, HashingEmbedder(), calibration=never)
    result = idx.search("who may buy a rose gift in singapore", k=3)
    assert result.abstained and result.confidence == pytest.approx(0.5)
    assert len(result.hits) == 3 and all(h.near_miss for h in result.hits)
    idx.close()
    sure = Calibration(weights=(0.0,), bias=5.0, threshold=0.5, model="hashing-256", features=("dense_top",))
    idx = PolicyIndex(small_index.folder, HashingEmbedder(), calibration=sure)
    result = idx.search("political adverts", k=3)
    assert not result.abstained and not any(h.near_miss for h in result.hits)
    idx.close()


def test_a_calibration_for_another_model_is_not_applied(small_index):
    # The shipped calibration is for all-MiniLM-L6-v2; the hashing embedder's scores mean something else.
    assert small_index.calibration is None
    result = small_index.search("political adverts", k=2)
    assert result.confidence is None and not result.abstained


def test_fusion_functions():
    assert rrf([[(1, 0.9), (2, 0.8)], [(2, 5.0), (3, 4.0)]], k=60)[0][0] == 2
    fused = dict(weighted({1: 0.9, 2: 0.5}, {1: 0.0, 2: 10.0}, alpha=0.8))
    assert fused[1] == pytest.approx(0.8) and fused[2] == pytest.approx(0.2)


@pytest.mark.parametrize("kwargs, message", [
    ({"mode": "magic"}, "unknown search mode"), ({"fusion": "max"}, "unknown fusion"), ({"alpha": 1.5}, "alpha"),
])
def test_bad_search_configs_are_rejected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SearchConfig(**kwargs)


@pytest.mark.slow
def test_real_model_abstains_on_an_unanswerable_question_and_answers_an_answerable_one(real_index):
    assert real_index.calibration is not None and real_index.calibration.model == "all-MiniLM-L6-v2"
    off_topic = real_index.search("what colour is the carpet in the Lisbon office?", k=3)
    assert off_topic.abstained and off_topic.hits and all(h.near_miss for h in off_topic.hits)
    answered = real_index.search("how many moderators can a LIVE host appoint?", k=3)
    assert not answered.abstained and 0.0 <= answered.confidence <= 1.0
    assert answered.hits[0].clause.number == "3.1"


def test_a_question_for_a_number_no_top_clause_states_lowers_the_confidence(small_index):
    assert answer_type_missing("how long do unused coins last?", ["Coins expire three years after purchase."]) == 0.0
    assert answer_type_missing("how long do unused coins last?", ["Coins can be sent as Gifts."]) == 1.0
    assert answer_type_missing("what age do you need to be to send gifts", ["Viewers who are 18 or older."]) == 0.0
    assert answer_type_missing("how much does a rose gift cost", ["Each Gift has a price in Coins."]) == 1.0
    assert answer_type_missing("can teens send gifts?", ["Anything at all."]) == 0.0  # asks for no number
    assert answer_type_missing("who pays the fees for a chargeback?", ["The seller pays."]) == 0.0  # asks "who"
    # Answers in words: a period, a price, a count.
    assert answer_type_missing("how long do you keep my data?", ["We keep it as long as your account is open."]) == 0.0
    assert answer_type_missing("how much does a counter notice cost?", ["Filing one is free of charge."]) == 0.0
    assert answer_type_missing("how many videos can I upload?", ["You can upload an unlimited number."]) == 0.0
    assert answer_type_missing("how much notice before a price change?", ["We give 30 days notice."]) == 0.0
    typed = Calibration(weights=(-3.0,), bias=1.0, threshold=0.5, model="hashing-256", features=("answer_type_missing",))
    idx = PolicyIndex(small_index.folder, HashingEmbedder(), calibration=typed)
    assert not idx.search("how long until unused coins expire", k=3).abstained  # "three years after purchase"
    asked = idx.search("how much does an issue-based advert cost per day", k=3)
    assert asked.features["answer_type_missing"] == 1.0 and asked.abstained
    idx.close()
