"""Check help-centre statements against the policies: SUPPORTED, CONTRADICTED or NOT_COVERED.

Built on the project's own search (candidate clauses), fact extraction and rules; an entailment model
could plug in through the `Entailer` seam, but none whose weights ship in a package is available here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from typing import Protocol

from consistency.facts import (
    QUALITATIVE,
    ROLES,
    Difference,
    Facts,
    agreeing_kinds,
    agreeing_quantities,
    compare,
    extract_facts,
    last_modal,
    misaligned,
    negated_terms,
    negation_flip,
    only_forbids,
    quantity_kinds,
    read_cell,
    regions_of,
    regions_overlap,
    same_scale,
    wording_flip,
)
from index.lexical import tokenize
from index.search import Hit, PolicyIndex, SearchConfig
from index.sentences import sentence_spans
from index.terms import definitions, other_names
from ingest.model import Clause, words

SUPPORTED, CONTRADICTED, NOT_COVERED = "SUPPORTED", "CONTRADICTED", "NOT_COVERED"
QUALIFIER_SLACK = 0.1  # how much less a conflict may weigh than the support and still be weighed by its case words
QUALIFIER_MARGIN = 2  # words by which a conflicting sentence must name the statement's case better (_qualified_elsewhere)
CANDIDATES = 5  # policy clauses compared with each statement
COVERED = 0.40  # dense similarity below which no clause is taken to address the statement (dev)
RESTATED = 0.8  # share of a statement's stemmed words a clause must use to restate it (dev: 0.6 to 0.8 alike)
REGIONAL = 0.3  # weight added to a sentence naming the statement's region (dev)
STEM_POINT = 0.3  # overlap of stemmed words at which a sentence that flips a rule is on the point (dev)
PARAPHRASE = 0.7  # statement-to-sentence cosine at which two denials say the same (dev: 0.65 adds a false support)
# The same with e5, whose cosines sit higher (dev: 0.83 to 0.87 alike; 0.89 supports 3 fewer on the shared corpora).
PARAPHRASE_E5 = 0.87
PARAPHRASE_UNITS = 12  # the sentences sharing most words that are embedded for that comparison
LOW_OVERLAP = 0.2  # word overlap under which a sentence confirming a number must also mean nearly the same ...
SUPPORT_COSINE = 0.5  # ... embedded at least this close to the statement (dev: 0.45 to 0.55 alike)
# Cosine at which a sentence of the PART_HITS top clauses states a part of a statement in other words (dev: 0.6 and
# 0.7 alike; at 0.6 a review's reworded statements were supported more often).
PART_COSINE = 0.7
PART_HITS = 2
SAME_POINT = 0.16  # word overlap (Jaccard on content words) for a sentence to be "on the same point" (dev)

_STOP = {"the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "is", "are", "be", "you", "your", "we",
         "our", "it", "its", "this", "that", "with", "as", "by", "at", "can", "may", "if", "will", "not", "no"}


class Entailer(Protocol):
    """Seam for an entailment model: P(entailment), P(contradiction) of hypothesis given premise."""

    def scores(self, premise: str, hypothesis: str) -> tuple[float, float]: ...


@dataclass(frozen=True, slots=True)
class Statement:
    text: str
    start: int  # span in the checked text
    end: int
    context: tuple[str, ...] = ()  # headings above it


@dataclass(slots=True)
class Evidence:
    clause: Clause
    sentence: tuple[int, int]  # span in clause.text of the sentence compared
    score: float


@dataclass(slots=True)
class Verdict:
    statement: Statement
    verdict: str
    reason: str
    evidence: list[Evidence] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)


# Where a statement joins rules of opposite polarity: "you can watch LIVE, but you can't go LIVE".
_PARTS = re.compile(r",?\s+but\s+|;\s+|,\s+(?:while|whereas|although|though)\s+|\s+(?:whereas|although)\s+"
                    r"|,\s+and\s+(?=(?:it|they|we|you|he|she|this|that|there)\b)", re.IGNORECASE)
_CLAUSES = re.compile(r",\s+and\s+|,?\s+but\s+|;\s+", re.IGNORECASE)  # a statement's clauses, for wording flips
# A sentence that refers back: "this request", "such notice" (a noun of the sentence before), or "It", "They" ... first.
_ANAPHOR = re.compile(r"\b(?:this|these|that|those|such)\s+([a-z]{3,})|^\W*(?:It|They|This|These|Such|That|Those)\b",
                      re.IGNORECASE)


def _refers_back(text: str, before: str) -> bool:
    """Whether a sentence refers to the one before it: opens with a pronoun, or names a noun of it after "this"."""
    previous = _stems(before)
    return any(m.group(1) is None or (m.group(1).lower() not in ("are", "was", "way", "case")
                                      and _stems(m.group(1)) <= previous)
               for m in _ANAPHOR.finditer(text))


# The parts of a statement each of which a policy sentence may state (not "unless": a condition is no part).
_SPLIT = re.compile(r";\s+|,\s+(?:and|so|but|or)\s+|(?<!\d)\s*[—–]\s*(?!\d)|(?<!\d)\s+-\s+(?!\d)"
                    r"|,\s+(?:while|whereas|although|though)\s+", re.IGNORECASE)
_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+", re.MULTILINE)
_HEADING = re.compile(r"^\s*#{1,6}\s+(.*)$")


def split_statements(text: str) -> list[Statement]:
    """Sentences and list items of an article, with the headings above each kept as context.

    A question states nothing ("Was this article helpful?"): it is no statement, but it leads into the sentence
    that answers it, which is checked with it ("Under 18? You can't go LIVE." is about under-18s), and it is
    context for the rest of its paragraph."""
    out: list[Statement] = []
    context: list[str] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        heading = _HEADING.match(line)
        stripped = line.strip()
        if heading:
            context = [heading.group(1).strip()]
        elif stripped:
            body_start = offset + (len(line) - len(line.lstrip()))
            marker = _ITEM.match(line)
            if marker:
                body_start = offset + marker.end()
            body = text[body_start : offset + len(line.rstrip("\n"))]
            asked: tuple[int, str] | None = None  # the question the next sentence answers: (start, text)
            around = tuple(context)
            for s, e in sentence_spans(body):
                sentence = body[s:e]
                if sentence.rstrip().endswith("?"):
                    asked = (s, sentence) if asked is None else (asked[0], body[asked[0]:e])
                    around = (*context, body[asked[0]:e])
                    continue
                start = s
                if asked is not None:
                    start, asked = asked[0], None
                if len(words(body[start:e])) >= 3:
                    out.append(Statement(body[start:e], body_start + start, body_start + e,
                                         around if start == s else tuple(context)))
        offset += len(line)
    return out


@dataclass(frozen=True, slots=True)
class _Unit:
    """A piece of a clause compared with a statement: a sentence, or a table row read with its header."""

    span: tuple[int, int]  # in the clause text
    text: str  # what is compared: the sentence, or the row's cells each led by its column header
    facts: Facts
    row_regions: frozenset[str] | None = None  # regions named by a table row's first cell; None: not a row


# An item of a list under a lead-in line: enumerated ("(a) ...", "2. ..."), or a line not ending a sentence.
_LIST_ITEM = re.compile(r"^\s*(?:\(?[a-z0-9]{1,3}[.)]\s)|[^.!?]$|[;,]$|;\s+(?:or|and)$", re.IGNORECASE)


def _units(text: str, mine: set[str], kinds: AbstractSet[str] = frozenset()) -> list[_Unit]:
    """The sentences of a clause, with each table row read cell by cell under its header.

    Of a row's cells, the first (what the row is about, often a region) and those whose header shares
    the most words with the statement are read: "Send Gifts" rather than "Buy Coins" for a statement
    about sending Gifts; and, when none of those states a quantity of the statement's kinds (kinds), the
    cells that do. A row whose cell count differs from its header is read as a sentence.
    """
    out: list[_Unit] = []
    mine_stems = _stems(" ".join(sorted(mine)))
    header: list[str] | None = None
    lead: str | None = None  # a lead-in line that forbids, while its list items follow
    pos = 0
    for line in text.splitlines(keepends=True):
        start, body = pos, line.rstrip("\r\n")
        pos += len(line)
        cells = [c.strip() for c in body.split(" | ")]
        if len(cells) > 1:
            if header is None:
                header = cells  # a header row states nothing by itself
                continue
            if len(cells) == len(header):
                s = start + len(body) - len(body.lstrip())
                overlap = [len(_stems(h) & mine_stems) for h in header[1:]]  # stems: "hours" is "hour"
                chosen = [i for i, o in enumerate(overlap, 1) if o == max(overlap) and o > 0] or range(1, len(cells))
                read = {i: read_cell(header[i], cells[i], cells[0]) for i in chosen}
                if kinds and not any(quantity_kinds(read[i]) & kinds for i in chosen):
                    # No chosen cell states the statement's kind of number: the cells that do are read too ("180
                    # Days" under "Expiration*" for a cookie that "lasts 180 days"), not those under a header that
                    # states one itself ("Adults (18+)": whom the column is for).
                    for i in range(1, len(cells)):
                        if i not in read and not quantity_kinds(header[i]):
                            cell = read_cell(header[i], cells[i], cells[0])
                            if quantity_kinds(cell) & kinds:
                                read[i] = cell
                rest = "; ".join(read[i] for i in sorted(read))
                label = extract_facts(cells[0])
                # The row's label names what it is about; its scope words ("Global") are not a rule.
                facts = extract_facts(rest)
                facts = replace(facts, regions=facts.regions | label.regions)
                out.append(_Unit((s, start + len(body.rstrip())), f"{header[0]}: {cells[0]}; {rest}", facts,
                                 label.regions))
                continue
        else:
            header = None
        spans = sentence_spans(body)
        last = body[spans[-1][0]:spans[-1][1]] if spans else ""
        if last.endswith(":"):
            # A lead-in that forbids ("must not:", "Unacceptable behavior includes:") is read with each item under
            # it, and states no rule on its own; one that permits lends nothing ("An eligible requester can ask us
            # to:": its items are what someone else may do), nor one that permits with a limit.
            lead = last if only_forbids(last) else None
            if lead is not None:
                spans = spans[:-1]
        elif lead is not None and not (body.strip() and _LIST_ITEM.search(body.strip())):
            lead = None
        for a, b in spans:
            read = f"{lead} {body[a:b]}" if lead is not None else body[a:b]
            out.append(_Unit((start + a, start + b), read, extract_facts(read)))
    return out


# A statement that claims to list everything required: "only needs A, B and C", "all you need is ...".
_EXHAUSTIVE = re.compile(r"\b(?:only|just)\s+(?:needs?|requires?|asks?|wants?|has\s+to|have\s+to|must)\b"
                         r"|\ball\s+(?:you|they|we)\s+(?:need|have\s+to)\b|\bnothing\s+(?:else|more)\b"
                         r"|(?:\bis|'s)\s+(?:enough|sufficient|all\s+(?:you|it)\s+(?:need|take)s?)\b|\bsuffices?\b"
                         r"|\bsimply\s+by\b|\ball\s+it\s+takes\b"
                         r"|\b(?:is|are)\s+(?:complete|valid|sufficient)\s+(?:once|when|if|as\s+soon\s+as)\s+(?:it|they)\s+"
                         r"(?:includes?|has|have|contains?|lists?|names?|gives?)\b"
                         r"|\b(?:you['’]re|you\s+are|they['’]re|they\s+are)\s+all\s+set\b"
                         r"|(?:^|[,;:]\s*)(?:just|simply)\s+(?:send|give|tell|email|provide|submit|upload|share|enter"
                         r"|log|sign|click|tap|reply|contact|call|ask)\b"
                         r"|\bno\s+(?:further|other|additional|more)\s+(?:checks?|steps?|"
                         r"requirements?|information|details|questions)\b",
                         re.IGNORECASE)
# "as long as" claims a condition suffices ("valid as long as it has a signature"), except where it bounds a
# time ("retains your data as long as your account is active", "for as long as the plan stays active").
_AS_LONG_AS = re.compile(r"\bas\s+long\s+as\b", re.IGNORECASE)
_DURATIVE = re.compile(r"\bfor\s+$|\b(?:retains?|retained|keeps?|kept|stores?|stored|holds?|held|preserves?|preserved"
                       r"|remains?|stays?|lasts?|continues?|persists?|available)\b[^.;,]{0,50}$", re.IGNORECASE)


# Markers that follow what they claim suffices: "the name of the blog is enough", "you're all set".
_CLAIM_BEFORE = re.compile(r"(?:\bis|'s)\s+(?:enough|sufficient|all\s+(?:you|it)\s+(?:need|take)s?)\b|\bsuffices?\b"
                           r"|\ball\s+it\s+takes\b|\b(?:you['’]re|you\s+are|they['’]re|they\s+are)\s+all\s+set\b"
                           r"|\bnothing\s+(?:else|more)\b|\bno\s+(?:further|other|additional|more)\b", re.IGNORECASE)


def _claimed(text: str) -> str:
    """The part of a sufficiency claim that says what suffices: what follows "all you need is" or "just send
    us", the clause before "is enough" or "you're all set"; the whole statement without such a marker."""
    m = _EXHAUSTIVE.search(text)
    if m is None:
        return text
    if _CLAIM_BEFORE.match(text, m.start()):
        return re.split(r"[,;:]\s", text[:m.start()].rstrip(" ,;:"))[-1]
    return text[m.end():]


