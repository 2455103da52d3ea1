"""HTML pages (help-centre exports, policy pages) -> blocks with char spans into the raw HTML."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import TypeAlias

from bs4 import (
    BeautifulSoup,
    MarkupResemblesLocatorWarning,
    ParserRejectedMarkup,
    Tag,
    XMLParsedAsHTMLWarning,
)
from bs4.element import PageElement, PreformattedString

from ingest.model import Block, BlockKind, DocumentError, ParsedDocument, citation_holds
from ingest.numbering import leading_number

_DROP_TAGS = frozenset(
    ("script", "style", "noscript", "template", "svg", "iframe", "canvas", "audio", "video", "object")
    + ("embed", "form", "button", "select", "textarea", "dialog", "nav", "header", "footer", "aside")
)
_DROP_ROLES = frozenset(
    ("navigation", "banner", "contentinfo", "search", "dialog", "alertdialog", "complementary")
    + ("menu", "menubar")
)
_BOILERPLATE = frozenset(
    ("cookie", "consent", "banner", "breadcrumb", "sidebar", "menu", "newsletter", "share", "related")
)
# "cookiebot", "menubar", "sharebar": a keyword glued to one of these still names page chrome.
_GLUED = frozenset(
    ("s", "bar", "bot", "box", "list", "banner", "consent", "notice", "popup", "wrapper", "nav")
)
# A class like "menu-item" names a piece of something, which may be article text about a menu.
_PART_WORDS = frozenset(("item", "items", "entry", "option", "label", "icon", "text"))
_SKIP_LINK = frozenset(("link", "links", "to", "nav", "navigation", "content", "main"))
_HEADINGS = frozenset(f"h{n}" for n in range(1, 7))
_LISTS = frozenset(("ul", "ol", "menu"))
_NESTED = _LISTS | {"li"}
_BLOCK_TAGS = _HEADINGS | frozenset(
    ("address", "article", "aside", "blockquote", "center", "details", "dialog", "dd", "div", "dl", "dt")
    + ("fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "hr", "li", "main", "nav")
    + ("ol", "p", "pre", "section", "search", "summary", "table", "ul", "menu", "noscript", "template")
    + ("iframe", "body", "html")
)
_LEAF_PARAGRAPHS = frozenset(("p", "blockquote", "dd", "dt", "pre", "figcaption", "address", "summary"))
_SECTIONING = ["article", "main", "section"]
_HEADING_NAMES = sorted(_HEADINGS)
_ONLY_TAGS = re.compile(r"(?:\s|<[^>]*>)*")
_SLUG = re.compile(r"[^a-z0-9]+")

# meta key -> the <meta name|property|http-equiv> values that supply it, strongest first
_META_NAMES: dict[str, tuple[str, ...]] = {
    "description": ("description", "og:description"),
    **{key: (key,) for key in ("audience", "region", "product", "version")},
    "language": ("language", "content-language"),
    "effective": ("effective", "effective-date", "effective_date", "article:modified_time"),
    "source_url": ("source_url", "source-url"),
}
_TITLE_SEPARATORS = (" | ", " – ", " — ", " - ", " · ")

# Legacy HTML leaves <p> and <li> unclosed and html.parser nests them, so trees thousands of levels
# deep are real input; the walk is a stack of generators instead of recursion.
_Steps: TypeAlias = Iterator["_Steps | None"]
_DONE = object()


def parse_html(text: str, doc_id: str) -> ParsedDocument:
    """Parse decoded HTML into main-content blocks and metadata; raises DocumentError when none."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        try:
            # html.parser (unlike lxml) records each tag's source line and column.
            soup = BeautifulSoup(text, "html.parser")
        except ParserRejectedMarkup as exc:
            raise DocumentError(f"not parseable as HTML: {exc}") from exc
    walker = _Walker(soup, text)
    _drive(walker.walk(_content_root(soup, walker.dropped), 0))
    if not any(b.text for b in walker.blocks):
        raise DocumentError("no main content text")
    h1 = next((b.text for b in walker.blocks if b.kind == "heading" and b.level == 1), "")
    return ParsedDocument(
        doc_id=doc_id,
        format="html",
        title=_title(soup) or h1 or doc_id,
        text=text,
        blocks=walker.blocks,
        meta=_meta(soup),
    )


def _drive(root: _Steps) -> None:
    stack = [root]
    while stack:
        step = next(stack[-1], _DONE)
        if step is _DONE:
            stack.pop()
        elif step is not None:
            stack.append(step)  # type: ignore[arg-type]


