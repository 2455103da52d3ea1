"""The types that flow from ingestion into the index: blocks, parsed documents, clauses."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "list_item", "table"]


@dataclass(frozen=True, slots=True)
class Block:
    """One structural unit of a document, as a parser sees it, with its span in the source."""

    kind: BlockKind
    text: str  # clean text (markup removed); tables as "cell | cell" rows joined by newlines
    char_start: int  # span in the source text (the page's text for PDFs)
    char_end: int
    level: int = 0  # heading level (1 = top); list nesting depth for list items
    page: int | None = None  # PDFs only, 1-based
    number: str | None = None  # clause number as printed, when the parser already knows it


@dataclass(slots=True)
class ParsedDocument:
    """What a parser returns: the source text(s), the document's blocks and its metadata."""

    doc_id: str
    format: str  # "markdown" | "html" | "pdf" | "text"
    title: str
    text: str  # the decoded source text; for PDFs the page texts joined by form feeds
    blocks: list[Block]
    meta: dict[str, str] = field(default_factory=dict)
    pages: list[str] | None = None  # PDFs only: the text of each page, what page spans index into

    def source_for(self, page: int | None) -> str:
        """The text a block's or clause's char span points into."""
        if page is None or self.pages is None:
            return self.text
        return self.pages[page - 1]


@dataclass(frozen=True, slots=True)
class Clause:
    clause_id: str  # stable across re-ingests: f"{doc_id}#{section_slug}/{content hash}"
    doc_id: str  # path relative to the ingested root, e.g. "community-guidelines/live.md"
    doc_title: str
    section: tuple[str, ...]  # heading path: ("LIVE", "Gifts", "Eligibility")
    number: str | None  # clause number as printed: "4.2(b)"
    text: str  # clean text that is embedded and shown
    page: int | None  # PDFs only, 1-based
    char_start: int  # span in the source file's text (page text for PDFs)
    char_end: int
    meta: Mapping[str, str] = field(default_factory=dict)

    def path(self) -> tuple[str, ...]:
        """Title then section path, without repeating a top heading that merely restates the title."""
        section = self.section[1:] if self.section and self.section[0] == self.doc_title else self.section
        return (self.doc_title, *section)


class DocumentError(Exception):
    """A document could not be parsed into usable text; the message says why."""


_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# A word broken across lines ("proces-\nsing") in PDF text; the continuation starts lower-case.
_HYPHEN_BREAK = re.compile(r"([^\W\d_])-[ \t]*\n[ \t]*([a-z])")


def join_hyphenation(text: str) -> str:
    """Join words hyphenated across line ends, as PDF parsers and citation checks both do."""
    return _HYPHEN_BREAK.sub(r"\1\2", text)


def words(text: str) -> list[str]:
    """Lower-cased word tokens, the unit citation checks compare."""
    # "*" is dropped before splitting: Markdown emphasis inside a word ("**G**lobally") is one word.
    # NFKC folds ligatures ("ﬁ" -> "fi") that PDFs are full of, on both sides of a citation check.
    return [w.lower() for w in _WORD.findall(unicodedata.normalize("NFKC", text).replace("*", ""))]


def source_words(span: str) -> list[str]:
    """Word tokens of a source span, with entities decoded and line-end hyphenation joined."""
    return words(join_hyphenation(html.unescape(span)))


def citation_holds(source: str, clause_text: str, start: int, end: int) -> bool:
    """True when every word of clause_text appears, in order, inside source[start:end]."""
    if not (0 <= start <= end <= len(source)):
        return False
    wanted = words(clause_text)
    have = iter(source_words(source[start:end]))
    return all(any(w == h for h in have) for w in wanted)