def _claims_sufficiency(text: str) -> bool:
    """Whether a statement claims that what it names is all that is needed ("only needs", "is enough", ...)."""
    return bool(_EXHAUSTIVE.search(text)) or any(not _DURATIVE.search(text[:m.start()])
                                                 for m in _AS_LONG_AS.finditer(text))


_OPTIONAL = re.compile(r"\s*(?:\(?optional\)?\b|if\s+you\s+(?:wish|like|want))", re.IGNORECASE)
# A policy lead-in to a list of requirements: "A counter-notice must include:", "Sellers verify by providing:".
_REQUIREMENT_LEAD = re.compile(r"\b(?:must|requires?|required|requirements?|(?<!and )conditions(?!\s+of\s+use)"
                               r"|criteria|eligibility|needs?|following|provid(?:e|ing)|includes?|contains?)\b",
                               re.IGNORECASE)


# One item of a list of requirements: (clause, span of the item in clause.text).
_Item = tuple[Clause, tuple[int, int]]


def _requirement_lists(hits: Sequence[Hit], doc_clauses: Callable[[str], list[Clause]]
                       ) -> list[tuple[str, list[_Item]]]:
    """(what the list is about, items) of the lists of requirements in or around the top clauses.

    A list is the lines after a lead-in line ending with ":" inside a top clause ("A counter-notice must
    include:" then "(a) ..."), about its lead-in and section path; or the clauses of a section whose
    heading is the lead-in ("Your Counter Notice Must", then one clause per item, each item its clause's
    first sentence): the top clause's own section, about its heading and path, or another section of the
    same document, about its heading alone. Items marked optional are left out.
    """
    out: list[tuple[str, list[_Item]]] = []
    for hit in hits[:3]:
        clause = hit.clause
        lines = clause.text.split("\n")
        starts = [0]
        for line in lines:
            starts.append(starts[-1] + len(line) + 1)
        for i, lead in enumerate(lines):
            if not (lead.rstrip().endswith(":") and _REQUIREMENT_LEAD.search(lead)):
                continue
            items = []
            for j in range(i + 1, len(lines)):
                if not lines[j].strip() or lines[j].rstrip().endswith(":"):
                    break
                items.append((clause, (starts[j] + len(lines[j]) - len(lines[j].lstrip()),
                                       starts[j] + len(lines[j].rstrip()))))
            out.append((" ".join((*clause.path(), lead)), items))
    sections: dict[tuple[str, tuple[str, ...]], list[Clause]] = {}
    for doc_id in dict.fromkeys(h.clause.doc_id for h in hits[:3]):
        for c in doc_clauses(doc_id):
            sections.setdefault((doc_id, c.path()), []).append(c)
    own = {(h.clause.doc_id, h.clause.path()) for h in hits[:3]}
    for (doc_id, path), members in sections.items():
        heading = path[-1] if len(path) > 1 else ""
        if not (heading and _REQUIREMENT_LEAD.search(heading)):
            continue
        items = [(c, first[0]) for c in members
                 if (first := sentence_spans(c.text, semicolons=False)[:1]) and not _OPTIONAL.match(c.text)]
        out.append((" ".join(path) if (doc_id, path) in own else heading, items))
    return [(about, items) for about, items in out if len(items) >= 2]