class _Spans:
    """Source offsets of tags: html.parser records where each start tag begins; ends are inferred."""

    def __init__(self, tags: list[Tag], text: str) -> None:
        self._text = text
        line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self._tags = tags
        self._index = {id(t): i for i, t in enumerate(tags)}
        self._starts: list[int] = []
        pos = 0
        for t in tags:
            if t.sourceline is not None and t.sourcepos is not None and t.sourceline <= len(line_starts):
                pos = max(pos, line_starts[t.sourceline - 1] + t.sourcepos)
            self._starts.append(pos)
        # Index of each tag's last descendant tag: the next tag after it starts after its end.
        self._last = list(range(len(tags)))
        for i in reversed(range(len(tags))):
            parent = self._index.get(id(tags[i].parent))
            if parent is not None and self._last[i] > self._last[parent]:
                self._last[parent] = self._last[i]

    def first_descendant(self, tag: Tag, names: frozenset[str]) -> Tag | None:
        """The first descendant named one of names (bs4's find() walks the whole subtree first)."""
        i = self._index.get(id(tag))
        if i is not None:
            for j in range(i + 1, self._last[i] + 1):
                if self._tags[j].name in names:
                    return self._tags[j]
        return None

    def of(self, tag: Tag) -> tuple[int, int]:
        """A block element's span: from its start tag to its end."""
        return self.start(tag), self.end(tag)

    def start(self, tag: Tag) -> int:
        i = self._index.get(id(tag))
        return 0 if i is None else self._starts[i]

    def _bounds(self, tag: Tag) -> tuple[int, int]:
        i = self._index.get(id(tag))
        if i is None:
            return 0, len(self._text)
        after = self._last[i] + 1
        hi = self._starts[after] if after < len(self._starts) else len(self._text)
        return self._starts[self._last[i]], hi

    def end(self, tag: Tag) -> int:
        """Just past the element's end tag when that is certain, else the start of the next tag."""
        lo, hi = self._bounds(tag)
        # Only tags and spaces may follow the end tag we pick: the first such one may belong to a
        # same-named child, but then no words of the element lie beyond it.
        for close in _close_tag(tag.name).finditer(self._text, lo, hi):
            if _ONLY_TAGS.fullmatch(self._text, close.end(), hi):
                return close.end()
        return hi

    def after(self, tag: Tag) -> int:
        """Where text following the element (as its sibling) can begin, at the latest."""
        lo, hi = self._bounds(tag)
        close = _close_tag(tag.name).search(self._text, lo, hi)
        return close.end() if close else lo


