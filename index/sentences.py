"""The sentence(s) of a clause that best match a query, as character offsets for highlighting."""

from __future__ import annotations

import re

import numpy as np

from index.answertype import asked_kinds, states_kind
from index.lexical import LexicalIndex, tokenize

TYPE_BONUS = 1.0  # share of the best score a sentence stating the kind of number asked for gains (dev: 0.25 to 1.0)

# A sentence ends at . ! ? (and, for highlighting, ;) followed by space, or at a line break (list items,
# table rows).
_SENTENCE = re.compile(r"[^\n]+?(?:[.!?;](?=\s)|$)", re.MULTILINE)
_FULL_SENTENCE = re.compile(r"[^\n]+?(?:[.!?](?=\s)|$)", re.MULTILINE)
# A full stop after these is not a sentence end ("e.g. a refund", "Sec. 4", "U.S. law", "No. 4").
_ABBREVIATION = re.compile(r"(?:\b(?i:e\.g|i\.e|etc|vs|approx|incl|para|art|sec)|\bU\.S|\b(?:Inc|Ltd|Mr|Ms|Dr)"
                           r"|(?<![\w.])[A-Z])\.$")
_NUMBER_ABBREVIATION = re.compile(r"\bNos?\.$")  # "No. 4", but "In most cases, no. Coins ..." ends a sentence


def sentence_spans(text: str, *, semicolons: bool = True) -> list[tuple[int, int]]:
    """(start, end) of each sentence of text, whitespace trimmed; with semicolons=False only . ! ? end one."""
    spans: list[tuple[int, int]] = []
    for m in (_SENTENCE if semicolons else _FULL_SENTENCE).finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            prev = spans[-1] if spans else None
            joined = prev and "\n" not in text[prev[1]:start] and (
                _ABBREVIATION.search(text[prev[0]:prev[1]])
                or (_NUMBER_ABBREVIATION.search(text[prev[0]:prev[1]]) and text[start:start + 1].isdigit()))
            if joined:
                spans[-1] = (prev[0], end)
            else:
                spans.append((start, end))
    return spans


def best_sentences(query: str, text: str, lexical: LexicalIndex, share: float = 0.8) -> tuple[tuple[int, int], ...]:
    """The best-matching sentence by idf-weighted query terms, plus any within `share` of its score.

    A question asking for a number ("how long", "minimum age") gains, for each sentence stating a quantity of
    that kind, TYPE_BONUS times the best sentence's score: for "how long does Basecamp keep my data after I
    cancel?" the sentence "Within 30 days, all content will be permanently deleted" is the answer, though
    another names Basecamp, data and cancelling. With no query term in any sentence, and none stating the number
    asked for, the first sentence stands for the clause.
    """
    spans = sentence_spans(text)
    if len(spans) <= 1:
        return tuple(spans)
    terms = list(dict.fromkeys(tokenize([query])[0]))
    weight = dict(zip(terms, lexical.idf(terms))) if terms else {}
    scores = np.array([sum(weight[t] for t in set(toks) if t in weight)
                       for toks in tokenize([text[s:e] for s, e in spans])], dtype=np.float64)
    wanted = asked_kinds(query)
    if wanted:
        typed = np.array([states_kind(text[s:e], wanted) for s, e in spans])
        scores += TYPE_BONUS * (scores.max() if scores.max() > 0 else 1.0) * typed
    best = float(scores.max())
    if best <= 0:
        return (spans[0],)
    return tuple(span for span, score in zip(spans, scores) if score >= share * best)
