"""PDF files -> page texts and blocks: running headers dropped, lines regrouped, garbled fonts repaired."""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from pypdf import PasswordType, PdfReader
from pypdf.errors import PyPdfError

from ingest.model import Block, BlockKind, DocumentError, ParsedDocument, join_hyphenation
from ingest.numbering import leading_number

# Common words: real policy text is ~30% these, text in a mis-mapped font almost none. English, plus the
# commonest French, German, Spanish, Dutch, Portuguese and Italian ones so those policies are not "garbage".
_STOPWORDS = frozenset({
    "the", "and", "of", "to", "in", "a", "is", "that", "for", "or", "be", "by", "this", "with", "any", "as",
    "on", "are", "not", "such", "shall", "will", "may", "our", "you", "your", "we", "data", "it", "its", "an",
    "at", "from", "has", "have", "if", "all", "no", "other", "under", "which", "their", "they", "who", "must",
    "can", "been", "was", "use", "these", "those", "each", "than", "when", "where", "into", "also", "only",
    "le", "la", "les", "et", "des", "du", "un", "une", "est", "pour", "que", "qui", "dans", "par", "sur",
    "der", "die", "das", "und", "ist", "nicht", "mit", "von", "zu", "den", "für", "auf", "ein", "eine", "sie",
    "el", "los", "las", "y", "del", "por", "para", "con", "una", "es", "se", "su", "het", "een", "van", "en",
    "op", "voor", "niet", "met", "o", "os", "da", "do", "em", "um", "não", "il", "di", "che", "per", "non",
})
_ALPHA_WORD = re.compile(r"[^\W\d_]+")
_WORD_CHARS = re.compile(r"[^\W_]+")
_TOKEN = re.compile(r"[^ \t\r\n\xa0]+")
_SPACES = re.compile(r"\s+")
_BLANKS = frozenset(" \t\r\n\xa0")  # not str.isspace(): that takes \x0b, \x0c and \x1c-\x1f for spaces
_PAGE_NUMBER = re.compile(r"(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?", re.IGNORECASE)
_BULLET = re.compile(r"[•●▪◦■□‣⁃∙·*\-–—\uf0a7\uf0b7\uf076\uf0d8](?=\s|$)\s*")
_ROMAN_DOT = re.compile(r"(?:[ivxlc]{2,6}|[IVXLC]{2,6})\.(?=\s|$)")
_PAREN_MARKER = re.compile(r"\((?:[a-zA-Z]|[ivxlc]+|[IVXLC]+|\d{1,2})\)")
_ROMAN = re.compile(r"[ivxlc]+", re.IGNORECASE)
_KEYWORD = re.compile(r"(section|article|clause|schedule|annex|appendix|part|rule)\b", re.IGNORECASE)
_TOP_KEYWORDS = {"part": 1, "schedule": 1, "annex": 1, "appendix": 1, "section": 2, "article": 2, "rule": 2}
_SENTENCE_END = re.compile(r"[.:;!?][\"”’')\]]*$")
# A line ending in one of these words runs on into a number on the next line ("under Clause\n8.2"),
# except a list's "; and" / "; or".
_REFERENCE_WORDS = {"section", "sections", "clause", "clauses", "article", "articles", "paragraph",
                    "paragraphs", "schedule", "annex", "appendix", "part", "and", "or", "of", "to", "in"}
_MINOR_WORDS = {"a", "an", "the", "and", "or", "of", "to", "in", "for", "on", "with", "by", "at", "from",
                "as", "under", "into", "per", "nor", "but", "via", "vs"}
_FILENAME_TITLE = re.compile(
    r"(?P<prefix>microsoft (?:word|powerpoint|excel) - )?(?P<name>.*?)"
    r"(?P<ext>\.(?:pdf|docx?|pptx?|xlsx?|rtf|odt|pages|txt))?", re.IGNORECASE)


class _Line(NamedTuple):
    text: str  # stripped; "" for a blank line or one dropped as a running header/footer
    start: int  # span of the stripped text in the page text
    end: int


def _stopword_count(text: str) -> int:
    return sum(1 for t in _ALPHA_WORD.findall(text.lower()) if t in _STOPWORDS)