def _dropped_requirements(text: str, hits: Sequence[Hit], doc_clauses: Callable[[str], list[Clause]]
                          ) -> tuple[Evidence, list[str]] | None:
    """For a statement that claims to list everything required, the items of a policy's list of requirements
    on the same point that it leaves out, with the first one as evidence.

    Lists about something that shares a word with the statement are candidates; the one matching most of the
    statement (items named, then lead-in words shared) is its point. None when that list is fully named,
    or not named at all.
    """
    if not _claims_sufficiency(text):
        return None
    mine = _stems(text)
    # Items are named by the part that says what suffices: in "to have an account removed, all you need is a
    # death certificate", "account" names no document.
    claimed = _stems(_claimed(text))
    claimed = claimed if len(claimed) >= 2 else mine

    def named(items: list[str]) -> list[bool]:
        """Whether the statement names each item: one of the item's own words (not one every item shares,
        like "identity document" in each item of a list of identity checks)."""
        words = [_stems(item) for item in items]
        common = {w for w in set().union(*words) if sum(w in ws for ws in words) > 1}
        return [bool((ws - common) & claimed) if ws - common else len(ws & claimed) * 2 >= max(1, len(ws))
                for ws in words]

    best: tuple[tuple[int, int], list[_Item], list[bool]] | None = None
    for about, items in _requirement_lists(hits, doc_clauses):
        lead_shared = len(_stems(about) & mine)
        if not lead_shared:
            continue
        found = named([c.text[a:b] for c, (a, b) in items])
        key = (sum(found), lead_shared)
        if best is None or key > best[0]:
            best = (key, items, found)
    if best is None:
        return None
    (n_named, _), items, found = best
    missing = [item for item, ok in zip(items, found) if not ok]
    if not missing or not n_named:
        return None
    clause, span = missing[0]
    score = next((h.score for h in hits if h.clause.clause_id == clause.clause_id), 0.0)
    return Evidence(clause, span, score), [c.text[a:b].rstrip(";,. ") for c, (a, b) in missing]


# A policy sentence that sets a condition or asks for more: "must email", "only if compelled", "should include".
_CONDITION = re.compile(r"\b(?:must|required?|requires|need\s+to|needs\s+to|ha(?:ve|s)\s+to|only\s+if|only\s+when"
                        r"|should\s+(?:include|contain|provide)|(?:we|we'll|we\s+will)\s+(?:ask|require)\s+for"
                        r"|ask\s+for\s+(?:more|additional|further)|upon\s+receipt\s+of|unless"
                        # the means a rule sets: "can restore it by proving their identity through the form"
                        r"|(?:can|may|must)\s+\w+(?:\s+\w+)?\s+by\s+(?:proving|providing|submitting|completing|"
                        r"verifying|sending|filling\s+in|using))\b", re.IGNORECASE)
CONDITION_POINT = 0.15  # stemmed overlap for a condition sentence to be on a sufficiency claim's point (dev)
# "a link to the post (not just the name of the blog)": what the policy says is not enough by itself.
_NOT_JUST = re.compile(r"\bnot\s+(?:just|only|merely|simply)\s+([^()\[\].;,]{3,60})", re.IGNORECASE)


def _names_what_is_not_enough(sentence: str, mine: frozenset[str]) -> bool:
    """Whether a policy sentence says that something the statement names is not enough by itself."""
    return any(len(_stems(m.group(1))) >= 2 and _stems(m.group(1)) <= mine for m in _NOT_JUST.finditer(sentence))


# "every product, Tumblr included", "any site, including self-hosted ones", "even private repositories".
_INCLUSION = re.compile(r"\b(?:including|even)\s+([^,.;]{3,60})|([^,.;]{3,60}?)\s+included\b", re.IGNORECASE)


def _excluded_inclusion(text: str, hits: Sequence[Hit]) -> tuple[Evidence, str] | None:
    """For a statement that extends a rule to everything, naming what it includes ("applies to every product,
    Tumblr included"), a sentence of the top clauses on its point that denies the rule for what it names ("does
    not apply to products, like Tumblr, that ..."): that sentence and the words named."""
    if not _EVERY_OR_ANY.search(text) or _denies(text):
        return None
    stems_mine = _stems(text)
    for m in _INCLUSION.finditer(text):
        named_text = (m.group(1) or m.group(2)).strip()
        named = _stems(named_text)
        if not named:
            continue
        for hit in hits[:3]:
            for s, e in sentence_spans(hit.clause.text):
                sentence = hit.clause.text[s:e]
                theirs = _stems(sentence)
                if _denies(sentence) and named <= theirs and _overlap(stems_mine, theirs) >= CONDITION_POINT:
                    return Evidence(hit.clause, (s, e), hit.score), named_text
    return None


# What a statement leaves out by name: "except Highrise", "Highrise and Campfire aren't included", "doesn't
# cover Tumblr".
_EXCLUSION = re.compile(r"\b(?:except(?:\s+for)?|excluding|other\s+than|but\s+not)\s+(?P<a>[^.;]{3,80})"
                        r"|(?P<b>[^.;]{3,80}?)\s+(?:are|is)(?:\s+not|n['’]t)\s+(?:included|covered)\b"
                        r"|\b(?:does|do)(?:\s+not|n['’]t)\s+(?:apply\s+to|cover|include)\s+(?P<c>[^.;]{3,80})")
_PROPER = re.compile(r"\b[A-Z][\w'’.-]*[A-Za-z](?:\s+[A-Z][\w'’-]*)*")  # "Highrise", "HEY", "Ta-da List"
_NAME_LIST = re.compile(rf"(?:{_PROPER.pattern})(?:\s*,\s*(?:and\s+|or\s+)?(?:{_PROPER.pattern})"
                        rf"|\s+(?:and|or)\s+(?:{_PROPER.pattern}))*")
_NEGATIVE_UNIVERSAL = re.compile(r"\b(?:anyone|anybody|anything|no\s*one|nobody|nothing|none|no\s+\w+)\s*$",
                                 re.IGNORECASE)
