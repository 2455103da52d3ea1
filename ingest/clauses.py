"""Blocks -> clauses: structure-aware splitting with exact source spans and stable ids."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, replace

from ingest.model import Block, Clause, ParsedDocument, words

MAX_WORDS = 180  # all-MiniLM-L6-v2 reads 256 word pieces; 180 words stays inside that
MIN_WORDS = 25  # a unit shorter than this is merged with a neighbour in the same section

# A source word may carry "*" inside it ("**G**lobally"): words() drops them, so must the alignment.
_SOURCE_WORD = re.compile(r"[^\W_](?:[^\W_]|\*)*", re.UNICODE)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?;])[\"”')\]]*\s+(?=[\"“(\[]?[A-Z0-9])")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(slots=True)
class _Unit:
    section: tuple[str, ...]
    page: int | None
    text: str
    start: int
    end: int
    number: str | None
    words: int


def slug(text: str, limit: int = 48) -> str:
    """A lower-case, hyphenated form of a heading for ids: "4. Appeals & Deadlines" -> "4-appeals-deadlines"."""
    return _SLUG.sub("-", text.lower()).strip("-")[:limit].rstrip("-") or "x"


def align(source: str, text: str, lo: int, hi: int) -> list[tuple[int, int] | None]:
    """For each word of text, its (start, end) in source[lo:hi], matched in order; None if not found.

    Words the source spells differently (an entity, a hyphenated break) are skipped rather than
    searched for to the end, so one odd word cannot drag the rest of the alignment along.
    """
    tokens = [(_norm(m.group(0)), m.start(), m.end()) for m in _SOURCE_WORD.finditer(source, lo, hi)]
    out: list[tuple[int, int] | None] = []
    pos = 0
    for w in words(text):
        for j in range(pos, min(pos + 60, len(tokens))):
            if tokens[j][0] == w:
                out.append((tokens[j][1], tokens[j][2]))
                pos = j + 1
                break
        else:
            out.append(None)
    return out


def _norm(token: str) -> str:
    # As ingest.model.words() does: NFKC ("ﬁ" -> "fi"), "*" inside a word dropped, lower case.
    return unicodedata.normalize("NFKC", token).replace("*", "").lower()


def locate(source: str, text: str, lo: int, hi: int) -> tuple[int, int]:
    """The narrowest span in source[lo:hi] from text's first to last word, matched in order."""
    found = [p for p in align(source, text, lo, hi) if p is not None]
    if not found:
        return lo, hi
    return found[0][0], found[-1][1]


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_BREAK.split(text) if s.strip()]


def _split_long(unit: _Unit, block: Block, source: str, max_words: int) -> list[_Unit]:
    """Split a unit over max_words: tables by rows (header repeated), prose at sentence ends."""
    if block.kind == "table":
        header, *rows = unit.text.split("\n")
        pieces: list[list[str]] = [[]]
        for row in rows:
            if pieces[-1] and len(" ".join([header, *pieces[-1], row]).split()) > max_words:
                pieces.append([])
            pieces[-1].append(row)
        out, cursor = [], unit.start
        for piece in pieces:
            text = "\n".join([header, *piece])
            # The span starts at the table's header so the repeated header row is inside it.
            _, end = locate(source, "\n".join(piece), cursor, unit.end)
            out.append(replace(unit, text=text, end=end, words=len(text.split())))
            cursor = end
        return out
    chunks: list[list[str]] = [[]]
    for sentence in _sentences(unit.text):
        words = sentence.split()
        while len(words) > max_words:  # a run-on sentence: cut at word boundaries
            chunks.append(words[:max_words])
            words = words[max_words:]
            chunks.append([])
        if chunks[-1] and len(chunks[-1]) + len(words) > max_words:
            chunks.append([])
        chunks[-1].extend(words)
    out, cursor = [], unit.start
    for i, chunk in enumerate(c for c in chunks if c):
        text = " ".join(chunk)
        start, end = locate(source, text, cursor, unit.end)
        out.append(replace(unit, text=text, start=start, end=end, words=len(chunk),
                           number=unit.number if i == 0 else None))
        cursor = end
    return out


def _units(doc: ParsedDocument, max_words: int) -> list[_Unit]:
    stack: list[tuple[int, str]] = []
    units: list[_Unit] = []
    for block in doc.blocks:
        if block.kind == "heading":
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            stack.append((block.level, block.text))
            continue
        section = tuple(text for _, text in stack)
        unit = _Unit(section, block.page, block.text, block.char_start, block.char_end, block.number,
                     len(block.text.split()))
        if unit.words > max_words:
            units.extend(_split_long(unit, block, doc.source_for(block.page), max_words))
        else:
            units.append(unit)
    return units


_MAIN_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)*[.)]?|(?:Section|Article|Clause|Schedule|Annex|Appendix|Part|Rule)\b.*)$", re.I)


def _merge_tiny(units: list[_Unit], min_words: int, max_words: int) -> list[_Unit]:
    merged: list[_Unit] = []
    for u in units:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            # A main clause number ("1.2", "Section 3") is what agents cite: it always starts a clause.
            # Sub-items ("(a)", "b)") and unnumbered text may merge into their neighbour.
            and not (u.number and _MAIN_NUMBER.match(u.number))
            and prev.section == u.section
            and prev.page == u.page
            and (prev.words < min_words or u.words < min_words)
            and prev.words + u.words <= max_words
        ):
            merged[-1] = replace(prev, text=f"{prev.text}\n{u.text}", end=u.end,
                                 number=prev.number or u.number, words=prev.words + u.words)
        else:
            merged.append(u)
    return merged


def split_clauses(doc: ParsedDocument, max_words: int = MAX_WORDS, min_words: int = MIN_WORDS) -> list[Clause]:
    """Turn a parsed document into clauses that never cross a section and fit the model's window."""
    clauses: list[Clause] = []
    seen: dict[str, int] = {}
    meta = dict(doc.meta)
    for u in _merge_tiny(_units(doc, max_words), min_words, max_words):
        section_slug = "/".join(slug(s) for s in u.section) or "top"
        # Content-addressed ids: editing one paragraph changes only the ids of the clauses it is in.
        digest = hashlib.sha1(" ".join(u.text.split()).encode()).hexdigest()[:8]
        base = f"{doc.doc_id}#{section_slug}/{digest}"
        seen[base] = seen.get(base, 0) + 1
        clause_id = base if seen[base] == 1 else f"{base}-{seen[base]}"
        clauses.append(
            Clause(
                clause_id=clause_id,
                doc_id=doc.doc_id,
                doc_title=doc.title,
                section=u.section,
                number=u.number,
                text=u.text,
                page=u.page,
                char_start=u.start,
                char_end=u.end,
                meta=meta,
            )
        )
    return clauses