def _is_legible(text: str) -> bool:
    """True when text reads as language: mostly letters, no control codes, common words present."""
    chars = [c for c in text if c not in _BLANKS and c != "_"]  # "____" is a form's signature line
    if not chars:
        return True
    alpha = sum(1 for c in chars if c.isalpha()) / len(chars)
    control = sum(1 for c in chars if ord(c) < 32 or 0x7F <= ord(c) < 0xA0) / len(chars)
    tokens = len(_ALPHA_WORD.findall(text))
    # A few words (a signature block, a table of numbers) are too few to judge by stopwords, and a
    # text in another script (Cyrillic, CJK) is judged by its letters alone.
    latin = sum(1 for c in chars if c.isascii() and c.isalpha()) >= 0.8 * alpha * len(chars)
    words_ok = tokens < 25 or not latin or _stopword_count(text) >= 0.1 * tokens
    return control < 0.02 and alpha >= 0.45 and words_ok


def _shift(text: str, by: int) -> str:
    # Only moves that land on printable ASCII: fonts without a usable character map number their
    # glyphs in a fixed order where ASCII is one contiguous run; pypdf's own "\n" line breaks stay.
    table = {ord(c): ord(c) + by for c in set(text) if c not in _BLANKS and 32 <= ord(c) + by < 127}
    return text.translate(table)


def _shift_lines(text: str, by: int) -> str:
    # A page can mix a broken font with sound ones, even inside a line: "(Revision May 2018)" with
    # only the brackets garbled. Shift only lines that hold control codes or read better shifted. In a
    # line that also holds sound words (letters no shift can move), a word holding such letters or
    # only digits (a broken font's digits are control codes) gets just its control codes shifted.
    def token(m: re.Match[str]) -> str:
        run = m.group(0)
        shifted = _shift(run, by)
        sound = any(c.isalpha() and c == s for c, s in zip(run, shifted))
        if sound or "".join(_WORD_CHARS.findall(run)).isdigit():
            return "".join(s if ord(c) < 32 else c for c, s in zip(run, shifted))
        return shifted

    out = []
    for line in text.split("\n"):
        garbled = any(ord(c) < 32 for c in line if c not in _BLANKS)
        if garbled or _stopword_count(_shift(line, by)) > _stopword_count(line):
            mixed = any(c.isalpha() and _shift(c, by) == c for c in line)
            line = _TOKEN.sub(token, line) if mixed else _shift(line, by)
        out.append(line)
    return "\n".join(out)


def _repair(text: str, hint: int | None) -> tuple[str, int] | None:
    """The text with the constant code-point shift that makes it legible, and the shift; None if none does."""
    sample = text[:4000]
    if hint is not None and _is_legible(repaired := _shift_lines(text, hint)):
        return repaired, hint  # the shift that fixed the previous page: the same font, most likely
    # Rank by how many common words appear, not their share: a shift that leaves few words has a high share.
    best = max(range(-64, 65), key=lambda s: _stopword_count(_shift(sample, s)) if s else -1)
    repaired = _shift_lines(text, best)
    return (repaired, best) if _is_legible(repaired) else None


def _read(path: Path) -> tuple[list[str], dict[str, str]]:
    """Page texts and raw document info; raises DocumentError for encrypted or corrupt files."""
    encrypted = False
    try:
        reader = PdfReader(path)
        encrypted = reader.is_encrypted
        # Many "encrypted" PDFs only restrict printing and open with the empty password.
        if encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise PyPdfError("the empty password does not open it")
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # pypdf raises many types (PdfReadError, ValueError, KeyError...) on bad files
        if encrypted:
            raise DocumentError(f"encrypted PDF ({exc}); ingest an unencrypted copy") from exc
        raise DocumentError(f"corrupt or unreadable PDF ({type(exc).__name__}: {exc})") from exc
    raw: dict[str, str] = {}
    try:
        info = reader.metadata
        for key in ("title", "author", "creation_date_raw") if info else ():
            if value := getattr(info, key):
                raw[key] = str(value).strip()
    except (PyPdfError, ValueError, TypeError, KeyError):
        pass  # a malformed info dictionary costs the metadata, not the document
    return pages, raw