_INCLUDES = re.compile(r"\b(?:includ(?:es?|ing)|appl(?:y|ies)\s+to|covers?)\b", re.IGNORECASE)


def _included_exclusion(text: str, hits: Sequence[Hit]) -> tuple[Evidence, str] | None:
    """For a statement that leaves named things out of a rule ("Highrise, Campfire and Backpack aren't
    included"), a sentence of the top clauses on its point that lists them as included ("That includes
    Basecamp, HEY, Highrise, Campfire, Backpack ..."): that sentence and the names."""
    names: list[str] = []
    for m in _EXCLUSION.finditer(text):
        if _NEGATIVE_UNIVERSAL.search(text[:m.start()]):
            continue  # "shared with nobody except Stripe", "not with anyone other than Stripe": Stripe is included
        if m.group("b") is not None:
            # The subject just before "aren't included": "..., but older products such as Highrise and
            # Campfire aren't included" names Highrise and Campfire (a list of names ending the subject).
            listed = [n for n in _NAME_LIST.finditer(m.group("b")) if not m.group("b")[n.end():].strip()]
        else:
            # The names right after "except", "doesn't cover" ("doesn't cover damage to AirPods" names none).
            listed = [n for n in [_NAME_LIST.match(m.group("a") or m.group("c"))] if n]
        names += [n.group(0) for found in listed for n in _PROPER.finditer(found.group(0))
                  if n.group(0).lower() not in _NOT_A_NAME]
    if not names:
        return None
    stems_mine = _stems(text)
    for hit in hits[:3]:
        before = 0  # "This policy applies to every product. That includes ...": the list's point is the sentence before
        for s, e in sentence_spans(hit.clause.text):
            sentence = hit.clause.text[s:e]
            if (_INCLUDES.search(sentence) and not _denies(sentence)
                    and all(re.search(rf"\b{re.escape(n)}\b", sentence) for n in names)
                    and _overlap(stems_mine, _stems(hit.clause.text[before:e])) >= CONDITION_POINT):
                return Evidence(hit.clause, (s, e), hit.score), ", ".join(names)
            before = s
    return None


def _unstated_condition(text: str, hits: Sequence[Hit]) -> tuple[Evidence, str] | None:
    """For a statement that claims something suffices ("is all you need", "just emails support", "simply by"),
    a sentence of the top clauses on its point that sets a condition or asks for more than the statement names
    ("must email ...", "we'll ask for more verification", "only if compelled by ..."); None when there is none."""
    if not _claims_sufficiency(text):
        return None
    mine = _stems(text)
    best: tuple[float, Evidence, str] | None = None
    for hit in hits[:3]:
        for s, e in sentence_spans(hit.clause.text):
            sentence = hit.clause.text[s:e]
            if not _CONDITION.search(sentence):
                continue
            theirs = _stems(sentence)
            shared = _overlap(mine, theirs)
            if _names_what_is_not_enough(sentence, mine):
                shared += 1.0  # on the point whatever else it shares: it names what the statement says suffices
            if shared < CONDITION_POINT or len(theirs - mine) < 3:
                continue  # off the point, or asking for nothing the statement leaves out
            if best is None or shared > best[0]:
                best = (shared, Evidence(hit.clause, (s, e), hit.score), sentence.strip())
    return (best[1], best[2]) if best else None


_WHOM = ("account type", "actor", "tier")  # the axes that say whom a rule is for


def _silent_on_whom(conflict: tuple[float, Evidence, list[Difference]], support: tuple[float, Evidence]) -> bool:
    """Whether a conflict on whom a rule is for ("consumers" against the statement's "business account") stands
    against a supporting sentence that names nobody: it confirms the rule, not that it is the statement's."""
    _, ev, diffs = conflict
    sentence = ev.clause.text[ev.sentence[0]:ev.sentence[1]]
    poles = {d.policy for d in diffs}
    axes = {axis for axis, pole in extract_facts(sentence).states if axis in _WHOM and pole in poles}
    if not axes or any(d.kind not in ("scope", "state") for d in diffs):
        return False
    s_ev = support[1]
    supporting = extract_facts(s_ev.clause.text[s_ev.sentence[0]:s_ev.sentence[1]])
    return not any(axis in axes for axis, _ in supporting.states)


def _qualified_elsewhere(conflict: tuple[float, Evidence, list[Difference]], support: tuple[float, Evidence],
                        statement: str) -> bool:
    """Whether a conflicting number stands against a sentence of the same clause that confirms it: both state a
    number of that kind for different cases, and the words that tell them apart name the statement's case in the
    conflicting one, not in the supporting one ("free of charge ... $5,000" against "Beta Previews ... $500", for
    "free products ... $500"), by QUALIFIER_MARGIN words or more, when the conflict weighs nearly as much as the
    support (within QUALIFIER_SLACK)."""
    _, ev, diffs = conflict
    if ev.clause.clause_id != support[1].clause.clause_id:
        return False
    c_text = ev.clause.text[ev.sentence[0]:ev.sentence[1]]
    s_text = support[1].clause.text[support[1].sentence[0]:support[1].sentence[1]]
    kinds = {(d.kind, d.per) for d in diffs if d.kind not in QUALITATIVE}
    if not kinds or not kinds & agreeing_kinds(extract_facts(s_text), extract_facts(statement)):
        return False
    if conflict[0] < support[0] - QUALIFIER_SLACK:
        return False
    # Content words only (not "you", "we"), and not the numbers: they are what differs, not the case.
    c_stems, s_stems, mine = (_stems(" ".join(w for w in _content(t) if not any(ch.isdigit() for ch in w)))
                              for t in (c_text, s_text, statement))
    return len((c_stems - s_stems) & mine) >= len((s_stems - c_stems) & mine) + QUALIFIER_MARGIN


def _names_in(name: str, text: str) -> bool:
    """Whether a text uses a name, or one of the names it lists ("WordAds" of "Jetpack Ads or WordAds")."""
    return any(re.search(rf"(?<!\w){re.escape(alt)}(?!\w)", text, re.IGNORECASE)
               for alt in re.split(r",\s*|\s+(?:or|and)\s+", name) if len(alt) > 1)


def _row_label(unit_text: str) -> str:
    """A table row's first cell, from its text as read ("Data type: Login records; Retention period: ...")."""
    return unit_text.split("; ", 1)[0].split(": ", 1)[-1]


def _row_rule(unit_text: str) -> str:
    """A table row's other cells, from its text as read: what the row says of its label."""
    return unit_text.split("; ", 1)[-1]


def _parts(text: str) -> list[tuple[Facts, set[str]]]:
    """The facts and word stems of each part of a sentence joined by "but", ";", "while", ..."""
    return [(extract_facts(p), set(_stems(p))) for p in _PARTS.split(text) if _content(p)]


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _requirement_verdict(st: Statement, ev: Evidence, missing: list[str], shown: str) -> Verdict:
    """CONTRADICTED: the policy requires what the statement leaves out (missing), shown in the reason."""
    diff = Difference("requirement", "; ".join(missing), "", "the policy also requires: " + shown)
    return Verdict(st, CONTRADICTED, diff.reason, [ev], [diff])


@functools.lru_cache(maxsize=8192)
def _stems(text: str) -> frozenset[str]:
    """Stemmed content words (the lexical index's tokens), cached: policy sentences recur across statements."""
    return frozenset(tokenize([text])[0])


def _content(text: str) -> set[str]:
    return {w for w in words(text) if w not in _STOP}


