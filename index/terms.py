"""Defined terms: the short names a policy defines for longer ones, read from the policy's own text.

Policies name things once in full and then by a defined term: "Digital Millennium Copyright Act ("DMCA")",
"Jetpack Ads or WordAds (collectively, "Automattic Ads")". An agent may type either side. The lexical text
of a clause that uses one side also carries the other, so BM25 finds it by either name. A name's definition
holds in its own document; an acronym's ("GDPR") in the whole corpus.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from ingest.model import Clause

# (collectively, the "Term") / ("TERM") / (hereinafter "Term"), after the words it names
_DEFINITION = re.compile(
    r"\(\s*(?:(?:collectively|together|jointly|individually|each|hereinafter|hereafter|also\s+known\s+as|"
    r"also\s+called|referred\s+to\s+as)\s*,?\s*)*(?:(?:the|a|an)\s+)?\**[“\"'‘](?P<short>[^”\"’'\n]{2,40})[”\"'’]\**\s*\)")
# ... the run of capitalised words just before it ("Digital Millennium Copyright Act "), read from a bounded
# window so that a long all-capitals disclaimer costs no more than a short one.
_NAME_RUN = re.compile(r"(?:[A-Z0-9][\w'’.&-]*(?:\s+(?:of|and|or|for|the|on|&)\s+|,\s+(?:and\s+|or\s+)?|\s+))+\Z")
_WINDOW = 300  # characters before the parenthesis in which the name is looked for
_LEAD = re.compile(r"^(?:(?:The|A|An|This|These|Our|Your|Its|Their)\s+)+")
_MAX_LONG_WORDS = 8


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("*", "")).strip(" ,")


_MINOR = {"of", "and", "or", "for", "the", "on", "&"}


def _acronym_source(short: str, words: list[str]) -> str | None:
    """The shortest tail of words whose initials spell the acronym ("DMCA": "Digital Millennium Copyright Act")."""
    letters = re.sub(r"[^A-Za-z]", "", short.split()[-1])
    if not (2 <= len(letters) <= 8 and letters.isupper()):
        return None
    for start in range(len(words) - 1, -1, -1):
        initials = "".join(w[0] for w in words[start:] if w.lower() not in _MINOR and w[0].isalpha())
        if initials.upper() == letters:
            return " ".join(words[start:])
    return None


def definitions(text: str) -> list[tuple[str, str]]:
    """(defined term, what it stands for) for each definition in the text, e.g. ("DMCA", "Digital Millennium
    Copyright Act"), ("Automattic Ads", "Jetpack Ads or WordAds").

    The long side is the run of capitalised words before the parenthesis: when the term is an acronym, the
    words it abbreviates; otherwise a name sharing a word with the term ("GitHub Sponsors Program" for
    "Program"). A term defined for a lower-case phrase, or for a name it shares nothing with, is left out:
    the run before it is then seldom what it stands for.
    """
    out = []
    for m in _DEFINITION.finditer(text):
        window = text[max(0, m.start() - _WINDOW):m.start()]
        run = _NAME_RUN.search(window)
        if run is None:
            continue
        short, long = _clean(m["short"]), _clean(_LEAD.sub("", _clean(run.group())))
        words = long.split()[-_MAX_LONG_WORDS:]
        if not words or not short or short.lower() in {"you", "we", "us", "our"}:
            continue
        source = _acronym_source(short, words)
        if source is None:
            mine = {w.lower() for w in short.split() if len(w) > 2}
            shared = mine & {w.lower().strip(",") for w in words}
            source = " ".join(words) if shared and len(words) > len(short.split()) else None
        if source and not _contains(source.lower(), short.lower()) and (short, source) not in out:
            out.append((short, source))
    return out


def _contains(text: str, name: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None


def expansions(doc_texts: Iterable[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """doc_id -> the definitions that hold in it, from (doc_id, text) pairs: its own, then every acronym
    defined anywhere."""
    own: dict[str, list[tuple[str, str]]] = {}
    for doc_id, text in doc_texts:
        own[doc_id] = list(dict.fromkeys(definitions(text)))
    acronyms = list(dict.fromkeys(p for pairs in own.values() for p in pairs if _acronym_source(p[0], p[1].split())))
    return {doc_id: pairs + [p for p in acronyms if p not in pairs] for doc_id, pairs in own.items()}


def lexical_texts(clauses: Sequence[Clause], texts: Sequence[str]) -> list[str]:
    """Each clause's lexical text (texts[i] for clauses[i]) with the other name of the defined terms it uses."""
    by_doc: dict[str, list[str]] = defaultdict(list)
    for c in clauses:
        by_doc[c.doc_id].append(c.text)
    defined = expansions((doc_id, "\n\n".join(parts)) for doc_id, parts in by_doc.items())
    return [expand(t, defined[c.doc_id]) for c, t in zip(clauses, texts)]


def expand(text: str, pairs: Sequence[tuple[str, str]]) -> str:
    """The text followed by the other name of each defined term it uses by one name only."""
    extra = []
    for short, long in pairs:
        has_short, has_long = _contains(text, short), _contains(text, long)
        if has_short and not has_long:
            extra.append(long)
        elif has_long and not has_short:
            extra.append(short)
    return f"{text}\n{'; '.join(dict.fromkeys(extra))}" if extra else text
