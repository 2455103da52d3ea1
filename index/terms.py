"""Defined terms: the short names a policy defines for longer ones, read from the policy's own text.

Policies name things once in full and then by a defined term: "Digital Millennium Copyright Act ("DMCA")",
"Jetpack Ads or WordAds (collectively, "Automattic Ads")". An agent may type either side. The lexical text
of a clause that uses one side also carries the other, so BM25 finds it by either name. A name's definition
holds in its own document; an acronym's in every document from the same source (the same top-level
folder: one company's policies), unless that source gives the acronym more than one meaning, and a
document's own definition always wins.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

from index.lexical import _stemmer
from ingest.model import Clause

# (collectively, the "Term") / ("TERM") / (hereinafter "Term"), after the words it names
_DEFINITION = re.compile(
    r"\(\s*(?P<marker>(?:(?:collectively|together|jointly|individually|each|hereinafter|hereafter|"
    r"also\s+known\s+as|also\s+called|referred\s+to\s+as)\s*,?\s*)*)(?:(?:the|a|an)\s+)?\**[“\"'‘]"
    r"(?P<short>[^”\"’'\n]{2,40})[”\"'’]\**\s*\)")
_GROUPING = re.compile(r"collectively|together|jointly", re.IGNORECASE)
# ... the run of capitalised words just before it ("Digital Millennium Copyright Act "), read from a bounded
# window so that a long all-capitals disclaimer costs no more than a short one.
_NAME_RUN = re.compile(r"(?:[A-Z0-9][\w'’.&-]*(?:[ \t]+(?:of|and|or|for|the|on|&)[ \t]+|,[ \t]+(?:and[ \t]+|or[ \t]+)?"
                       r"|[ \t\r\n]+))+\Z")
_WINDOW = 300  # characters before the parenthesis in which the name is looked for
_SENTENCE_END = re.compile(r"(?:[a-z0-9)\]”\"'][.!?:;]|\n[ \t]*\n)\s*")  # where the name cannot reach back past
_LEAD = re.compile(r"^(?:(?:The|A|An|This|These|Our|Your|Its|Their|Any|All|Each|Every|Customers?|Users?|"
                   r"Under|By|In|For|Of|To|With|From|Per|Pursuant)\s+)+")
_MAX_LONG_WORDS = 8
_MINOR = {"of", "and", "or", "for", "the", "on", "&"}
_stem = _stemmer.stemWord  # the lexical index's Snowball stemmer


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("*", "")).strip(" ,")


def _acronym_source(short: str, words: list[str]) -> str | None:
    """The shortest tail of words whose initials spell the acronym ("DMCA": "Digital Millennium Copyright Act").
    An acronym is one word of capitals ("UK GDPR" is not one: it names something "GDPR" alone does not)."""
    letters = short.replace(".", "")
    if " " in short or not (2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper()):
        return None
    for start in range(len(words) - 1, -1, -1):
        initials = "".join(w[0] for w in words[start:] if w.lower() not in _MINOR and w[0].isalpha())
        if initials.upper() == letters:
            return " ".join(words[start:])
    return None


def _stems(words: Iterable[str]) -> set[str]:
    return {_stem(w.lower().strip(",.")) for w in words if len(w.strip(",.")) > 2}


def definitions(text: str) -> list[tuple[str, str]]:
    """(defined term, what it stands for) for each definition in the text, e.g. ("DMCA", "Digital Millennium
    Copyright Act"), ("Automattic Ads", "Jetpack Ads or WordAds").

    The long side is the run of capitalised words just before the parenthesis, within its sentence. When
    the term is an acronym, it is the words whose initials spell it; otherwise a name that shares two word
    stems with the term, or one when the definition groups things ("collectively", "together"). A term
    defined for a lower-case phrase, or for a name it shares too little with, is left out: the run before
    it is then seldom what it stands for. So is one whose long side already contains it ("GitHub Sponsors
    Program" for "Program"): a clause that uses the long side uses the term too.
    """
    out = []
    for m in _DEFINITION.finditer(text):
        window = text[max(0, m.start() - _WINDOW):m.start()]
        ends = list(_SENTENCE_END.finditer(window))
        if ends:
            window = window[ends[-1].end():]
        run = _NAME_RUN.search(window)
        if run is None:
            continue
        short, long = _clean(m["short"]), _clean(_LEAD.sub("", _clean(run.group())))
        words = long.split()[-_MAX_LONG_WORDS:]
        while words and words[0].lower() in _MINOR:  # "of Jetpack Ads" after "Customers" is dropped
            words = words[1:]
        if not words or not short or short.lower() in {"you", "we", "us", "our"}:
            continue
        source = _acronym_source(short, words)
        if source is None:
            shared = len(_stems(short.split()) & _stems(words))
            grouping = _GROUPING.search(m["marker"]) is not None
            enough = shared >= 2 or (shared == 1 and grouping)
            source = " ".join(words) if enough and len(words) > len(short.split()) else None
        if source and not _contains(source.lower(), short.lower()) and (short, source) not in out:
            out.append((short, source))
    return out


@lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")


def _contains(text: str, name: str) -> bool:
    return _name_pattern(name).search(text) is not None


def is_acronym(pair: tuple[str, str]) -> bool:
    return _acronym_source(pair[0], pair[1].split()) is not None


def expansions(doc_texts: Iterable[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """doc_id -> the definitions that hold in it, from (doc_id, text) pairs: its own, then the acronyms its
    source (top-level folder) defines elsewhere with one meaning, unless it defines that acronym itself."""
    own: dict[str, list[tuple[str, str]]] = {}
    for doc_id, text in doc_texts:
        own[doc_id] = list(dict.fromkeys(definitions(text)))
    meanings: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for doc_id, pairs in own.items():
        for short, long in filter(is_acronym, pairs):
            meanings[_source(doc_id)][short].add(long.lower())
    shared: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for doc_id, pairs in own.items():
        for short, long in filter(is_acronym, pairs):
            if len(meanings[_source(doc_id)][short]) == 1 and (short, long) not in shared[_source(doc_id)]:
                shared[_source(doc_id)].append((short, long))
    out = {}
    for doc_id, pairs in own.items():
        mine = {short for short, _ in pairs}
        out[doc_id] = pairs + [p for p in shared[_source(doc_id)] if p[0] not in mine]
    return out


def _source(doc_id: str) -> str:
    return doc_id.split("/", 1)[0] if "/" in doc_id else ""


def lexical_texts(clauses: Sequence[Clause], texts: Sequence[str]) -> list[str]:
    """Each clause's lexical text (texts[i] for clauses[i]) followed by the other name of each defined term it
    uses by one name only. The title and section path leading the text count: a list item of the "Automattic
    Ads" terms is about Jetpack Ads and WordAds too."""
    by_doc: dict[str, list[str]] = defaultdict(list)
    for c in clauses:
        by_doc[c.doc_id].append(c.text)
    defined = expansions((doc_id, "\n\n".join(parts)) for doc_id, parts in by_doc.items())
    return [expand(t, defined[c.doc_id]) for c, t in zip(clauses, texts)]


def other_names(text: str, pairs: Sequence[tuple[str, str]]) -> list[str]:
    """The other name of each defined term the text uses by one name only."""
    extra = []
    for short, long in pairs:
        has_short, has_long = _contains(text, short), _contains(text, long)
        if has_short and not has_long:
            extra.append(long)
        elif has_long and not has_short:
            extra.append(short)
    return list(dict.fromkeys(extra))


def expand(text: str, pairs: Sequence[tuple[str, str]]) -> str:
    """The text followed by the other name of each defined term it uses by one name only."""
    extra = other_names(text, pairs)
    return f"{text}\n{'; '.join(extra)}" if extra else text