_DENIAL = re.compile(r"\b(?:not|never|cannot|unable\s+to)\b|n[’']t\b", re.IGNORECASE)


_SUBORDINATE = re.compile(r"\b(?:if|unless|when|whenever|where|who|whose|which|until|before|whether"
                          r"|(?<!note )(?<!notes )(?<!means )(?<!says )(?<!states )(?<!clear )that)\b[^,;:]*$",
                          re.IGNORECASE)


_NOT_A_DENIAL = re.compile(r"not\s+(?:only|just)\b", re.IGNORECASE)  # "not only A but B" affirms both


def _denies(text: str) -> bool:
    """Whether a sentence's main clause negates a verb ("will not inspect", "can't"); "at no cost" denies
    nothing, and neither does a condition ("if you do not verify, ...")."""
    # An aside between dashes is read apart: "The material — which was embedded from another site — is not
    # hosted" denies; "videos that — in our view — do not follow" is still a relative clause.
    text = _ASIDE.sub(" ", text)
    return any(not _SUBORDINATE.search(text[:m.start()]) and not _NOT_A_DENIAL.match(text, m.start())
               for m in _DENIAL.finditer(text))


_ASIDE = re.compile(r"\s(?:[—–]|--?)\s[^—–]*?\s(?:[—–]|--?)\s")


# A universal word over a noun: "every plan", "all sellers"; not "all it takes", "all you need".
_EVERY = re.compile(r"\b(every|all)\s+(?!(?:it|you|we|they|that|this|of|the\s+time)\b)[a-z]", re.IGNORECASE)
# ... and "any site, including self-hosted ones"; not "at any time", "any questions".
_EVERY_OR_ANY = re.compile(r"\b(every|all|any)\s+(?!(?:it|you|we|they|that|this|of|the\s+time|time|questions?|reason"
                           r"|other|way)\b)[a-z]", re.IGNORECASE)
_NOT_A_NAME = frozenset({"all", "every", "any", "each", "the", "a", "an", "our", "your", "this", "these"})
_NAME = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’-]*)+")  # two or more capitalised words in a row


def _narrower_name(policy: str, statement: str) -> str | None:
    """A name in a policy sentence that extends one the statement uses ("Basecamp Big" for "Basecamp"): the
    plan, tier or programme a rule is limited to, which a statement about every plan leaves out."""
    mine = set(re.findall(r"[\w'’.-]+", statement))
    lower = statement.lower()
    for m in _NAME.finditer(policy):
        first, *rest = m.group(0).split()
        if first.lower() in _NOT_A_NAME:  # "All Etsy sellers": the sentence's first word, not a name
            first, *rest = rest or [""]
        if first in mine and any(w.lower() not in lower for w in rest):
            return m.group(0)
    return None


_LIST_ITEMS = re.compile(r"[,;:()]|\s(?:or|and)\s", re.IGNORECASE)
ITEM_WORDS = 2  # words a list item of a policy sentence must share with a part of the statement ...
ITEM_SHARE = 0.6  # ... and the share of the item's words they must be, for the item to be on its point (dev)
# Words that say how, not what: the modal an item is compared on, pronouns, auxiliaries, prepositions.
_MODAL_STEMS = _stems(" ".join(_STOP) + " can may must might should shall would could need needs allowed permitted "
                      "unable able do does don't won't can't have has had be been they them their us from any all "
                      "other through under about into")
# Between a list's modal and an item: the items after it are exceptions to the rule, or examples of a noun.
_NOT_THE_RULE = re.compile(r"\b(?:except|other\s+than|unless|such\s+as|including|for\s+example|e\.g\.)", re.IGNORECASE)
_LEADING_CONDITION = re.compile(r"^\W*(?:even\s+)?(?:if|when|whenever|unless|once|after|before|while|during)\b"
                                r"[^,;]*,\s*", re.IGNORECASE)
_NEGATIVE_PREFIX = ("un", "in", "im", "non", "dis", "ir", "il")  # "unreasonable" is not "reasonable"


def _listed_flip(text: str, hits: Sequence[Hit]) -> tuple[Evidence, list[Difference]] | None:
    """A policy sentence one item of whose list a part of the statement restates with the opposite permission:
    "You must not ..., claim ..., or sell access to any subdomains" and "You're allowed to sell access to it".
    The item's modal is its own, or else the nearest one before it."""
    parts = [p for p in _SPLIT.split(text) if p and len(_content(p)) >= 2 and not p.rstrip().endswith("?")]
    # Matched by its main clause: "When using Ecommerce Services, you can disclose ..." is not on the point of
    # "You may not use Ecommerce Services for any unlawful purposes".
    stems = [(_stems(_LEADING_CONDITION.sub("", p)) - _MODAL_STEMS, p)
             for p in parts or ([text] if not text.rstrip().endswith("?") else [])]
    for hit in hits:
        for s, e in sentence_spans(hit.clause.text):
            sentence = hit.clause.text[s:e]
            end = 0
            for item in _LIST_ITEMS.split(sentence):
                start = sentence.find(item, end)
                end = start + len(item)
                theirs = _stems(item) - _MODAL_STEMS
                for mine, part in stems:
                    shared = len(theirs & mine)
                    if shared < ITEM_WORDS or shared < ITEM_SHARE * len(theirs) or any(
                            w.startswith(prefix) and w[len(prefix):] in mine
                            for w in theirs - mine for prefix in _NEGATIVE_PREFIX):
                        continue
                    facts = extract_facts(item)
                    if facts.modality != "none":
                        head = sentence[:end].lower().replace("’", "'")
                        found = list(re.finditer(rf"\b{re.escape(facts.modal)}\b", head))
                        at = found[-1].start() if found else -1  # "can", not the "can" of "cancel"
                    else:  # the modal nearest before the item, unless an exception or example comes between
                        at = last_modal(sentence[:start])
                        if at is None or _NOT_THE_RULE.search(sentence[at:end]):
                            continue
                        facts = extract_facts(sentence[at:end])
                    if at < 0 or _SUBORDINATE.search(sentence[:at]):  # "If we are unable to verify you": a condition
                        continue
                    diffs = [d for d in compare(facts, extract_facts(part)) if d.kind == "permission"]
                    if diffs:
                        return Evidence(hit.clause, (s, e), hit.score), diffs
    return None


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


# Candidates come from MiniLM + BM25 even on an index with e5 vectors: the rules were written and the thresholds
# chosen on those candidates, and with e5 fused in, dev accuracy fell from 0.838 to 0.793 (ours) and 0.771 to
# 0.768 (shared corpora).
CANDIDATE_SEARCH = SearchConfig(mode="hybrid", companion=0.0)


