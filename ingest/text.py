"""Plain-text files (.txt and extensionless support macros) -> blocks."""

from __future__ import annotations

import re

from ingest.model import Block, DocumentError, ParsedDocument
from ingest.numbering import leading_number

_PARAGRAPH = re.compile(r"\S(?:.*?\S)?(?=\n[ \t]*\n|\s*\Z)", re.DOTALL)
_ITEM_START = re.compile(r"^[ \t]*(?:[-*•–]\s+|\d+(?:\.\d+)*[.)]\s+|\(?[a-z]\)\s+)", re.MULTILINE)
_SENTENCE_END = (".", "!", "?", ",", ";", ":")
_SPACES = re.compile(r"\s+")
_BULLET = re.compile(r"^[-*•–]\s+")


def _is_heading(para: str, is_last: bool) -> bool:
    # A lone short line with no sentence punctuation, followed by more text: "Account deletion".
    return (
        not is_last
        and "\n" not in para
        and len(para.split()) <= 10
        and not para.endswith(_SENTENCE_END)
        and any(c.isalpha() for c in para)
        and "://" not in para
    )


def parse_text(text: str, doc_id: str, title: str) -> ParsedDocument:
    """Split plain text into paragraphs, list items and short heading lines; raises DocumentError."""
    paragraphs = list(_PARAGRAPH.finditer(text))
    blocks: list[Block] = []
    for n, m in enumerate(paragraphs):
        para = m.group(0)
        if _is_heading(para, n == len(paragraphs) - 1):
            blocks.append(Block("heading", para.strip(), m.start(), m.end(), level=1))
            continue
        starts = [s.start() for s in _ITEM_START.finditer(para)]
        if len(starts) >= 2 or (starts and starts[0] == 0 and len(para.splitlines()) > 1):
            # A list: each item runs to the next item start; any lead-in text is its own paragraph.
            bounds = ([0] if starts[0] > 0 else []) + starts + [len(para)]
            for a, b in zip(bounds, bounds[1:]):
                piece = para[a:b].strip()
                if piece:
                    off = m.start() + a + (len(para[a:b]) - len(para[a:b].lstrip()))
                    kind = "list_item" if a in starts else "paragraph"
                    clean = _SPACES.sub(" ", _BULLET.sub("", piece))
                    blocks.append(Block(kind, clean, off, off + len(piece), level=1, number=leading_number(clean)))
            continue
        clean = _SPACES.sub(" ", para)
        blocks.append(Block("paragraph", clean, m.start(), m.end(), number=leading_number(clean)))
    if not blocks:
        raise DocumentError("no text: the file is empty or whitespace only")
    return ParsedDocument(doc_id=doc_id, format="text", title=title, text=text, blocks=blocks)
