"""The sentence(s) of a clause that best match a query, as character offsets for highlighting."""

from __future__ import annotations

import re

import numpy as np

from index.lexical import LexicalIndex, tokenize

# A sentence ends at . ! ? ; followed by space, or at a line break (list items, table rows).
_SENTENCE = re.compile(r"[^\n]+?(?:[.!?;](?=\s)|$)", re.MULTILINE)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of text, whitespace trimmed."""
    spans = []
    for m in _SENTENCE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def best_sentences(query: str, text: str, lexical: LexicalIndex, share: float = 0.8) -> tuple[tuple[int, int], ...]:
    """The best-matching sentence by idf-weighted query terms, plus any within `share` of its score.

    With no query term in any sentence, the first sentence stands for the clause.
    """
    spans = sentence_spans(text)
    if len(spans) <= 1:
        return tuple(spans)
    terms = list(dict.fromkeys(tokenize([query])[0]))
    if not terms:
        return (spans[0],)
    weight = dict(zip(terms, lexical.idf(terms)))
    scores = np.array([sum(weight[t] for t in set(toks) if t in weight)
                       for toks in tokenize([text[s:e] for s, e in spans])])
    best = float(scores.max())
    if best <= 0:
        return (spans[0],)
    return tuple(span for span, score in zip(spans, scores) if score >= share * best)
