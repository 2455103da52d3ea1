"""Guidance answers: a few sentences copied verbatim from the top clauses, each cited; or "no policy found".

Extractive only: every answer sentence is a span of a returned clause's text, so the answer can never say
anything the policies do not. When the search abstains, the answer says so and the clauses are near misses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from index.search import PolicyIndex, SearchResult
from index.sentences import sentence_spans
from ingest.model import words
from ingest.numbering import leading_number

NO_POLICY = ("No policy found that answers this question. The closest clauses are shown below as near misses; "
             "they do not answer it.")
MIN_WORDS = 4  # shorter pieces are headings, list labels or table cells, not statements
SOURCES = 3  # answer sentences come from the top few clauses only
RANK_PENALTY = 0.03  # a lower-ranked clause's sentence must be clearly closer to the query to be preferred
REDUNDANT = 0.9  # a sentence this similar to one already chosen adds nothing


@dataclass(frozen=True, slots=True)
class AnswerSentence:
    text: str
    hit: int  # index into the result's hits: the answer cites it as [hit + 1]
    start: int  # span in that hit's clause text
    end: int


@dataclass(frozen=True, slots=True)
class Answer:
    result: SearchResult
    sentences: tuple[AnswerSentence, ...]

    @property
    def abstained(self) -> bool:
        return self.result.abstained or not self.sentences

    @property
    def text(self) -> str:
        """The answer as one paragraph with [n] citation markers, or the no-policy message."""
        if self.abstained:
            return NO_POLICY
        return " ".join(f"{s.text} [{s.hit + 1}]" for s in self.sentences)


def _after_number(text: str, start: int, end: int) -> int:
    """Where a sentence starts once its clause number ("2.1.2 ", "(b) ") is skipped: the citation carries it."""
    number = leading_number(text[start:end])
    if number is None:
        return start
    at = text.find(number, start, end) + len(number)
    while at < end and text[at] in " \t.):-–":
        at += 1
    return at if at < end else start


def candidate_sentences(result: SearchResult, sources: int = SOURCES) -> list[AnswerSentence]:
    """The full sentences of the top clauses that are long enough to state something."""
    found = []
    for i, hit in enumerate(result.hits[:sources]):
        text = hit.clause.text
        for start, end in sentence_spans(text, semicolons=False):
            start = _after_number(text, start, end)
            if len(words(text[start:end])) >= MIN_WORDS:
                found.append(AnswerSentence(text[start:end], i, start, end))
    if not found and result.hits:  # only short pieces: the top clause's first one still answers best
        spans = sentence_spans(result.hits[0].clause.text, semicolons=False)
        found = [AnswerSentence(result.hits[0].clause.text[s:e], 0, s, e) for s, e in spans[:1]]
    return found


def select(query_vec: np.ndarray, candidates: Sequence[AnswerSentence], vectors: np.ndarray,
           min_sentences: int = 2, max_sentences: int = 4, share: float = 0.8) -> tuple[AnswerSentence, ...]:
    """The best candidates by similarity to the query (rank-penalised), at least min and at most max of them.

    Beyond the minimum, a sentence is taken only while its score is within `share` of the best; near-repeats of
    a chosen sentence are skipped. The chosen sentences are returned in reading order (clause rank, position).
    """
    if not candidates:
        return ()
    sims = vectors @ query_vec
    scores = sims - RANK_PENALTY * np.array([c.hit for c in candidates])
    chosen: list[int] = []
    for i in np.argsort(-scores, kind="stable"):
        if len(chosen) >= max_sentences:
            break
        if len(chosen) >= min_sentences and scores[i] < share * scores[chosen[0]]:
            break
        if any(float(vectors[i] @ vectors[j]) >= REDUNDANT for j in chosen):
            continue
        chosen.append(int(i))
    return tuple(sorted((candidates[i] for i in chosen), key=lambda c: (c.hit, c.start)))


def answer(index: PolicyIndex, query: str, k: int = 5, filters: Mapping[str, object] | None = None,
           *, max_sentences: int = 4) -> Answer:
    """Search, then answer with 2 to `max_sentences` sentences from the top clauses; raises ValueError."""
    result = index.search(query, k, filters)  # type: ignore[arg-type]
    if result.abstained or not result.hits:
        return Answer(result, ())
    candidates = candidate_sentences(result)
    if not candidates:
        return Answer(result, ())
    vectors = index.embedder.embed([query] + [c.text for c in candidates])
    return Answer(result, select(vectors[0], candidates, vectors[1:], max_sentences=max_sentences))