@dataclass(slots=True)
class Checker:
    """Decides a verdict for each statement from the policy clauses the search finds for it."""

    index: PolicyIndex
    exclude: Sequence[str] = ()  # doc_id prefixes never used as evidence (the article itself, other articles)
    entailer: Entailer | None = None
    covered: float = COVERED
    same_point: float = SAME_POINT
    _terms: dict[str, list[tuple[str, str]]] = field(default_factory=dict, repr=False)  # doc_id -> its defined terms

    def _candidates(self, text: str, filters: dict | None) -> tuple[list[Hit], float]:
        result = self.index.search(text, CANDIDATES + 10, filters, CANDIDATE_SEARCH)
        hits = [h for h in result.hits if not any(h.clause.doc_id.startswith(p) for p in self.exclude)]
        top = result.features.get("dense_top", 0.0)
        return hits[:CANDIDATES], top

    def check(self, statement: Statement | str, filters: dict | None = None) -> Verdict:
        """The verdict for one statement, with the policy sentences it rests on."""
        st = statement if isinstance(statement, Statement) else Statement(statement, 0, len(statement))
        if st.text.rstrip().endswith("?"):  # "Can I transfer Coins?" asks; it claims nothing a policy could contradict
            return Verdict(st, NOT_COVERED, "a question states no rule to check")
        hits, similarity = self._candidates(st.text, filters)
        tops = {hits[0].clause.clause_id} if hits else set()
        if st.context:
            # The headings above a statement help find short ones ("It takes 30 days." under "Refunds"), but
            # must not hide the clauses on the statement's own subject: both searches' candidates are kept.
            in_context, sim = self._candidates(" ".join((*st.context, st.text)), filters)
            shown = {h.clause.clause_id for h in in_context}
            hits = in_context + [h for h in hits if h.clause.clause_id not in shown]
            tops |= {in_context[0].clause.clause_id} if in_context else set()
            similarity = max(similarity, sim)
        if not hits or similarity < self.covered:
            return Verdict(st, NOT_COVERED, "no policy clause addresses this statement")
        mine = extract_facts(st.text)
        words_mine = _content(st.text)
        best_support, best_conflict = self.weigh(st.text, hits, tops, similarity=self._similarities)
        if self.entailer is not None:
            judged = self._entailed(st.text, hits, words_mine)
            if judged is not None:
                return judged
        conflicting = best_conflict is not None and (best_support is None or best_conflict[0] >= best_support[0]
                                                     or _silent_on_whom(best_conflict, best_support)
                                                     or _qualified_elsewhere(best_conflict, best_support, st.text))
        if not conflicting:  # a list of requirements the statement leaves items out of outweighs a sentence on it
            dropped = _dropped_requirements(st.text, hits, self.index.store.clauses_of)
            if dropped is not None:
                ev, missing = dropped
                return _requirement_verdict(st, ev, missing, "; ".join(_shorten(m, 90) for m in missing))
        if best_conflict is None and best_support is None:
            condition = _unstated_condition(st.text, hits)
            if condition is not None:
                ev, sentence = condition
                return _requirement_verdict(st, ev, [sentence], _shorten(sentence, 120))
            # What the statement includes and the policy excludes by name, or the other way round.
            for found, p_side, a_side in ((_excluded_inclusion(st.text, hits), "not", "including"),
                                          (_included_exclusion(st.text, hits), "including", "not")):
                if found is not None:
                    ev, named = found
                    diff = Difference("scope", f"{p_side} {named}", f"{a_side} {named}",
                                      f"policy: {p_side} {named}; article: {a_side} {named}")
                    return Verdict(st, CONTRADICTED, diff.reason, [ev], [diff])
            restated = self._restated(st.text, mine, hits)
            if restated is not None:
                return Verdict(st, SUPPORTED, "a policy clause says the same across its sentences", [restated])
            paraphrase = self._negated_paraphrase(st.text, mine, hits)
            if paraphrase is not None:
                cosine, ev = paraphrase
                return Verdict(st, SUPPORTED, f"a policy sentence denies the same in other words "
                                              f"(similarity {cosine:.2f})", [ev])
            piecewise = self._piecewise(st.text, hits, tops)
            if piecewise is not None:
                return Verdict(st, SUPPORTED, "each part of it is stated by a policy sentence", piecewise)
            listed = _listed_flip(st.text, hits)
            if listed is not None:
                ev, diffs = listed
                return Verdict(st, CONTRADICTED, "; ".join(d.reason for d in diffs), [ev], diffs)
        if conflicting:
            _, ev, diffs = best_conflict
            return Verdict(st, CONTRADICTED, "; ".join(d.reason for d in diffs), [ev], diffs)
        if best_support:
            return Verdict(st, SUPPORTED, "a policy clause says the same", [best_support[1]])
        top = hits[0]
        first = sentence_spans(top.clause.text)[:1] or [(0, len(top.clause.text))]
        return Verdict(st, NOT_COVERED, "related clauses found, but none states this",
                       [Evidence(top.clause, first[0], top.score)])

    def weigh(self, text: str, hits: Sequence[Hit], tops: AbstractSet[str] = frozenset(),
              similarity: Callable[[str, Sequence[str]], list[float]] | None = None
              ) -> tuple[tuple[float, Evidence] | None, tuple[float, Evidence, list[Difference]] | None]:
        """(best support, best conflict) for a statement among the sentences and table rows of the hits'
        clauses, each with its weight: how much of the statement it speaks to (tops: the clause ids the
        search ranked first, which weigh a little more).

        With a similarity (statement, texts) -> cosines, and no conflict found, a sentence that supports the
        statement while sharing under LOW_OVERLAP of its words must also be embedded within SUPPORT_COSINE of
        it, or a number that happens to agree ("at least 1,000 followers" to go LIVE) would support a
        statement about something else; the next supporting sentence is then considered."""
        mine = extract_facts(text)
        words_mine = _content(text)
        stems_mine = _stems(text)
        parts = _parts(text)
        # The statement's clauses, each of which a one-word flip may be in ("..., and any Gifts you sent will be
        # reversed"), with their words and stems.
        clauses = [(c, _content(c), _stems(c)) for c in _CLAUSES.split(text) if c != text]
        supports: list[tuple[float, Evidence, str, bool]] = []  # (weight, evidence, unit text, shares little)
        best_conflict: tuple[float, Evidence, list[Difference]] | None = None
        every = _EVERY.search(text)  # "every account", "all hosts": a claim about every case
        for hit in hits:
            units = _units(hit.clause.text, words_mine, frozenset(q.kind for q in mine.quantities))
            defined = self._defined(hit.clause.doc_id)  # the terms the clause's document defines
            rules = [_row_rule(u.text) for u in units if u.row_regions]
            # Of a table's rows, those whose label ("Shop order and payment records") shares most of the
            # statement's words are about its subject; a row about another subject is not compared.
            labelled = {id(u): len(_stems(_row_label(u.text)) & stems_mine) for u in units
                        if u.row_regions is not None and not u.row_regions}
            best_label = max(labelled.values(), default=0)
            for k, unit in enumerate(units):
                if best_label >= 2 and labelled.get(id(unit), best_label) * 2 < best_label:
                    continue
                regional = None
                if unit.row_regions and not (mine.regions and regions_overlap(unit.row_regions, mine.regions)):
                    if mine.regions or not every or rules.count(_row_rule(unit.text)) > 1:
                        # A table row for another region, or a regional exception to a general statement; a rule
                        # that several rows state is left alone too (the other rows may cover every region).
                        continue
                    # A rule that only this region's row states, which the statement claims for every case.
                    regional = " ".join(sorted(unit.row_regions))
                (s, e), theirs = unit.span, unit.facts
                if mine.regions and not theirs.regions and unit.row_regions is None:
                    # A sentence under "US State-specific information" is about the US, as if it said so.
                    theirs = replace(theirs, regions=regions_of(" ".join((hit.clause.doc_title, *hit.clause.section))))
                same = _overlap(words_mine, _content(unit.text))
                stem_same = _overlap(stems_mine, _stems(unit.text))
                if names := [n for n in other_names(unit.text, defined) if _names_in(n, text)]:
                    # A defined term by the statement's name for it: "Automattic Ads" is "Jetpack Ads or WordAds".
                    named = unit.text + " " + " ".join(names)
                    same = max(same, _overlap(words_mine, _content(named)))
                    stem_same = max(stem_same, _overlap(stems_mine, _stems(named)))
                if (k and theirs.quantities and units[k - 1].row_regions is None
                        and _refers_back(unit.text, units[k - 1].text)):
                    # "You must make this request within 90 days": the number's subject is in the sentence before.
                    joined = units[k - 1].text + " " + unit.text
                    same = max(same, _overlap(words_mine, _content(joined)))
                    stem_same = max(stem_same, _overlap(stems_mine, _stems(joined)))
                if max(same, stem_same) < self.same_point / 2:
                    continue
                diffs = compare(theirs, mine)
                their_parts = _parts(unit.text) if any(d.kind in ("permission", "scope") for d in diffs) else None
                if their_parts is not None and (len(parts) > 1 or len(their_parts) > 1):
                    # "can watch LIVE, but can't go LIVE", "pays all fees, and won't ... unless ...": each part of
                    # the policy sentence is compared with the part of the statement closest to it, which carries
                    # the modal and the scope words on its point.
                    kept = set()
                    for their_facts, their_words in their_parts or [(theirs, set(_stems(unit.text)))]:
                        closest = max(parts or [(mine, set(stems_mine))], key=lambda p: _overlap(p[1], their_words))[0]
                        kept |= {d.kind for d in compare(their_facts, closest)}
                    diffs = [d for d in diffs if d.kind not in ("permission", "scope") or d.kind in kept]
                if agreeing_quantities(theirs, mine):
                    # The sentence confirms one of the statement's numbers: its other numbers of that kind are
                    # about other points ("appeal within 180 days ... decided within 7 days"), not a conflict;
                    # a number of another kind still is ("more than 25% in 30 days" vs "more than 10% in 30 days").
                    agreed = agreeing_kinds(theirs, mine)
                    # ... unless the number that agrees is about something else: the statement's number that
                    # shares the policy number's context is the one to compare.
                    unrelated = misaligned(unit.text, theirs, text, mine) if unit.row_regions is None else {}
                    diffs = [d for d in diffs if d.kind in QUALITATIVE or (d.kind, d.per) not in agreed
                             or d.article in unrelated]
                    shown = {d.article for d in diffs}
                    diffs += [d for article, d in unrelated.items() if article not in shown]
                # "does not unlock" vs "can unlock": a word one side negates and the other states, in sentences
                # that share most words and no number ("under 18 cannot" and "18 or older can" agree).
                flip = None if agreeing_quantities(theirs, mine) else negation_flip(unit.text, text)
                shares_most = max(same, stem_same) >= 2 * self.same_point  # stems: "disables" is "disable"
                if flip and shares_most and not any(d.kind == "permission" for d in diffs):
                    negated = flip in negated_terms(unit.text)
                    p_side, a_side = (f"not {flip}", flip) if negated else (flip, f"not {flip}")
                    diffs = [*diffs, Difference("permission", p_side, a_side, f"policy: {p_side}; article: {a_side}")]
                elif (not diffs and not mine.quantities and not theirs.quantities
                      and same >= 2 * self.same_point and _denies(unit.text) != _denies(text)):
                    # "we will not inspect" vs "may look through": one side denies what the other affirms.
                    p_side, a_side = ("denies", "affirms") if _denies(unit.text) else ("affirms", "denies")
                    diffs = [Difference("permission", p_side, a_side, f"policy: {p_side}; article: {a_side}")]
                flipped_part = False
                if not any(d.kind in QUALITATIVE for d in diffs):
                    # "unless" for "if", "may" for "will", "or" for "and", in the statement or in a clause of it that
                    # says nearly what the sentence says.
                    their_words, their_stems = _content(unit.text), _stems(unit.text)
                    near = [c for c, words, stems in clauses
                            if max(_overlap(words, their_words), _overlap(stems, their_stems)) >= 2 * self.same_point]
                    for part in ([text] if shares_most else []) + near:
                        changed = wording_flip(unit.text, part)
                        if changed is not None:
                            diffs, flipped_part = [*diffs, changed], True
                            break
                if regional and every and not any(d.kind == "scope" for d in diffs):
                    claim = every.group(1).lower()
                    diffs = [*diffs, Difference("scope", regional, claim, f"policy: {regional}; article: {claim}")]
                if every and not any(d.kind == "scope" for d in diffs):
                    narrower = _narrower_name(unit.text, text)
                    if narrower:  # "every Basecamp plan" vs "to teams on Basecamp Big"
                        a_side = every.group(1).lower()
                        diffs = [*diffs, Difference("scope", narrower, a_side,
                                                    f"policy: {narrower}; article: {a_side}")]
                if not shares_most:  # a different actor is a conflict only in a sentence saying the same of it
                    diffs = [d for d in diffs if not (d.kind == "scope" and d.policy in ROLES)]
                # A sentence that quantifies the same thing (same kind and unit) is on point at half the overlap.
                shares = (any(d.kind not in QUALITATIVE for d in diffs) and same_scale(theirs, mine)
                          ) or agreeing_quantities(theirs, mine)
                on_point = same >= self.same_point or (shares and same >= self.same_point / 2) or (
                    diffs and all(d.kind in QUALITATIVE for d in diffs) and stem_same >= STEM_POINT)
                if not on_point and not diffs and agreeing_quantities(theirs, mine) and stem_same >= self.same_point / 2:
                    # It confirms a number of the statement in other words ("older than 3 months" for "pass the
                    # three-month mark"): on point for support only, as too little is shared to call a conflict.
                    on_point, diffs = True, []
                if not on_point:
                    continue
                # The sentence that speaks to more of the statement's numbers is the rule that applies: for
                # "more than 25% of views in 30 days", "more than 10% of views in 30 days" (a conflict) outweighs
                # "released within 30 days" (agrees on one number, silent on the other).
                addressed = agreeing_quantities(theirs, mine) + sum(d.kind not in QUALITATIVE
                                                                    for d in diffs)
                share = min(1.0, addressed / len(mine.quantities)) if mine.quantities else 0.0
                if diffs and all(d.kind in QUALITATIVE for d in diffs) and (shares_most or flipped_part):
                    share = 1.0  # flips the rule of a sentence sharing most of its words: speaks to all of it
                weight = same + (0.2 if hit.clause.clause_id in tops else 0.0) + 0.5 * share
                if mine.regions and regions_overlap(theirs.regions | theirs.excluded, mine.regions):
                    # The rule for the statement's own region outweighs the general one; an exception for that
                    # region ("except in the EU") is its rule too.
                    weight += REGIONAL
                ev = Evidence(hit.clause, (s, e), hit.score)
                if diffs and (best_conflict is None or weight > best_conflict[0]):
                    best_conflict = (weight, ev, diffs)
                # A statement with numbers is supported only by a sentence that confirms one of them; one without,
                # by a sentence using most of its words, and not with the opposite polarity ("are" vs "are not").
                confirms = agreeing_quantities(theirs, mine) or (
                    same >= 2 * self.same_point and not mine.quantities and flip is None
                    and _denies(unit.text) == _denies(text))
                if not diffs and confirms:
                    supports.append((weight, ev, unit.text, max(same, stem_same) < LOW_OVERLAP))
        supports.sort(key=lambda x: -x[0])  # stable: the first of equal weights, as before
        if similarity is None or best_conflict is not None:
            return (supports[0][:2] if supports else None), best_conflict
        # The low-overlap supports that outweigh the first well-shared one, embedded together.
        ahead = next((i for i, x in enumerate(supports) if not x[3]), len(supports))
        cosines = similarity(text, [x[2] for x in supports[:ahead]]) if ahead else []
        for (weight, ev, _, _), cosine in zip(supports[:ahead], cosines):
            if cosine >= SUPPORT_COSINE:
                return (weight, ev), best_conflict
        return (supports[ahead][:2] if ahead < len(supports) else None), best_conflict

    def _piecewise(self, text: str, hits: list[Hit], tops: AbstractSet[str]) -> list[Evidence] | None:
        """For a statement of several parts ("paid through PayPal, so you need an active PayPal account, and nothing
        is paid out until you're owed more than $100"), which no one policy sentence says, the sentences of one
        policy document that say each part: each found by the rules, with no conflict outweighing it, or else, for
        all but one part, a sentence of the PART_HITS top clauses embedded within PART_COSINE of the part
        (PARAPHRASE_E5 with e5), with no differing fact, flipped word or other polarity (the PARAPHRASE_UNITS
        sharing most words are embedded).
        None otherwise."""
        parts = [p.strip(" ,.") for p in _SPLIT.split(text)]
        parts = [p for p in parts if len(_content(p)) >= 3]
        if len(parts) < 2:
            return None
        evidence, embedded = [], 0
        for part in parts:
            support, conflict = self.weigh(part, hits, tops, similarity=self._similarities)
            if conflict is not None and (support is None or conflict[0] >= support[0]):
                return None
            if support is not None:
                evidence.append(support[1])
                continue
            facts, words_part = extract_facts(part), _content(part)
            pool = [(_overlap(words_part, _content(u.text)), h, u) for h in hits[:PART_HITS]
                    for u in _units(h.clause.text, words_part)
                    if not compare(u.facts, facts) and negation_flip(u.text, part) is None
                    and u.facts.negated == facts.negated
                    and (not facts.quantities or agreeing_quantities(u.facts, facts))]
            pool = sorted(pool, key=lambda x: -x[0])[:PARAPHRASE_UNITS]
            if not pool:
                return None
            cosines, threshold = self._paraphrase_similarities(part, [u.text for _, _, u in pool], PART_COSINE)
            if max(cosines) < threshold:
                return None
            _, hit, unit = pool[cosines.index(max(cosines))]
            evidence.append(Evidence(hit.clause, unit.span, hit.score))
            embedded += 1
        if len({e.clause.doc_id for e in evidence}) > 1:  # one policy's sentences, not another company's
            return None
        return evidence if embedded < len(parts) else None

    def _defined(self, doc_id: str) -> list[tuple[str, str]]:
        """The terms a policy document defines ("Jetpack Ads or WordAds (collectively, "Automattic Ads")")."""
        if self.index is None:  # weighing given hits alone
            return []
        if doc_id not in self._terms:
            self._terms[doc_id] = definitions("\n\n".join(c.text for c in self.index.store.clauses_of(doc_id)))
        return self._terms[doc_id]

    def _similarities(self, text: str, others: Sequence[str]) -> list[float]:
        """Cosine of the statement to each text, with the index's model."""
        vectors = self.index.embedder.embed([text, *others])
        return (vectors[1:] @ vectors[0]).tolist()

    def _paraphrase_similarities(self, text: str, others: Sequence[str], threshold: float) -> tuple[list[float], float]:
        """(cosines, threshold) for whether a sentence says a statement (or a part of it) in other words: with
        the companion model (e5, both sides embedded as queries) when the index has one, else with the index's
        model (and the given threshold). Of the best-matching policy sentences of each dev statement, e5 tells
        supported statements from uncovered ones better (ROC AUC 0.915 against MiniLM's 0.884 on the shared
        corpora, 0.936 against 0.85 on ours)."""
        if self.index is not None and self.index.companion is not None:
            vectors = self.index.companion.embed_query([text, *others])
            return (vectors[1:] @ vectors[0]).tolist(), PARAPHRASE_E5
        return self._similarities(text, others), threshold

    def _negated_paraphrase(self, text: str, mine: Facts, hits: list[Hit]) -> tuple[float, Evidence] | None:
        """For a statement that denies something ("can't get you back in", "isn't sufficient"), a policy sentence
        that denies it too in other words: embedded close to it (PARAPHRASE; PARAPHRASE_E5 with e5), negated,
        with no differing fact, no flipped word and every number confirmed. Two sentences that both deny and mean nearly the same say
        the same; affirmative ones that mean nearly the same often differ in the detail a conflict is about,
        so they are never supported this way (dev). Only the PARAPHRASE_UNITS sentences sharing most words
        are embedded, so a check stays fast."""
        if not mine.negated:
            return None
        words_mine, stems_mine = _content(text), _stems(text)
        pool = []
        for hit in hits:
            for unit in _units(hit.clause.text, words_mine):
                if not unit.facts.negated or compare(unit.facts, mine) or negation_flip(unit.text, text):
                    continue
                if unit.row_regions and not (mine.regions and regions_overlap(unit.row_regions, mine.regions)):
                    continue
                if mine.quantities and not agreeing_quantities(unit.facts, mine):
                    continue
                shared = max(_overlap(words_mine, _content(unit.text)), _overlap(stems_mine, _stems(unit.text)))
                if shared >= self.same_point / 2:
                    pool.append((shared, hit, unit))
        pool = sorted(pool, key=lambda x: -x[0])[:PARAPHRASE_UNITS]
        if not pool:
            return None
        cosines, threshold = self._paraphrase_similarities(text, [unit.text for _, _, unit in pool], PARAPHRASE)
        cosine, (_, hit, unit) = max(zip(cosines, pool), key=lambda x: x[0])
        return (cosine, Evidence(hit.clause, unit.span, hit.score)) if cosine >= threshold else None

    def _restated(self, text: str, mine: Facts, hits: list[Hit]) -> Evidence | None:
        """A clause that restates the statement across its sentences: it uses nearly all the statement's
        (stemmed) words, confirms every number of it, and no sentence of it differs from it."""
        stems = _stems(text)
        if len(stems) < 4 or mine.scope & {"only", "except", "unless"}:
            return None  # "only needs A, B and C" also claims nothing else is needed, which words cannot confirm
        for hit in hits[:2]:
            if len(stems & _stems(hit.clause.text)) < RESTATED * len(stems):
                continue
            units = _units(hit.clause.text, _content(text))
            if any(compare(u.facts, mine) for u in units):
                continue
            if any(not any(agreeing_quantities(u.facts, replace(mine, quantities=(q,))) for u in units)
                   for q in mine.quantities):
                continue
            best = max(units, key=lambda u: len(stems & _stems(u.text)))
            return Evidence(hit.clause, best.span, hit.score)
        return None

    def _entailed(self, text: str, hits: list[Hit], words_mine: set[str]) -> Verdict | None:
        """The entailment model's verdict on the most overlapping policy sentence, when it is confident."""
        if self.entailer is None:
            return None
        st = Statement(text, 0, len(text))
        scored = [(_overlap(words_mine, _content(h.clause.text[s:e])), h, (s, e))
                  for h in hits for s, e in sentence_spans(h.clause.text)]
        if not scored:
            return None
        _, hit, (s, e) = max(scored, key=lambda x: x[0])
        entail, contradict = self.entailer.scores(hit.clause.text[s:e], text)
        ev = [Evidence(hit.clause, (s, e), hit.score)]
        if contradict >= 0.5 and contradict > entail:
            return Verdict(st, CONTRADICTED, f"the entailment model finds a contradiction ({contradict:.2f})", ev)
        if entail >= 0.5:
            return Verdict(st, SUPPORTED, f"the entailment model finds it entailed ({entail:.2f})", ev)
        return None

    def check_text(self, text: str, filters: dict | None = None) -> list[Verdict]:
        """Every statement of an article, checked."""
        return [self.check(st, filters) for st in split_statements(text)]
