"""Find a judgment's verbatim quote in a parsed document, as a citable span: chunker-independent."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.clauses import align
from ingest.model import ParsedDocument, words


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    page: int | None
    char_start: int
    char_end: int


def _tokens(doc: ParsedDocument) -> tuple[list[str], list[int]]:
    toks: list[str] = []
    owner: list[int] = []
    for i, block in enumerate(doc.blocks):
        for w in words(block.text):
            toks.append(w)
            owner.append(i)
    return toks, owner


def find_quote(doc: ParsedDocument, quote: str) -> list[QuoteSpan]:
    """Every place the quote's words occur, in order and contiguous, in the text ingestion extracted.

    Matching is on words (case, punctuation, markup and line breaks do not matter), so a quote taken
    from the rendered text is found whatever the file's markup. A match may run over several blocks
    of one page; each match becomes a span in the same source text clause citations point into.
    """
    needle = words(quote)
    if not needle:
        return []
    toks, owner = _tokens(doc)
    first_token = {}
    for t, b in enumerate(owner):
        first_token.setdefault(b, t)
    aligned: dict[int, list[tuple[int, int] | None]] = {}

    def position(t: int) -> tuple[int, int] | None:
        b = owner[t]
        if b not in aligned:
            block = doc.blocks[b]
            aligned[b] = align(doc.source_for(block.page), block.text, block.char_start, block.char_end)
        return aligned[b][t - first_token[b]]

    spans: list[QuoteSpan] = []
    n = len(needle)
    for i in range(len(toks) - n + 1):
        if toks[i] != needle[0] or toks[i : i + n] != needle:
            continue
        first, last = doc.blocks[owner[i]], doc.blocks[owner[i + n - 1]]
        if first.page != last.page:
            continue  # a quote never runs across a page break
        # The first and last words that the source spells the same way bound the span.
        inside = [p for p in (position(t) for t in range(i, i + n)) if p is not None]
        if inside:
            spans.append(QuoteSpan(first.page, inside[0][0], inside[-1][1]))
        else:
            spans.append(QuoteSpan(first.page, first.char_start, last.char_end))
    return spans