@lru_cache(maxsize=64)
def _close_tag(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{re.escape(name)}\b[^>]*>", re.IGNORECASE)


class _Walker:
    """Turns the content root's tree into blocks, in document order."""

    def __init__(self, soup: BeautifulSoup, text: str) -> None:
        self.text = text
        tags = soup.find_all(True)
        self.spans = _Spans(tags, text)
        # Tags with a block-level descendant, found bottom-up once: asking each tag's subtree
        # would be quadratic in the nesting of unclosed <p>s.
        self._holds: set[int] = set()
        for tag in reversed(tags):
            if (tag.name in _BLOCK_TAGS or id(tag) in self._holds) and tag.parent is not None:
                self._holds.add(id(tag.parent))
        self.blocks: list[Block] = []
        self._dropped: dict[int, bool] = {}
        self._ordinals: dict[int, str] = {}

    def dropped(self, tag: Tag) -> bool:
        key = id(tag)
        if key not in self._dropped:
            self._dropped[key] = _is_boilerplate(tag)
        return self._dropped[key]

    def walk(self, container: Tag, depth: int) -> _Steps:
        """Children of a container: block children in turn, loose inline runs as paragraphs."""
        run: list[PageElement] = []
        run_start = self.spans.start(container)
        for child in container.children:
            if isinstance(child, Tag) and (child.name in _BLOCK_TAGS or id(child) in self._holds):
                self._paragraph(run, run_start, self.spans.start(child))
                run = []
                if not self.dropped(child):
                    yield self._block(child, depth)
                run_start = self.spans.after(child)
            else:
                run.append(child)
        self._paragraph(run, run_start, self.spans.end(container))

    def _block(self, tag: Tag, depth: int) -> _Steps | None:
        name = tag.name
        if name in _HEADINGS:
            self._emit("heading", [self.spans.of(tag)], self._texts(tag.contents), level=int(name[1]))
        elif name == "table":
            self._table(tag)
        elif name in _LISTS:
            return self._list(tag, depth)
        elif name == "li":
            return self._list_item(tag, max(depth, 1))
        elif name in _LEAF_PARAGRAPHS and id(tag) not in self._holds:
            self._emit("paragraph", [self.spans.of(tag)], self._texts(tag.contents))
        elif name != "hr":
            return self.walk(tag, depth)
        return None

    def _list(self, tag: Tag, depth: int) -> _Steps:
        if tag.name == "ol":
            items = tag.find_all("li", recursive=False)
            step = -1 if tag.has_attr("reversed") else 1
            n = _int(tag.get("start"), len(items) if step < 0 else 1)
            for li in items:
                n = _int(li.get("value"), n)
                printed = _ordinal(n, _attr(tag, "type") or "1")
                if printed is not None:
                    self._ordinals[id(li)] = printed + "."
                n += step
        yield self.walk(tag, depth + 1)

    def _list_item(self, li: Tag, depth: int) -> _Steps:
        # The item's own words; nested lists (and items html.parser nested because </li> was
        # omitted) become blocks of their own.
        own_words = self._texts(li.contents, skip=_NESTED)
        spans = [self.spans.of(li)]
        nested = self.spans.first_descendant(li, _NESTED)
        if nested is not None:
            # Cite up to the nested list when the item's own words all precede it: shorter spans,
            # and a chain of unclosed <li>s is not re-read once per item.
            spans.insert(0, (self.spans.start(li), self.spans.start(nested)))
        self._emit("list_item", spans, own_words, depth, self._ordinals.get(id(li)))
        yield self._nested_lists(li, depth)

    def _nested_lists(self, tag: Tag, depth: int) -> _Steps:
        for child in tag.children:
            if not isinstance(child, Tag) or self.dropped(child):
                continue
            if child.name in _LISTS:
                yield self._list(child, depth)
            elif child.name == "li":
                yield self._list_item(child, depth)
            else:
                yield self._nested_lists(child, depth)

    def _table(self, table: Tag) -> None:
        caption = table.find("caption")
        if caption is not None and caption.find_parent("table") is table:
            span = self.spans.start(table), self.spans.end(caption)
            self._emit("paragraph", [span], self._texts(caption.contents))
        rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]

        def cells(tr: Tag) -> list[Tag]:
            return [c for c in tr.find_all(["td", "th"]) if c.find_parent("tr") is tr]

        def rank(tr: Tag) -> int:
            section = tr.parent.name if tr.parent is not None else ""
            row = cells(tr)
            if section == "thead" or (row and all(c.name == "th" for c in row)):
                return 0
            return 2 if section == "tfoot" else 1

        def texts() -> Iterator[str]:
            # Header row first; source order as the fallback when that breaks the citation check.
            for ordered in (sorted(rows, key=rank), rows):
                for sep in ("", " "):
                    lines = []
                    for tr in ordered:
                        row = [self._text(c.contents, sep=sep) for c in cells(tr)]
                        if any(row):
                            lines.append(" | ".join(row))
                    yield "\n".join(lines)

        self._emit("table", [self.spans.of(table)], texts())

    def _paragraph(self, run: list[PageElement], start: int, end: int) -> None:
        if run:
            self._emit("paragraph", [(start, end)], self._texts(run))

    def _emit(
        self,
        kind: BlockKind,
        spans: list[tuple[int, int]],
        texts: Iterable[str],
        level: int = 0,
        ordinal: str | None = None,
    ) -> None:
        for text in texts:
            if not text:
                return
            # A citation must hold; a text that fails it (e.g. a word split by inline tags,
            # "Gi<b>fts</b>") gets its next variant, and a block with none is not citable.
            for start, end in spans:
                if citation_holds(self.text, text, start, end):
                    number = None if kind == "table" else leading_number(text) or ordinal
                    self.blocks.append(Block(kind, text, start, end, level=level, number=number))
                    return

    def _texts(self, nodes: list[PageElement], skip: frozenset[str] = frozenset()) -> Iterator[str]:
        yield self._text(nodes, skip)
        yield self._text(nodes, skip, sep=" ")

    def _text(self, nodes: list[PageElement], skip: frozenset[str] = frozenset(), sep: str = "") -> str:
        """Whitespace-normalised text of nodes, without dropped elements or the `skip` tags."""
        parts: list[str] = []
        stack: list[PageElement | str] = list(reversed(nodes))
        while stack:
            node = stack.pop()
            if isinstance(node, Tag):
                if node.name in skip or self.dropped(node):
                    continue
                if node.name == "br":
                    parts.append(" ")
                elif node.name in _BLOCK_TAGS or node.name in ("td", "th", "tr"):
                    # Block boundaries separate words even where the markup has no space.
                    parts.append(" ")
                    stack.append(" ")
                stack.extend(reversed(node.contents))
            elif isinstance(node, PreformattedString):
                continue  # comments, CDATA, doctype: not text
            elif isinstance(node, str):
                parts.append(node)
        return " ".join(sep.join(parts).split())


