"""Markdown files -> blocks, from markdown-it-py's token stream and its source line map."""

from __future__ import annotations

import re
from collections.abc import Sequence

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ingest.model import Block, DocumentError, ParsedDocument
from ingest.numbering import leading_number

_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
# Liquid/Jekyll template tags ({{ site.email }}, {% data variables.x %}) are not policy text.
_TEMPLATE_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
_HTML_TAG = re.compile(r"<!--.*?-->|<[^>]+>", re.DOTALL)
_SPACES = re.compile(r"\s+")

_parser = MarkdownIt("commonmark").enable("table")


def split_front_matter(text: str) -> tuple[dict[str, object], str]:
    """Return (front matter mapping, body) with the front matter blanked out line for line.

    Blanking instead of cutting keeps markdown-it's line map valid for the original text.
    Raises DocumentError when the front matter is not valid YAML.
    """
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    try:
        data = yaml.safe_load(m.group(1) or "") or {}
    except yaml.YAMLError as exc:
        raise DocumentError(f"front matter is not valid YAML: {exc}".splitlines()[0]) from exc
    if not isinstance(data, dict):
        raise DocumentError("front matter must be a YAML mapping (key: value lines)")
    blank = re.sub(r"[^\n]", " ", m.group(0))
    return data, blank + text[m.end() :]


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return _clean("".join(parts))


def _clean(text: str) -> str:
    return _SPACES.sub(" ", _TEMPLATE_TAG.sub("", text)).strip()


class _LineIndex:
    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                self.starts.append(i + 1)
        self.starts.append(len(text))

    def span(self, line_map: Sequence[int]) -> tuple[int, int]:
        start = self.starts[min(line_map[0], len(self.starts) - 1)]
        end = self.starts[min(line_map[1], len(self.starts) - 1)]
        while end > start and self.text[end - 1].isspace():
            end -= 1
        while start < end and self.text[start].isspace():
            start += 1
        return start, end


def _table_block(tokens: list[Token], i: int, lines: _LineIndex) -> tuple[Block | None, int]:
    """Collect a whole table (header row first) starting at tokens[i] == table_open."""
    assert tokens[i].map is not None
    rows: list[list[str]] = []
    row: list[str] = []
    j = i + 1
    while tokens[j].type != "table_close":
        t = tokens[j]
        if t.type == "tr_open":
            row = []
        elif t.type == "inline":
            row.append(_inline_text(t))
        elif t.type == "tr_close":
            rows.append(row)
        j += 1
    text = "\n".join(" | ".join(r) for r in rows if any(r))
    if not text:
        return None, j
    start, end = lines.span(tokens[i].map)
    return Block("table", text, start, end), j


def parse_markdown(text: str, doc_id: str) -> ParsedDocument:
    """Parse Markdown (with optional YAML front matter) into blocks; raises DocumentError."""
    front, body = split_front_matter(text)
    tokens = _parser.parse(body)
    lines = _LineIndex(text)
    blocks: list[Block] = []
    list_depth = 0
    # Per open list item: its printed number ("3." for ordered lists) until its first paragraph uses it.
    item_numbers: list[str | None] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif t.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif t.type == "list_item_open":
            item_numbers.append(f"{t.info}{t.markup}" if t.info else None)
        elif t.type == "list_item_close":
            item_numbers.pop()
        elif t.type == "heading_open":
            inline = tokens[i + 1]
            heading = _inline_text(inline)
            if heading and t.map:
                start, end = lines.span(t.map)
                blocks.append(
                    Block("heading", heading, start, end, level=int(t.tag[1]), number=leading_number(heading))
                )
            i += 2
        elif t.type == "inline" and t.map:
            content = _inline_text(t)
            if content:
                start, end = lines.span(t.map)
                if list_depth:
                    number = item_numbers[-1] if item_numbers else None
                    if item_numbers:
                        item_numbers[-1] = None  # later paragraphs of the same item carry no number
                    number = number or leading_number(content)
                    blocks.append(Block("list_item", content, start, end, level=list_depth, number=number))
                else:
                    blocks.append(Block("paragraph", content, start, end, number=leading_number(content)))
        elif t.type == "table_open":
            block, i = _table_block(tokens, i, lines)
            if block:
                blocks.append(block)
        elif t.type in ("fence", "code_block", "html_block") and t.map:
            content = _clean(_HTML_TAG.sub(" ", t.content))
            if content:
                start, end = lines.span(t.map)
                blocks.append(Block("paragraph", content, start, end))
        i += 1
    if not blocks:
        raise DocumentError("no text: the Markdown file is empty apart from front matter")
    title = str(front.get("title") or "").strip()
    if not title:
        title = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), "")
    return ParsedDocument(
        doc_id=doc_id,
        format="markdown",
        title=title,
        text=text,
        blocks=blocks,
        meta={k: _meta_value(v) for k, v in front.items() if v is not None and k != "title"},
    )


def _meta_value(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)
