"""The companion dense retriever: a second model's vectors fused into hybrid search, and the fast query encoder."""

import sys
from collections.abc import Sequence

import numpy as np
import pytest

from index.build import IndexUnavailable, build_index, read_manifest
from index.embed import DEFAULT_MODEL, E5_INT8_MODEL, E5_MODEL, E5Embedder, HashingEmbedder, embed_query, load_companion
from index.fusion import weighted
from index.search import PolicyIndex, SearchConfig
from ingest.corpus import ingest_folder


class Probe:
    """A companion that only knows one thing: texts about tariffs (or the word 'xylophone') point one way."""

    name = "probe-2"
    dim = 2

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return np.array([[1.0, 0.0] if ("tariff" in t.lower() or "xylophone" in t.lower()) else [0.0, 1.0]
                         for t in texts], dtype=np.float32)


@pytest.fixture(scope="module")
def paired(tmp_path_factory):
    root = tmp_path_factory.mktemp("companion")
    (root / "src").mkdir()
    for name, body in (("a-gifts.md", "Gifts are sent by viewers during a LIVE."),
                       ("b-ads.md", "Political adverts are not allowed on the platform."),
                       ("c-shop.md", "Import tariffs on Shop orders are paid by the buyer.")):
        (root / "src" / name).write_text(f"# {name[2:-3].title()}\n\n{body}\n")
    build_index(ingest_folder(root / "src"), HashingEmbedder(), root / "idx", companion=Probe())
    build_index(ingest_folder(root / "src"), HashingEmbedder(), root / "plain-idx")
    idx = PolicyIndex(root / "idx", HashingEmbedder(), companion=Probe())
    yield idx, root
    idx.close()


def test_the_manifest_names_the_companion_and_its_vectors_are_searched(paired):
    idx, root = paired
    assert read_manifest(root / "idx").companion == "probe-2"
    assert read_manifest(root / "plain-idx").companion is None
    # No word of the query is in any clause: only the companion knows "xylophone" goes with tariffs.
    alone = idx.search("xylophone", k=3, config=SearchConfig(mode="companion"))
    assert alone.hits[0].clause.doc_id == "c-shop.md"
    fused = idx.search("xylophone", k=3)
    assert fused.hits[0].clause.doc_id == "c-shop.md"
    without = idx.search("xylophone", k=3, config=SearchConfig(companion=0.0))
    assert without.hits[0].clause.doc_id != "c-shop.md"  # ties among zero scores: the companion decided above


def test_a_companion_that_cannot_be_loaded_is_a_clear_error(paired):
    _, root = paired
    with pytest.raises(IndexUnavailable, match="companion model probe-2"):
        PolicyIndex(root / "idx", HashingEmbedder())


class NamedLikeE5(Probe):
    name = E5_INT8_MODEL


def test_an_e5_index_without_onnxruntime_is_a_clear_error(tmp_path, monkeypatch):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.md").write_text("# Gifts\n\nGifts are sent by viewers during a LIVE.\n")
    build_index(ingest_folder(tmp_path / "src"), HashingEmbedder(), tmp_path / "idx", companion=NamedLikeE5())
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import onnxruntime now raises ImportError
    with pytest.raises(IndexUnavailable, match=f"companion model {E5_INT8_MODEL}"):
        PolicyIndex(tmp_path / "idx", HashingEmbedder())


def test_companion_search_on_an_index_without_one_is_refused(paired):
    _, root = paired
    idx = PolicyIndex(root / "plain-idx", HashingEmbedder())
    with pytest.raises(ValueError, match="no companion vectors"):
        idx.search("tariffs", config=SearchConfig(mode="companion"))
    assert idx.search("tariffs", k=1).hits[0].clause.doc_id == "c-shop.md"  # hybrid still works without one
    idx.close()


def test_weighted_fusion_splits_the_dense_weight_with_the_companion():
    fused = dict(weighted({1: 0.9, 2: 0.5}, {1: 0.0, 2: 10.0}, 0.8, {1: 0.1, 2: 0.3}, share=0.5))
    assert fused[1] == pytest.approx(0.4) and fused[2] == pytest.approx(0.6)
    with pytest.raises(ValueError, match="companion"):
        SearchConfig(companion=1.5)


def test_the_companion_choice_auto_means_none_beside_another_model():
    assert load_companion("auto", "hashing-256") is None  # beside the bundled model: e5 (tests/index/test_e5.py)
    assert load_companion("none", DEFAULT_MODEL) is None
    assert load_companion("hashing-64", "hashing-256").name == "hashing-64"


def test_an_embedder_without_a_query_encoder_embeds_queries_as_passages():
    h = HashingEmbedder()
    assert np.array_equal(embed_query(h, ["gift refunds"]), h.embed(["gift refunds"]))


@pytest.mark.slow
def test_the_onnx_query_encoder_gives_the_torch_vectors(minilm, tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYSCOPE_CACHE", str(tmp_path))
    from index.embed import SentenceTransformerEmbedder

    fresh = SentenceTransformerEmbedder()
    queries = ["can a 17-year-old creator get LIVE gifts?", "how long does a banned user have to appeal"]
    fast = fresh.embed_query(queries)
    assert fresh._onnx_session() is not None and list((tmp_path / "onnx").glob("*.onnx"))
    assert np.abs(fast - minilm.embed(queries)).max() < 1e-4
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)


@pytest.mark.slow
def test_the_e5_companion_embeds_queries_and_passages_apart_and_ranks_a_paraphrase_first():
    e5 = E5Embedder()
    assert e5.name == E5_MODEL
    passages = e5.embed(["A suspended account may appeal within 30 days of the decision.",
                         "Coins are sold in packs and expire after three years."])
    query = e5.embed_query(["how long do I have to contest a ban"])
    assert passages.shape == (2, 384) and np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    assert not np.allclose(e5.embed_query(["appeal"]), e5.embed(["appeal"]))  # "query: " vs "passage: "
    scores = passages @ query[0]
    assert scores[0] > scores[1]