def _is_boilerplate(tag: Tag) -> bool:
    name = tag.name
    # An <article>'s or <section>'s own header holds its title; only the page's is a banner.
    if name in _DROP_TAGS and (name != "header" or tag.find_parent(_SECTIONING) is None):
        return True
    if set(_attr(tag, "role").lower().split()) & _DROP_ROLES:
        return True
    if name in _HEADINGS:
        return False  # heading ids are slugs of the heading's own text
    if any(_names_boilerplate(c) for c in tag.get_attribute_list("class") if c):
        return True
    ident = _attr(tag, "id")
    if not ident or not _names_boilerplate(ident):
        return False
    # Sections often take their id from their heading ("parental-consent"): that is content.
    heading = tag.find(_HEADING_NAMES)
    return heading is None or _SLUG.sub("-", heading.get_text().lower()).strip("-") != ident.lower()


def _names_boilerplate(name: str) -> bool:
    """True when a class or id names page chrome: keyword segments, not substrings."""
    segments = [s for s in _SLUG.split(re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", name).lower()) if s]
    for i, seg in enumerate(segments):
        following = segments[i + 1] if i + 1 < len(segments) else ""
        if (seg == "skip" and following in _SKIP_LINK) or seg.startswith("skiplink"):
            return True
        for word in _BOILERPLATE:
            glued = seg == word or (seg.startswith(word) and seg[len(word) :] in _GLUED)
            if glued and following not in _PART_WORDS:
                return True
    return False


def _content_root(soup: BeautifulSoup, dropped: Callable[[Tag], bool]) -> Tag:
    def usable(tag: Tag) -> bool:
        chain = [tag, *tag.find_parents()]
        return not any(dropped(t) for t in chain if t.name not in ("html", "body", "[document]"))

    role_main = soup.find_all(role=lambda r: bool(r) and "main" in str(r).lower().split())
    for candidates in (soup.find_all("main"), soup.find_all("article"), role_main):
        root = next((t for t in candidates if usable(t)), None)
        if root is not None:
            return root
    return soup.body or soup


def _title(soup: BeautifulSoup) -> str:
    tag = next((t for t in soup.find_all("title") if t.find_parent("svg") is None), None)
    title = " ".join(tag.get_text().split()) if tag is not None else ""
    for sep in _TITLE_SEPARATORS:
        head, found, site = title.rpartition(sep)
        if found and head.strip() and len(site.split()) <= 4:
            return head.strip()
    return title


def _meta(soup: BeautifulSoup) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = (_attr(tag, "name") or _attr(tag, "property") or _attr(tag, "http-equiv")).lower()
        if key and _attr(tag, "content"):
            found.setdefault(key, " ".join(_attr(tag, "content").split()))
    # Weaker sources, used only when no <meta> says it.
    html_tag = soup.find("html")
    if isinstance(html_tag, Tag) and _attr(html_tag, "lang"):
        found.setdefault("content-language", _attr(html_tag, "lang"))
    for link in soup.find_all("link"):
        if "canonical" in [r.lower() for r in link.get_attribute_list("rel") if r] and _attr(link, "href"):
            found.setdefault("source-url", _attr(link, "href"))
    if "og:url" in found:
        found.setdefault("source-url", found["og:url"])
    present = {key: next((found[n] for n in names if n in found), "") for key, names in _META_NAMES.items()}
    return {key: value for key, value in present.items() if value}


def _attr(tag: Tag, name: str) -> str:
    value = tag.get(name)
    return (" ".join(value) if isinstance(value, list) else str(value or "")).strip()


def _int(value: object, default: int) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        return default


def _ordinal(n: int, style: str) -> str | None:
    """n as an <ol type> prints it ("3", "c", "C"); None for roman types rather than a guess."""
    if style not in ("a", "A") or n < 1:
        return str(n) if style not in ("i", "I") else None
    letters = ""
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(ord("a") + r) + letters
    return letters if style == "a" else letters.upper()
