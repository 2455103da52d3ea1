"""Lexical search with bm25s: stemmed BM25 over clause text, persisted in the index folder."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import re

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN

# Keep one-character tokens: "5 strikes", "7 days" and "(a)" are exactly what agents type.
TOKEN_PATTERN = r"(?u)\b\w+\b"
_stemmer = Stemmer.Stemmer("english")
_split = re.compile(TOKEN_PATTERN).findall
_stopwords = frozenset(STOPWORDS_EN)
# BM25 saturation and length normalisation: Anserini's passage setting, chosen on the dev splits over bm25s's
# default (1.5, 0.75): ours dev ndcg@10 0.749 -> 0.757 under the default hybrid, PolicyQA dev 0.405 either way.
K1, B = 0.9, 0.4


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """Lower-cased, stop-worded, Snowball-stemmed tokens, the same for clauses and queries.

    The same tokens as bm25s.tokenize(texts, token_pattern=TOKEN_PATTERN, stopwords="en", stemmer=...), which
    builds three progress bars and a vocabulary per call: a search tokenizes some twenty short texts, and that
    overhead alone was a quarter of a search's time.
    """
    return [_stemmer.stemWords([t for t in _split(text.lower()) if t not in _stopwords]) for text in texts]


class LexicalIndex:
    """BM25 scores for every clause row; row i is clause row i of the index."""

    def __init__(self, retriever: bm25s.BM25, size: int) -> None:
        self._bm25 = retriever
        self.size = size

    @classmethod
    def build(cls, texts: Sequence[str]) -> LexicalIndex:
        retriever = bm25s.BM25(k1=K1, b=B)
        retriever.index(tokenize(texts), show_progress=False)
        return cls(retriever, len(texts))

    def save(self, folder: Path) -> None:
        self._bm25.save(str(folder), show_progress=False)
        (folder / "size.txt").write_text(str(self.size), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        retriever = bm25s.BM25.load(str(folder), show_progress=False, mmap=False)
        return cls(retriever, int((folder / "size.txt").read_text(encoding="utf-8")))

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every row for the query (0 where no query term occurs)."""
        tokens = tokenize([query])[0]
        if not tokens:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top-k (row, score) with a positive score, among the allowed rows (sorted ids) if given."""
        return self.top(self.scores(query), k, allowed)

    @staticmethod
    def top(scores: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top-k (row, score) of a score array with a positive score, among the allowed rows if given."""
        if allowed is not None:
            masked = np.zeros_like(scores)
            masked[allowed] = scores[allowed]
            scores = masked
        k = min(k, int((scores > 0).sum()))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(r), float(scores[r])) for r in top]

    def idf(self, tokens: Sequence[str]) -> np.ndarray:
        """BM25 idf of each (already tokenised) term; a term the corpus never uses gets the highest idf."""
        indptr = self._bm25.scores["indptr"]
        vocab = self._bm25.vocab_dict
        df = np.array([indptr[vocab[t] + 1] - indptr[vocab[t]] if t in vocab else 0 for t in tokens], dtype=np.float64)
        return np.log1p((self.size - df + 0.5) / (df + 0.5))
