"""Guidance answers: a few sentences copied verbatim from the top clauses, each cited; or "no policy found".

Extractive only: every answer sentence is a span of a returned clause's text, so the answer can never say
anything the policies do not. When the search abstains, the answer says so and the clauses are near misses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from index.search import PolicyIndex, SearchResult
from index.sentences import sentence_spans
from ingest.model import words
from ingest.numbering import leading_number

NO_POLICY = ("No policy found that answers this question. The closest clauses are shown below as near misses; "
             "they do not answer it.")
NO_CLAUSE = "No policy found: no clause matches these filters."
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
            return NO_POLICY if self.result.hits else NO_CLAUSE
        return " ".join(f"{s.text} [{s.hit + 1}]" for s in self.sentences)


def _after_number(text: str, start: int, end: int, number: str | None) -> int:
    """Where a sentence starts once the clause's own number ("2.1.2 ", "(b) ") is skipped: the citation has it.

    Only the number the clause is cited by is skipped; "Section 8 of this policy ..." keeps its words.
    """
    found = leading_number(text[start:end])
    if found is None or number is None or found.strip(".") != number.strip("."):
        return start
    at = text.find(found, start, end) + len(found)
    while at < end and text[at] in " \t.):-–":
        at += 1
    return at if at < end else start


_TRAILING = re.compile(r"(?:\s*[;,]|\s+(?:or|and))+$", re.IGNORECASE)
_NEGATIVE = re.compile(r"\b(?:not|never|no|cannot|prohibited|forbidden|banned|except)\b|n't\b", re.IGNORECASE)


def _trim(text: str, start: int, end: int) -> int:
    """The end of a list item without its joining "; or", "," or " and" (still a verbatim span)."""
    m = _TRAILING.search(text, start, end)
    return m.start() if m and m.start() > start else end


def _pieces(text: str, number: str | None) -> list[tuple[int, int]]:
    """Spans of a clause's text that can be quoted as answer sentences without changing their meaning.

    Sentences, table rows (not the header) and list items. A list item is taken only when its lead-in is in
    the same clause and is not negative: "beg for Gifts" under "Hosts must not:" would read as the opposite
    of the rule, and an item cut from a lead-in in another clause cannot be read safely.
    """
    out: list[tuple[int, int]] = []
    lead_in: bool | None = None  # None: no lead-in seen; True: a positive one; False: a negative one
    header_seen = False
    for start, end in sentence_spans(text, semicolons=False):
        start = _after_number(text, start, end, number)
        piece = text[start:end].strip()
        if "|" in piece:  # a table row: the first one is the header
            if header_seen and not set(piece) <= set("|-: "):
                out.append((start, end))
            header_seen = True
            continue
        if piece.endswith(":"):
            lead_in = not _NEGATIVE.search(piece)
            continue
        if lead_in is False:  # everything under "must not:" is a prohibited item, however it is written
            continue
        first = next((ch for ch in piece if ch.isalnum()), "")
        if first.islower() or _TRAILING.search(piece):  # a list item or a fragment
            if lead_in:
                out.append((start, _trim(text, start, end)))
            continue
        out.append((start, end))
    return [(s, e) for s, e in out if len(words(text[s:e])) >= MIN_WORDS]


def candidate_sentences(result: SearchResult, sources: int = SOURCES) -> list[AnswerSentence]:
    """The quotable pieces (see _pieces) of the top clauses; the other hits are read while fewer than two."""
    found: list[AnswerSentence] = []
    for i, hit in enumerate(result.hits):
        if i >= sources and len(found) >= 2:
            break
        text = hit.clause.text
        found += [AnswerSentence(text[s:e], i, s, e) for s, e in _pieces(text, hit.clause.number)]
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