def _split_lines(page: str) -> list[_Line]:
    lines, pos = [], 0
    for raw in page.split("\n"):
        stripped = raw.strip()
        start = pos + len(raw) - len(raw.lstrip())
        lines.append(_Line(stripped, start, start + len(stripped)))
        pos += len(raw) + 1
    return lines


def _key(text: str) -> str:
    return _SPACES.sub(" ", re.sub(r"\d", "#", text)).strip().lower()


def _edges(lines: list[_Line]) -> list[int]:
    filled = [i for i, line in enumerate(lines) if line.text]
    return filled[:3] + filled[3:][-3:]


def _drop_furniture(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Blank out running headers/footers and bare page numbers, so they end blocks and join none."""
    with_text = [lines for lines in pages if any(line.text for line in lines)]
    counts: Counter[str] = Counter()
    for lines in with_text:
        counts.update({_key(lines[i].text) for i in _edges(lines)})
    # PDF running headers repeat on every page; drop edge lines seen on >50% of pages (both of two).
    running = {k for k, n in counts.items() if n > len(with_text) / 2} if len(with_text) >= 2 else set()
    out = []
    for lines in pages:
        edges = set(_edges(lines))
        out.append([
            _Line("", ln.start, ln.start)
            if (i in edges and _key(ln.text) in running) or _PAGE_NUMBER.fullmatch(ln.text) else ln
            for i, ln in enumerate(lines)
        ])
    return out


def _number(text: str) -> str | None:
    """The clause number a line starts with, as printed; "(EU)" and similar are not numbers."""
    if roman := _ROMAN_DOT.match(text):
        return roman.group(0)
    number = leading_number(text)
    if number and number.startswith("(") and not _PAREN_MARKER.fullmatch(number):
        return None
    return number


def _is_list_marker(number: str) -> bool:
    return number.startswith("(") or number[0].isalpha() and not _KEYWORD.match(number)


def _starts_block(line: _Line, prev: _Line, width: float) -> bool:
    """Whether line begins a new block after prev, within one run of text lines."""
    if prev.text.endswith("-"):
        return False
    if _SENTENCE_END.search(prev.text) and len(prev.text) < 0.8 * width:
        return True  # a short last line that ends a sentence: the paragraph ended there
    if (len(prev.text) < 0.5 * width and line.text[:1].isupper() and not prev.text.endswith(",")
            and _ALPHA_WORD.search(_BULLET.sub("", prev.text))):
        return True  # "(Last updated May 1)" or a heading glued to a list item's last line
    if _BULLET.match(line.text):
        return True
    number = _number(line.text)
    if number is None:
        return False
    last = prev.text.split()[-1].lower().strip("(")
    runs_on = last in _REFERENCE_WORDS and not re.search(r";\s*(and|or)$", prev.text)
    if prev.text.endswith((",", "(")) or runs_on:
        return False  # "...Clause 8.1(b), 8.9(a), (c),\n(d) and (e)" continues a sentence
    if _KEYWORD.match(number):
        # "Article 46" often wraps to a line start inside a sentence; only a finished one opens a block.
        return bool(_SENTENCE_END.search(prev.text)) or len(line.text.split()) <= 3
    return True


def _is_title_case(text: str) -> bool:
    words = [w.strip("()[]\"“”’'") for w in text.split()]
    words = [w for w in words if w and w[0].isalpha()]
    return bool(words) and words[0][0].isupper() and all(
        w[0].isupper() or w.lower() in _MINOR_WORDS for w in words)


def _heading_level(line: _Line, nxt: _Line | None, prev: _Line | None, width: float) -> int | None:
    """The heading level of a line that starts a block, or None when it is body text."""
    text = line.text
    if (len(text.split()) > 12 or len(text) > 0.75 * width or text.endswith((".", ",", ";", "-"))
            or "_" in text):  # "Signature: ______" is a form field
        return None
    number = _number(text)
    if number and _is_list_marker(number):
        return None
    rest = text[len(number):].strip(" –—-:") if number else text
    letters = [c for c in rest if c.isalpha()]
    keyword = _KEYWORD.match(number) if number else None
    if len(letters) < 2 and not keyword:
        return None
    caps = bool(letters) and all(c.isupper() for c in letters)
    if text.endswith(":") and not caps:
        return None
    if keyword:
        return _TOP_KEYWORDS.get(keyword.group(1).lower(), 3)
    if number:
        if not (caps or _is_title_case(rest) or (rest[:1].isupper() and len(rest.split()) <= 8)):
            return None
        return len(re.findall(r"\d+", number.split("(")[0])) or 1
    if caps:
        return 1
    # Unnumbered mixed-case lines are headings only when body text follows: "Personnel\nAll our..."
    if nxt is None or nxt.text[:1].islower():
        return None
    # After "...specify):" a short line is the answer, not a heading, unless it is in Title Case.
    sentence_case = (rest[:1].isupper() and len(rest.split()) <= 8 and not re.search(r"[,;]", rest)
                     and not (prev is not None and prev.text.endswith(":")))
    return 2 if _is_title_case(rest) or sentence_case else None


def _typical_width(pages: list[list[_Line]]) -> float:
    lengths = sorted(len(line.text) for lines in pages for line in lines if line.text)
    return max(float(lengths[int(len(lengths) * 0.75)]) if lengths else 0.0, 30.0)


def _list_level(inner: str, prev: str) -> int:
    # Roman numerals sit one level below letters; "(i)" after "(h)" and "(v)" after "(u)" are letters.
    low, prev = inner.lower(), prev.lower()
    roman = _ROMAN.fullmatch(low) is not None and (
        len(low) > 1 or (low == "i" and prev != "h") or (low in "vx" and prev in ("iv", "ix")))
    return 2 if roman else 1


def _make_block(page: str, group: list[_Line], page_no: int, markers: list[str]) -> Block | None:
    start, end = group[0].start, group[-1].end
    # Same hyphen rule as the citation check, applied to the same span, so the words line up.
    # NFKC folds ligatures ("conﬁdential") so the clause is found by the words people type.
    text = _SPACES.sub(" ", unicodedata.normalize("NFKC", join_hyphenation(page[start:end]))).strip()
    bullet = _BULLET.match(text)
    number = None if bullet else _number(text)
    text = text[bullet.end():] if bullet else text
    if not _ALPHA_WORD.search(text):
        return None  # a stray glyph or a bare reference carries nothing to search
    kind: BlockKind = "paragraph"
    level = 0
    if bullet:
        kind, level = "list_item", 1
    elif number and _is_list_marker(number):
        inner = number.strip("().")
        kind, level = "list_item", _list_level(inner, markers[-1] if markers else "")
        markers.append(inner)
    return Block(kind, text, start, end, level=level, page=page_no, number=number)


def _page_blocks(page: str, lines: list[_Line], n: int, width: float, markers: list[str]) -> list[Block]:
    """Blocks of page n; markers collects list markers across pages, to tell "(i)" after "(h)"."""
    blocks: list[Block] = []
    group: list[_Line] = []

    def flush() -> None:
        if group:
            block = _make_block(page, group, n, markers)
            if block:
                blocks.append(block)
            group.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.text:
            flush()
            i += 1
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        prev = lines[i - 1] if i > 0 and lines[i - 1].text else None
        if group and _starts_block(line, group[-1], width):
            flush()
        fresh = not group or _SENTENCE_END.search(group[-1].text)
        level = _heading_level(line, nxt, prev, width) if fresh else None
        if level is None:
            group.append(line)
            i += 1
            continue
        flush()  # a heading may follow a full-width last line of a paragraph
        heading, number = [line], _number(line.text)
        if nxt and nxt.text and _number(nxt.text) is None:
            next_level = _heading_level(nxt, lines[i + 2] if i + 2 < len(lines) else None, line, width)
            # "Clause 7" above "Mediation and jurisdiction" is one heading printed on two lines, and so
            # is a long all-caps heading that wrapped.
            if next_level is not None and (number == line.text or (
                    level == next_level == 1 and line.text.isupper() and len(line.text) > 0.5 * width)):
                heading.append(nxt)
        start, end = heading[0].start, heading[-1].end
        text = _SPACES.sub(" ", page[start:end]).strip()
        blocks.append(Block("heading", text, start, end, level=level, page=n, number=number))
        i += len(heading)
    flush()
    return blocks


def _nest_levels(blocks: list[Block]) -> list[Block]:
    """Put "8.1 Instructions" below "Clause 8", whatever depth the keyword heading has."""
    out, keyword = [], None  # the last keyword heading: (its number's digits, its level)
    for b in blocks:
        if b.kind == "heading" and b.number:
            digits = re.findall(r"\d+", b.number.split("(")[0])
            if _KEYWORD.match(b.number):
                keyword = (digits[:1], b.level)
            elif keyword and digits[:1] == keyword[0]:
                b = replace(b, level=keyword[1] + len(digits) - 1)
            elif b.level <= (keyword[1] if keyword else 0):
                keyword = None
        out.append(b)
    return out


def _iso_date(raw: str) -> str:
    m = re.match(r"(?:D:)?(\d{4})(\d{2})(\d{2})", raw)  # "D:20191221062247Z00'00'"
    try:
        return dt.date(*(int(g) for g in m.groups())).isoformat() if m else ""
    except ValueError:
        return ""


def _titles(raw: dict[str, str], blocks: list[Block], path: Path) -> tuple[str, str | None]:
    """The document title, and the info title when it is a real title rather than a file name."""
    stem = _SPACES.sub(" ", re.sub(r"[_-]", " ", path.stem)).strip()
    m = _FILENAME_TITLE.fullmatch(re.sub(r"(?i)^untitled\b.*", "", raw.get("title", "")))
    name = m.group("name").strip() if m else ""
    if name and not (m and (m.group("prefix") or m.group("ext"))) and not (" " not in name and "_" in name):
        return name, name
    if not name:
        return stem, None
    first = next((b.text for b in blocks if b.page == 1 and b.kind == "heading"), None)
    if first and first.isupper():
        first = " ".join(w.capitalize() for w in first.split())
    return first or stem, None


def parse_pdf(path: Path, doc_id: str) -> ParsedDocument:
    """Parse a PDF into page texts and blocks; raises DocumentError (encrypted, corrupt, scanned, garbled)."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # "Ignoring wrong pointing object" is noise here
    raw_pages, info = _read(path)
    if not any(p.strip() for p in raw_pages):
        raise DocumentError("no extractable text (scanned?): OCR the PDF first")
    pages, repaired, illegible, hint = [], [], [], None
    for n, text in enumerate(raw_pages, 1):
        if text.strip() and not _is_legible(text):
            fixed = _repair(text, hint)
            if fixed:
                text, hint = fixed
                repaired.append(n)
            else:
                illegible.append(n)
        pages.append(text)
    if len(illegible) * 2 > sum(1 for p in raw_pages if p.strip()):
        raise DocumentError("text is not legible: the PDF's fonts have no usable character map")
    lines = _drop_furniture([_split_lines(p) for p in pages])
    width = _typical_width(lines)
    blocks: list[Block] = []
    markers: list[str] = []
    for n, (page, page_lines) in enumerate(zip(pages, lines), 1):
        if n not in illegible:  # a garbled page gives no blocks rather than garbage ones
            blocks.extend(_page_blocks(page, page_lines, n, width, markers))
    if not blocks:
        raise DocumentError("no extractable text (scanned?): no words found on any page")
    blocks = _nest_levels(blocks)
    title, info_title = _titles(info, blocks, path)
    meta = {"author": info.get("author", ""), "created": _iso_date(info.get("creation_date_raw", "")),
            "title": info_title or "", "repaired_pages": ", ".join(map(str, repaired)),
            "illegible_pages": ", ".join(map(str, illegible))}
    return ParsedDocument(doc_id=doc_id, format="pdf", title=title, text="\f".join(pages), blocks=blocks,
                          meta={k: v for k, v in meta.items() if v}, pages=pages)
