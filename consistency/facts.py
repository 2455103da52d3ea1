"""Comparable facts in a sentence (numbers, modality, scope, regions) and the differences between two."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Set as AbstractSet
from dataclasses import dataclass, replace

import Stemmer


@dataclass(frozen=True, slots=True)
class Quantity:
    """A normalised number from a sentence: durations in days, ages in years, amounts in currency units."""

    kind: str  # "duration" | "age" | "amount" | "percentage" | "count" | "multiple" ("10x")
    low: float
    high: float  # == low unless the text gives a range ("13 to 17")
    unit: str  # "day" | "business day" | "year" | currency code | "percent" | counted noun (singular)
    bound: str  # "exact" | "min" | "max"
    text: str
    start: int
    end: int
    per: float = 0.0  # for a count over a period ("30 accounts an hour"): the period in days; 0: no period
    window: float = 0.0  # for a count within a window ("2 chargebacks within 12 months"): its days; 0: none


@dataclass(frozen=True, slots=True)
class Facts:
    """What a sentence states that can be compared with another sentence."""

    quantities: tuple[Quantity, ...]
    modality: str  # "permit" | "forbid" | "require" | "advise" | "none"
    negated: bool
    scope: frozenset[str]
    regions: frozenset[str]
    modal: str = ""  # the modal phrase as written ("may not", "don't need to"); "" when modality is "none"
    states: tuple[tuple[str, str], ...] = ()  # (axis, pole) of opposed states: ("visibility", "private"), ...
    excluded: frozenset[str] = frozenset()  # regions a rule is said not to apply in: "except in the EU and UK"


@dataclass(frozen=True, slots=True)
class Difference:
    """One way a statement disagrees with a policy clause."""

    kind: str  # "age" | "duration" | "amount" | "percentage" | "count" | "permission" | "scope" | "state"
    policy: str
    article: str
    reason: str
    per: float = 0.0  # the period of the quantities compared, when they are counts over a period


_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "ninety": 90, "hundred": 100,
}  # fmt: skip
_DIGITS = r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\d)(?:\s+(?:thousand|million|billion)\b)?"
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_WORD_NUM = r"\b(?:(?:one|two|three|four|five|six|seven|eight|nine|a)\s+hundred|" + "|".join(
    sorted(_WORDS, key=len, reverse=True)
) + r")\b"
_NUM = rf"(?:{_DIGITS}|{_WORD_NUM})"
# "and" joins a range only after "between" ("between 13 and 17"), never a list ("$50 and 500 dollars").
_RANGE = (
    rf"(?P<btw>between\s+)?(?P<n1>{_NUM})"
    rf"(?:\s*(?:-|–|—|to|(?(btw)and|(?!)))\s*[$€£]?(?P<n2>{_NUM}))?"
)
_MIN_WORDS = (
    "at least", "minimum of", "minimum", "no less than", "no fewer than", "not less than", "from", "over",
    "more than", "older than", "above", "greater than",
)  # fmt: skip
_MAX_WORDS = (
    "up to", "as many as", "as much as", "at most", "no more than", "not more than", "within", "maximum of", "maximum", "under",
    "less than", "fewer than", "younger than", "below", "not exceeding", "no later than",
)  # fmt: skip
_PRE = "|".join(re.escape(w) for w in sorted(_MIN_WORDS + _MAX_WORDS, key=len, reverse=True))
_SUF = (
    r"\s*\+(?!\d)|\s+or\s+(?:more|older|over|above|greater|higher|longer|less|fewer|younger|under|below"
    r"|shorter)\b"
    r"|\s+and\s+(?:up|over|above|older)\b"
)
_PRE_Q = rf"(?:(?P<pre>{_PRE})\s+)?"
_SUF_Q = rf"(?P<suf>{_SUF})?"

_CURRENCY_SYMBOLS = {
    "us$": "USD", "r$": "BRL", "a$": "AUD", "c$": "CAD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY",
    "₹": "INR", "₩": "KRW",
}  # fmt: skip
_CURRENCY_CODES = ("USD", "EUR", "GBP", "JPY", "KRW", "BRL", "INR", "CAD", "AUD", "CHF", "CNY", "MXN", "IDR")
_CURRENCY_NAMES = {"dollar": "USD", "euro": "EUR", "pound": "GBP", "yen": "JPY", "won": "KRW", "rupee": "INR"}
_SYM = "|".join(re.escape(s) for s in sorted(_CURRENCY_SYMBOLS, key=len, reverse=True))
_CODE = "|".join(_CURRENCY_CODES)
_NAME = r"(?:dollars?|euros?|pounds?|yen|won(?![’']t)|rupees?)"  # "Section 7 won't apply" names no currency

_COUNT_NOUNS = (
    "follower", "strike", "guest", "moderator", "view", "account", "comment", "item", "character", "gift",
    "coin", "video", "post", "subscriber", "like", "report", "warning", "device", "member", "participant",
    "co-host", "host", "link", "photo", "image", "message", "stream", "product", "order", "viewer", "creator",
    "user", "hashtag", "sticker", "diamond", "point", "credit", "ticket", "reply", "story", "word", "time",
    "visitor", "repository", "site", "request", "file", "project", "seat", "collaborator", "arbitrator",
    "identifier", "page", "email", "digit", "poll", "survey", "blog", "domain", "subdomain", "listing", "appeal",
)  # fmt: skip
_NOT_SKIPPED = (
    r"(?!(?:of|the|to|and|or|in|on|per|for|a|an|with|by|at|from|within|is|are|be|can|cannot|may|must|will"
    r"|not|should)\b)"
)


def _plural(noun: str) -> str:
    """Return a crude English plural of a noun."""
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")


def _lemma(word: str) -> str:
    """Return a crude singular of an English plural noun."""
    word = word.lower()
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _forms(nouns: set[str]) -> str:
    """Return a regex alternation of nouns and their plurals, longest first."""
    return "|".join(sorted({f for n in nouns for f in (n, _plural(n))}, key=len, reverse=True))


_NOUNS = _forms(set(_COUNT_NOUNS))
# People nouns: "18+ creators" is an age, "50+ comments" a count.
_PEOPLE = frozenset({"creator", "user", "member", "viewer", "host", "co-host", "participant"})
_THINGS = _forms(set(_COUNT_NOUNS) - _PEOPLE)
_PERSON = (r"users?|people|persons?|children|kids|teens?|teenagers?|minors?|anyone|nobody|no\s+one|everyone|those"
           r"|creators?|hosts?|viewers?"
           r"|members?|sellers?|buyers?|recipients?|senders?|individuals?|customers?|account\s+holders?")
_FALLBACK_STOP = {"times", "this", "was", "has", "does", "its", "plus", "always", "across", "thus", "various"}


def _number(token: str) -> float:
    """Return the value of a digit string ("1,000.5") or number words ("two hundred")."""
    token = token.lower().strip()
    if token[0].isdigit():
        digits, *scale = token.split(None, 1)  # "1.5 million", "8\u00a0million"
        return float(digits.replace(",", "")) * _SCALE.get(scale[0].strip() if scale else "", 1.0)
    parts = token.split()
    if len(parts) == 2:  # "two hundred"
        return (1 if parts[0] == "a" else _WORDS[parts[0]]) * 100.0
    return float(_WORDS[token])


def _bound(m: re.Match[str]) -> str:
    """Return "min", "max" or "exact" from a match's bound words."""
    pre, suf = (m.groupdict().get("pre") or "").lower(), (m.groupdict().get("suf") or "").lower()
    if pre:
        return "min" if pre in _MIN_WORDS else "max"
    if m.groupdict().get("plus") or m.groupdict().get("turn") is not None:
        return "min"
    if suf:
        return "max" if re.search(r"less|fewer|younger|under|below|shorter", suf) else "min"
    return "exact"


def _values(m: re.Match[str]) -> tuple[float, float]:
    """Return the (low, high) numbers of a match."""
    if m.groupdict().get("half"):  # "half a year"
        return 0.5, 0.5
    if m.groupdict().get("art") and not m.group("n1"):
        return 1.0, 1.0
    low = _number(m.group("n1"))
    high = _number(m.group("n2")) if m.group("n2") else low
    return min(low, high), max(low, high)


def _days(unit: str, value: float) -> float:
    """Return a duration in days; twelve-month multiples count as whole years."""
    unit = unit.lower().rstrip("s")
    if unit == "month":
        return value / 12 * 365 if value % 12 == 0 else value * 30
    if unit == "year" and (value * 12).is_integer() and not value.is_integer():
        return value * 12 * 30  # "half a year" is six months
    per_unit = {"second": 1 / 86400, "minute": 1 / 1440, "hour": 1 / 24, "day": 1, "week": 7, "fortnight": 14,
                "year": 365}
    return value * per_unit[unit]


Rule = tuple[str, re.Pattern[str], Callable[[re.Match[str]], str | None]]


def _rule(kind: str, pattern: str, unit: Callable[[re.Match[str]], str | None]) -> Rule:
    """Compile one extraction rule; `unit` returns the unit, or None to reject the match."""
    return kind, re.compile(pattern, re.I), unit


def _currency(m: re.Match[str]) -> str:
    """Return the currency code of an amount match."""
    if m.group("sym"):
        return _CURRENCY_SYMBOLS[m.group("sym").lower()]
    if m.group("code"):
        return m.group("code").upper()
    return _CURRENCY_NAMES[_lemma(m.group("name"))]


def _fallback_noun(m: re.Match[str]) -> str | None:
    """Return the lemma of a plural noun right after a number, or None when it is not a plausible noun."""
    word = m.group("noun").lower()
    if word in _FALLBACK_STOP or word.endswith(("ss", "us", "is")):
        return None
    return _lemma(word)


# Order matters: earlier rules claim their span first ("18 years old" is an age, not a duration;
# "users under 16 cannot send gifts" an age, not a count; "limit is 5 strikes" a count, not an age).
_YEAR: Callable[[re.Match[str]], str | None] = lambda m: "year"  # noqa: E731
# "18+ label" and "18+ rating" name a label, not an age.
_AGE_PLUS = (rf"{_PRE_Q}(?P<n1>{_DIGITS})(?P<n2>(?!)x)?(?P<suf>\+)(?!\d)"
             rf"(?!\s+(?:\w+\s+)?(?:{_THINGS}|label(?:s|led)?|rat(?:ed|ings?))\b)")
_AGED = rf"(?:(?P<pre>{_PRE})\s+(?:the\s+)?age\s+of|\bage(?:d|\s+of)?(?:\s+(?P<pre2>{_PRE}))?)\s+{_RANGE}"
_DURATION = (
    rf"{_PRE_Q}(?:{_RANGE}|\b(?P<half>half)(?:[\s-]+an?|(?=-(?:second|minute|hour|day|week|month|year)\b))|\b(?P<art>an?))[\s-]+(?P<bus>(?:full\s+|whole\s+|entire\s+)?(?:business\s+|working\s+|calendar\s+)?)"
    rf"(?P<unit>seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|years?)\b{_SUF_Q}"
)
_SKIP = rf"(?:{_NOT_SKIPPED}[a-z][a-z-]*\s+){{0,2}}"  # adjectives between number and noun: "5 active strikes"
_RULES: tuple[Rule, ...] = (
    _rule("amount", rf"{_PRE_Q}(?:(?P<sym>{_SYM})\s?|\b(?P<code>{_CODE})\s?){_RANGE}{_SUF_Q}", _currency),
    _rule("amount", rf"{_PRE_Q}{_RANGE}\s?(?:(?P<code>{_CODE})|(?P<name>{_NAME}))\b(?P<sym>(?!)x)?{_SUF_Q}",
          _currency),  # fmt: skip
    _rule("percentage", rf"{_PRE_Q}{_RANGE}\s?(?:%|percent\b|per\s+cent\b){_SUF_Q}", lambda m: "percent"),
    # A multiple: "credit your account 10x" (not "1080 x 1920", a size, nor "2x speed", a playback rate).
    _rule("multiple", rf"{_PRE_Q}(?<![\d.,]\s)(?<![\d.,])(?P<n1>{_DIGITS})(?P<n2>(?!)x)?\s?[x×](?![\w])"
          rf"(?!\s*\d)(?!\s+(?:speed|zoom|faster|slower)\b)", lambda m: "x"),
    _rule("multiple", rf"{_PRE_Q}{_RANGE}\s+times\s+(?=(?:the|your|their|our|its|as\s+much)\b)", lambda m: "x"),
    _rule("age", rf"{_PRE_Q}{_RANGE}[\s-]+(?:years?|yrs?)(?:[\s-]+olds?\b|\s+of\s+age\b){_SUF_Q}", _YEAR),
    _rule("age", rf"{_AGED}{_SUF_Q}", _YEAR),
    _rule("age", rf"{_PRE_Q}{_RANGE}(?P<suf>\s+or\s+(?:older|younger)\b|\s+and\s+(?:older|up)\b)", _YEAR),
    _rule("age", _AGE_PLUS, lambda m: "year" if _number(m.group("n1")) <= 120 else None),
    _rule("duration", _DURATION, lambda m: "business day" if re.search("bus|work", m["bus"] or "", re.I)
          else "day"),  # fmt: skip
    # "30 or more days": the bound between the number and its unit.
    _rule("duration", rf"{_PRE_Q}{_RANGE}(?P<suf>\s+or\s+(?:more|fewer|less|longer|shorter))[\s-]+"
          rf"(?P<bus>business\s+|working\s+|calendar\s+)?"
          rf"(?P<unit>seconds?|minutes?|hours?|days?|weeks?|months?|years?)\b",
          lambda m: "business day" if re.match("bus|work", m["bus"] or "", re.I) else "day"),  # fmt: skip
    # "users under 13", not "the seller 6 penalty points" (a count of what follows).
    _rule("age", rf"\b(?:{_PERSON})\s+(?P<q>(?:(?P<pre>{_PRE})\s+)?{_RANGE}){_SUF_Q}(?![\w%$€£])"
          rf"(?!\s+{_SKIP}(?:{_NOUNS})\b)", _YEAR),
    # "5 or more accounts", "3 or fewer reports": the bound between the number and what it counts.
    _rule("count", rf"{_PRE_Q}{_RANGE}(?P<suf>\s+or\s+(?:more|fewer|less))\s+{_SKIP}(?P<noun>{_NOUNS})\b",
          lambda m: _lemma(m.group("noun"))),  # fmt: skip
    _rule("count", rf"{_PRE_Q}(?P<n1>{_DIGITS})(?P<n2>(?!)x)?(?P<suf>\s+or\s+(?:more|fewer|less))\s+{_SKIP}"
          rf"(?P<noun>[a-z]{{3,}}s)\b", _fallback_noun),  # fmt: skip
    _rule("count", rf"{_PRE_Q}{_RANGE}(?P<plus>\+)?(?:\s+{_SKIP}|-)(?P<noun>{_NOUNS})\b{_SUF_Q}",
          lambda m: _lemma(m.group("noun"))),  # fmt: skip
    _rule("count", rf"{_PRE_Q}(?P<n1>{_DIGITS})(?P<n2>(?!)x)?(?P<plus>\+)?\s+(?P<noun>[a-z]{{3,}}s)\b",
          _fallback_noun),  # fmt: skip
    # "as soon as they turn 18": the age from which something is allowed.
    _rule("age", rf"\bturn(?:s|ed|ing)?\s+(?P<turn>){_RANGE}(?![\w%$€£])", _YEAR),
    _rule("age", rf"(?:\b(?:be|are|is|am)|['’](?:re|m))\s+(?P<q>(?:(?P<pre>{_PRE})\s+)?{_RANGE}){_SUF_Q}(?![\w%$€£])", _YEAR),
)


# Capitalised, as references are written: "this article 30 days after posting" keeps its 30 days.
_REFERENCE = re.compile(r"\b(?:Sections?|SECTIONS?|Clauses?|Articles?|Schedules?|Annex(?:es)?|Appendix|Appendices"
                        r"|Exhibits?|Paragraphs?|Chapters?|Parts?)\s*$|§\s*$")


def _quantities(text: str) -> tuple[Quantity, ...]:
    """Return the quantities in a sentence, each span claimed by the first rule that matches it."""
    found: list[Quantity] = []
    original = text  # quantities quote the sentence as written; the matching below reads a normalised copy
    # A clause's own number ("5.1 Diamonds become available ...") counts nothing: blank it, keeping offsets.
    if m := _CLAUSE_NUMBER.match(text):
        text = " " * m.end() + text[m.end():]
    # "thirty (30) days", legal style: the number once, in digits (same length, so offsets still hold).
    text = _SPELLED_TWICE.sub(lambda m: m.group("d") + " " * (len(m.group(0)) - len(m.group("d"))), text)
    # "between the ages of 13 and 18" reads as "aged between 13 and 18" (padded to the same length).
    text = _BETWEEN_AGES.sub(lambda m: "aged".ljust(len(m.group(0)) - len("between")) + "between", text)
    # "half a million": the number in digits, padded to the same length.
    text = _HALF_SCALE.sub(lambda m: f"{_SCALE_WORDS[m.group(1).lower()] // 2:,}".ljust(len(m.group(0))), text)
    for kind, pattern, unit_of in _RULES:
        for m in pattern.finditer(text):
            start, end = m.span("q") if "q" in pattern.groupindex else m.span()
            if any(start < q.end and q.start < end for q in found):
                continue
            unit = unit_of(m)
            if unit is None:
                continue
            low, high = _values(m)
            changed = (m.groupdict().get("n2") and text[start:end].lower().startswith("from")
                       and _CHANGE.search(text[max(0, start - 40):start]))
            if m.groupdict().get("pre2") and not m.group("pre"):
                bound = "min" if m.group("pre2").lower() in _MIN_WORDS else "max"
            else:
                bound = _bound(m)
            if changed:  # "raised from 500 to 1,000 followers": a change, whose rule is the second number
                low = high = _number(m.group("n2"))
                bound = "exact"
            elif text[start:end].lower().startswith("from") and _CHANGE.search(text[max(0, start - 40):start]):
                continue  # "reduced from 180 days to 90 days": the old value; the new one is matched on its own
            if kind == "duration":
                low, high = _days(m.group("unit"), low), _days(m.group("unit"), high)
            found.append(Quantity(kind, low, high, unit, bound, original[start:end].strip(), start, end))
    # A value the sentence says was replaced ("90 days instead of 120 days", "raised from 500 to 1,000",
    # "(previously 14 days)") is history, not the rule: it neither supports nor contradicts anything.
    current = [q for q in found if not _SUPERSEDED.search(text[max(0, q.start - 40):q.start])]
    # "this Section 7", "Clause 8.2": a reference to a part of the document, not a quantity.
    current = [q for q in current if not _REFERENCE.search(text[max(0, q.start - 20):q.start])]
    # "a Basecamp 4 account": a number right after a name (not the sentence's first word) and before a singular
    # noun is part of the name, a version, not a count ("On Clipwave 500 followers" stays a count).
    current = [q for q in current if not (q.kind == "count" and _named_before(text[:q.start])
                                          and not q.text.rstrip().lower().endswith("s"))]
    # "30 accounts an hour", "USD 100 per day": a duration that divides another number is a rate, compared only
    # with rates ("per 24 hours" equals "a day"), never with a period ("within 30 days").
    counted = [q for q in current if q.kind in ("count", "amount")]
    # "per hour", "each day": a period with no number of its own.
    current += [Quantity("rate", d, d, "day", "exact", m.group(0), m.start(), m.end())
                for m in _PER_UNIT.finditer(text)
                if not any(m.start() < q.end and q.start < m.end() for q in current)
                and (d := _days(m.group("unit"), 1.0))]
    current = [replace(q, kind="rate") if q.kind == "duration" and (
        _PER.search(text[max(0, q.start - 8):q.start])
        or (re.match(r"an?\b", q.text, re.IGNORECASE)
            and any(c.end <= q.start and _WORTH_GAP.fullmatch(text[c.end:q.start]) for c in counted)))
        else q for q in current]
    # The rate right after a count is that count's period: "30 accounts an hour and 500 a day" holds two limits,
    # 30 per hour and 500 per day, each compared only with a limit over the same period.
    merged: list[Quantity] = []
    for q in sorted(current, key=lambda q: q.start):
        prev = merged[-1] if merged else None
        if (q.kind == "rate" and q.low == q.high and prev is not None and prev.kind in ("count", "amount")
                and not prev.per and _COUNT_PERIOD_GAP.fullmatch(text[prev.end:q.start])):
            merged[-1] = replace(prev, per=q.low, text=original[prev.start:q.end].strip(), end=q.end)
        else:
            merged.append(q)
    # "2 chargebacks within 12 months", "3 strikes in any 90-day period": a count over a window (which stays a
    # duration too: "strikes expire after 90 days" may be about it).
    for k, q in enumerate(merged[:-1]):
        window = merged[k + 1]
        gap = text[q.end:window.start] + (" within " if window.text.lower().startswith("within") else "")
        if (q.kind == "count" and not q.per and window.kind == "duration" and window.low == window.high
                and _COUNT_WINDOW.fullmatch(gap)):
            merged[k] = replace(q, window=window.low)
    # "the daily limit is USD 100", "a monthly cap of 500 messages": a period named before the number.
    for k, q in enumerate(merged):
        before = text[max(0, q.start - 40):q.start]
        if q.kind in ("count", "amount") and not q.per and (m := _PERIOD_BEFORE.search(before)):
            merged[k] = replace(q, per=_PERIOD_DAYS[m.group(1).lower()])
    # "Unlimited polls can be created": a count without limit, which a limit ("up to 10 polls") contradicts.
    merged += [Quantity("count", math.inf, math.inf, _lemma(m.group("noun")), "exact", m.group(0), m.start(), m.end())
               for m in _UNLIMITED.finditer(text) if not any(m.start() < q.end and q.start < m.end() for q in merged)]
    return tuple(sorted(merged, key=lambda q: q.start))


def quantity_kinds(text: str) -> frozenset[str]:
    """The kinds of quantity a passage states: "duration", "age", "amount", "percentage", "count", "rate", ..."""
    return frozenset(q.kind for q in _quantities(text))


_UNLIMITED = re.compile(rf"\bunlimited\s+{_SKIP}(?P<noun>{_NOUNS})\b", re.IGNORECASE)
_PER_UNIT = re.compile(r"(?:\b(?:per|each|every)\s+|/\s*)(?P<unit>second|minute|hour|day|week|month|year)\b", re.IGNORECASE)
_COUNT_PERIOD_GAP = re.compile(r"\s*(?:worth\s+of\s+[A-Za-z-]+\s+)?(?:(?:per|each|every|in|a|an)\s+)?",
                               re.IGNORECASE)
# "2 chargebacks within 12 months", "3 strikes in any 90-day period": a count over a window.
_COUNT_WINDOW = re.compile(r"\s+(?:within|in|during|over)\s+(?:(?:an?|any|the\s+(?:past|last|same))\s+)?"
                           r"(?:(?:single|given|one)\s+)?", re.IGNORECASE)
_WORTH_GAP = re.compile(r"\s*(?:worth\s+of\s+[A-Za-z-]+\s*)?", re.IGNORECASE)  # "USD 500 worth of Coins a day"
_PERIOD_DAYS = {"hourly": 1 / 24, "daily": 1.0, "weekly": 7.0, "monthly": 30.0, "yearly": 365.0, "annual": 365.0}
_PERIOD_BEFORE = re.compile(r"\b(hourly|daily|weekly|monthly|yearly|annual)\s+"
                            r"(?:(?!(?:plans?|subscriptions?|tiers?|accounts?|memberships?)\b)[a-z]+\s+){0,2}?"
                            r"(?:limit|cap|maximum|allowance|budget|quota)\s+(?:is\s+|of\s+|at\s+)?"
                            r"(?:up\s+to\s+)?$",
                            re.IGNORECASE)


_CLAUSE_NUMBER = re.compile(r"\s*(?:(?:\d+\.)+\d+\.?|\d+\.)(?=\s+[A-Z(\d])")  # "5.1 Diamonds", not "1.5 million"
_SCALE_WORDS = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_BETWEEN_AGES = re.compile(r"\bbetween\s+the\s+ages\s+of(?=\s+\d)", re.IGNORECASE)
_HALF_SCALE = re.compile(r"\bhalf\s+an?\s+(thousand|million|billion)\b", re.IGNORECASE)
_SPELLED_TWICE = re.compile(rf"{_WORD_NUM}\s+\((?P<d>\d[\d,]*)\)", re.IGNORECASE)
def _named_before(before: str) -> bool:
    """Whether the text before a number ends in a name that is not the sentence's first word nor a region:
    "a Basecamp" in "a Basecamp 4 account"."""
    words = before.split()
    if len(words) < 2 or not before[-1:].isspace():
        return False
    last = words[-1]
    return (last[:1].isupper() and any(c.islower() for c in last) and last.isalpha()
            and not any(p.search(last) for _, p in _REGIONS))
_PER = re.compile(r"\b(?:per|each|every)\s+$", re.IGNORECASE)


_CHANGE = re.compile(r"\b(?:changed|increased|decreased|reduced|raised|lowered|extended|shortened|cut|moved|went"
                     r"|goes|go|rises?|rose|falls?|fell|drops?|dropped)\b[^.;:]{0,30}$", re.I)
_SUPERSEDED = re.compile(
    r"(?:\binstead\s+of|\brather\s+than|\bpreviously|\bformerly|\bno\s+longer|\b(?:down|up)\s+from|\breplac(?:ing|es)"
    r"|\b(?:changed|increased|decreased|reduced|raised|lowered|extended|shortened|cut|moved|went|goes|go)\s+from"
    r"|\b(?:it|this|that|the\s+\w+)\s+(?:was|used\s+to\s+be))\s+(?:the\s+|a\s+|an\s+)?$", re.I)


_NOT_REQUIRED = (r"needs?\s+not|needn't|(?:do|does|did)(?:\s+not|n't)\s+(?:need|have)(?:\s+to)?"
                 r"|(?:nobody|no\s+one|no-one)\s+(?:is\s+required\s+to|needs\s+to|needs|has\s+to)"
                 r"|(?:do|does|did)(?:\s+not|n't)\s+require|requires?\s+no\b"
                 r"|not\s+(?:required|mandatory|necessary)|optional|no\s+need")  # fmt: skip
# "no permission is needed", "without asking first": allowed without leave, which a prohibition contradicts.
_NO_LEAVE = r"no\s+(?:prior\s+)?(?:permission|consent|approval)\s+(?:is\s+)?(?:needed|required|necessary)"
_MODALS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rf"\b(?:{pattern})\b", re.I))
    for name, pattern in (
        ("permit", _NO_LEAVE),  # before "required" and "not": "no permission is required" permits
        ("permit", _NOT_REQUIRED),  # "you don't need to" permits not doing it; checked before "need to"
        ("forbid", r"may\s+not|may\s+never|cannot|can\s+not|can't|must\s+not|mustn't|must\s+never"
                   r"|(?:nobody|no\s+one|no-one)\s+(?:(?!you\b|we\b|they\b|it\b)[\w-]+\s+){0,4}?"
                   r"(?:can|may|is\s+allowed\s+to)"
                   # "Nobody, not even family, will ever get ...": the subject denies whatever follows.
                   r"|^\W*(?:nobody|no\s+one|no-one)\b(?![’']s)"
                   r"|(?:not|(?:is|are|was|were)n['’]t)\s+(?:allowed|permitted|eligible|able\s+to)|unable\s+to|ineligible"
                   r"|(?:won['’]t|will\s+not)\s+be\s+(?:able|allowed|permitted)\s+to"
                   # "is not intended for or allowed to be used as": the negation covers both
                   r"|not\s+(?:\w+\s+){1,3}?(?:or|nor)\s+(?:allowed|permitted)"
                   r"|prohibited|banned|forbidden|never"
                   # Judgements that work as modals: "is a violation", "isn't okay", "against our rules".
                   r"|(?:is|are)\s+(?:an?\s+)?violations?|(?:is|are)(?:\s+not|n't)\s+(?:ok|okay|fine|acceptable)|unacceptable"
                   r"|against\s+(?:the|our|these)\s+(?:rules|guidelines|terms|polic(?:y|ies))|not\s+tolerated"),
        ("require", r"must|requires?|required|needs?\s+to|ha(?:ve|s)\s+to|only\s+if|mandatory|shall"),
        # Advice, not a rule: "we recommend", "a good first step is to ...".
        ("advise", r"(?:we|i|they)\s+(?:strongly\s+)?(?:recommend|suggest|encourage|advise)"
                   r"|\w+\s+(?:strongly\s+)?(?:recommends|suggests|encourages|advises)(?!\s+(?:you|them|us)\s+(?:by|of)\b)"
                   r"|(?:is|are)\s+(?:strongly\s+)?(?:recommended|encouraged|advised)"
                   r"|(?:good|great|helpful|useful)\s+(?:first\s+)?(?:step|idea|practice)|best\s+practice"),
        ("permit", r"may|can|allowed|permitted|eligible|able\s+to|entitled"
                   r"|(?:is|are|it's|that's)\s+(?:ok|okay|fine|acceptable)"
                   r"|(?:you|we|they|he|she|I|users?|people|creators?|members?|customers?)"
                   r"(?:\s+(?:are|is|am)|'re|'s|'m)\s+(?:free|welcome)\s+to|feel\s+free\s+to"
                   r"|(?:do|does)(?:\s+not|n't)\s+mind"
                   r"|without\s+(?:having\s+to\s+)?ask(?:ing)?(?:\s+(?:first|for\s+permission))?"),
    )
)
_NOT_REQUIRED_RE = re.compile(rf"(?:{_NOT_REQUIRED})", re.I)
# "not just", "don't just": more, not less.
_NEGATION = re.compile(r"\b(?:not(?!\s+(?:just|only|merely)\b)|no|never|cannot)\b|n't\b(?!\s+(?:just|only|merely)\b)",
                       re.I)
_SCOPE_WORDS = "all|every|any|only|except|unless|anywhere|everywhere|worldwide|global(?:ly)?|whenever"
_SCOPE = re.compile(rf"\b({_SCOPE_WORDS})\b", re.I)
_STRESSED_NUMBER = re.compile(rf"\s+(?:(?!(?:to|for|in|on|at|by|with|from|of|the|a|an)\b)[a-z]+\s+){{0,2}}"
                              rf"(?:once|twice|{_NUM}\s+times\b)", re.IGNORECASE)
# "in any 12-month period": a rolling window, not a claim about every case.
_ANY_WINDOW = re.compile(rf"\s+(?:(?:single|given|one)\s+)?(?:{_NUM})[\s-]+(?:hours?|days?|weeks?|months?|years?)\b",
                         re.IGNORECASE)
_WINDOW_BEFORE = re.compile(r"\b(?:in|within|during|over)\s+$", re.IGNORECASE)
_SCOPE_ALIASES = {"everywhere": "anywhere", "globally": "global"}
_UNIVERSAL = frozenset({"all", "every", "any", "anywhere", "worldwide", "global", "whenever"})
_RESTRICTIVE = frozenset({"only", "except", "unless", "listed"})
_NEGATED_BEFORE = re.compile(r"(?:\bnot|n't|\bnever)\s+$", re.IGNORECASE)
_PLACES = r"(?:regions?|countries|country|markets?|territories|territory|locations?)"
_LISTED = re.compile(rf"\b(?:eligible|listed|supported|participating)\s+{_PLACES}\b"
                     rf"|\b{_PLACES}\s+(?:that\s+are\s+)?(?:listed|named)\b", re.IGNORECASE)

_EU_MEMBERS = ("Germany", "France", "Italy", "Spain", "Netherlands", "Ireland", "Poland", "Sweden", "Belgium",
               "Austria", "Portugal", "Denmark", "Finland", "Greece")  # fmt: skip
_COUNTRIES = ("Japan", "Brazil", "India", "Canada", "Mexico", "Australia", "China", "Indonesia", "Turkey",
              "Russia", "Singapore", "Philippines", "Vietnam", "Thailand", "Nigeria", "South Africa",
              "Switzerland", "Norway", "Iceland", "Liechtenstein") + _EU_MEMBERS  # fmt: skip
_REGIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("EU", re.compile(r"\bEU\b|\bEuropean\s+Union\b", re.I)),
    ("EEA", re.compile(r"\bEEA\b|\bEuropean\s+Economic\s+Area\b", re.I)),
    ("UK", re.compile(r"\bUK\b|\bU\.K\.|\bUnited\s+Kingdom\b|\b(?:Great\s+)?Britain\b", re.I)),
    # Upper case only: "us" is a pronoun ("contact us").
    ("US", re.compile(r"\bUSA?\b(?!\s?\$)|\bU\.S\.(?:A\.)?|\b(?i:United\s+States)\b")),
    ("South Korea", re.compile(r"\bSouth\s+Korea\b|(?<!North )\bKorea\b", re.I)),
    # "in Europe", "European users": the EEA, the UK and Switzerland, as privacy policies use it; not "European
    # Commission" or "European Union".
    ("Europe", re.compile(r"\bEurope\b|\bEuropean\s+(?:users?|residents?|customers?|citizens?|visitors?|countries)\b",
                          re.I)),
) + tuple((c, re.compile(r"\b" + c.replace(" ", r"\s+") + r"\b", re.I)) for c in _COUNTRIES)
_REGION_PARENTS = {c: {"EU", "EEA"} for c in _EU_MEMBERS} | {"EU": {"EEA"}, "EEA": {"EU"},
                   "Norway": {"EEA"}, "Iceland": {"EEA"}, "Liechtenstein": {"EEA"},
                   # "Europe" holds these, but is no parent of them: the UK and the EU are not one region.
                   "Europe": {"EU", "EEA", "UK", "Switzerland"}}  # fmt: skip


# Opposed states a rule can set, each phrased as a state ("private by default", "is turned off"), not as a
# noun ("a private individual", "public figures"), which names a subject rather than a rule.
_NOT_LINK = r"(?!(?:by|for|to|of|and|or|in|on|with|from)\b)"
_BOTH_TIERS = r"\b(?:free|paid)\s+(?:and|or)\s+(?:free|paid)\b"  # "free and paid accounts": neither alone
_TIERED = r"(?:accounts?|plans?|organi[sz]ations?|users?|tiers?|subscriptions?|customers?|versions?)\b"


_STATES: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (axis, pole, re.compile(pattern, re.IGNORECASE))
    for axis, pole, pattern in (
        ("visibility", "public", r"\b(?:is|are|be|being|set\s+to|made|becomes?|stays?|remains?)\s+public\b"
                                 r"|\bpublic\s+by\s+default\b"),
        ("visibility", "private", r"\b(?:is|are|be|being|set\s+to|made|becomes?|stays?|remains?)\s+private\b"
                                  r"|\bprivate\s+by\s+default\b"),
        ("switch", "on", r"\b(?:turned|switched|set|is|are|stays?|remains?)\s+on\b(?!\s+(?:the|a|an|your|their)\b)"
                         r"|\b(?:is|are)\s+enabled\b"),
        ("switch", "off", r"\b(?:turned|switched|set|is|are|stays?|remains?)\s+off\b|\b(?:is|are)\s+disabled\b"),
        ("duration", "permanent", r"\bpermanent(?:ly)?\b"),
        ("duration", "temporary", r"\btemporar(?:y|ily)\b"),
        ("trigger", "automatic", r"\bautomatic(?:ally)?\b"),
        ("trigger", "manual", r"\bmanual(?:ly)?\b|\bon\s+request\b"),
        ("price", "free", r"\b(?:is|are)\s+free\b(?!\s+to\b)|\bfree\s+of\s+charge\b|\bat\s+no\s+cost\b"),
        ("price", "paid", r"\b(?:is|are)\s+paid\b|\bcharges?\s+(?:a|an)\s+fee\b|\bfor\s+a\s+fee\b"),
        # Which accounts or plans a rule is for: "free organization accounts" vs "paid organizational accounts".
        ("tier", "free", rf"(?<![\w-])free\s+(?:{_NOT_LINK}[a-z]+\s+)?{_TIERED}|{_BOTH_TIERS}"),
        ("tier", "paid", rf"(?<![\w-])paid\s+(?:{_NOT_LINK}[a-z]+\s+)?{_TIERED}|{_BOTH_TIERS}"),
        # What kind of account a rule is for: "business accounts" vs "personal accounts".
        *(("account type", kind, rf"\b{words}(?:\s*(?:,|\band\b|\bor\b)\s*[a-z]+)*\s+(?:accounts?|profiles?|pages?)\b")
          for kind, words in (
            ("personal", "personal"), ("business", "business(?:es)?"), ("creator", "creator"),
            ("government", "government"), ("organisation", "(?:organi[sz]ation(?:al)?|brand|company)"),
            ("news", "news(?:\s+organi[sz]ation)?"))),
        # Consumer rights are not a business's: "if you are a consumer in the EU" vs "a business account".
        ("account type", "consumer", r"\b(?:are|is|as)\s+an?\s+consumers?\b|\bconsumers\s+(?:in|who|can|may)\b"),
    )
)


# Whether someone's leave is needed: "must request permission", "without their consent" in a prohibition, vs
# "no permission is needed", "can use it without asking for permission".
_LEAVE = r"(?:permission|consent|approval|authori[sz]ation)"
_LEAVE_NOT_NEEDED = re.compile(
    rf"\b(?:{_NO_LEAVE}|(?:do|does|did)(?:\s+not|n['’]t)\s+(?:need|have|require)(?:\s+to)?\s+"
    rf"(?:(?:ask|get|request|obtain|seek)\s+)?(?:(?:\w+\s+){{0,3}}?for\s+)?(?:\w+\s+){{0,2}}?{_LEAVE}"
    rf"|requires?\s+no\s+(?:\w+\s+){{0,2}}?{_LEAVE})\b", re.IGNORECASE)
_WITHOUT_LEAVE = re.compile(rf"\bwithout\s+(?:(?:asking|getting|seeking|requesting|obtaining)\b"
                            rf"|(?:[\w'’()-]+\s+){{0,5}}?{_LEAVE}\b)", re.IGNORECASE)
_LEAVE_NEEDED = re.compile(
    rf"\b(?:(?:must|need\s+to|needs\s+to|have\s+to|has\s+to|should)\s+(?:first\s+)?"
    rf"(?:request|obtain|get|ask\s+for|seek|receive|have)|requires?|only\s+with"
    # "we will ask for your consent before proceeding", "we'll always get your permission first"
    rf"|(?:will|['’]ll|always)\s+(?:first\s+)?(?:ask\s+(?:you\s+)?for|request|seek))"
    rf"\s+(?:[\w'’()-]+\s+){{0,4}}?{_LEAVE}\b",
    re.IGNORECASE)


_MENTIONS_LEAVE = re.compile(rf"{_LEAVE}|\bask(?:s|ed|ing)?\b|\bagree|\bapprov|\bauthori[sz]|\bgrant|\blicen[cs]",
                             re.IGNORECASE)


# Who a rule is for, named before its verb: "Parents can see ...", "Hosts must ...", "A seller may ...".
_ROLES = tuple((role, re.compile(rf"\b(?:{words})\b", re.IGNORECASE)) for role, words in (
    ("parent", r"parents?|guardians?"), ("teen", r"teens?|teenagers?|minors?|children|child"),
    ("host", r"hosts?"), ("guest", r"guests?"), ("viewer", r"viewers?"), ("buyer", r"buyers?"),
    ("seller", r"sellers?"), ("advertiser", r"advertisers?"), ("creator", r"creators?"),
    ("moderator", r"moderators?"), ("reviewer", r"reviewers?")))
ROLES = frozenset(role for role, _ in _ROLES)
_VERB = re.compile(r"\b(?:can|cannot|can't|may|must|will|won't|should|need\s+to|needs\s+to|have\s+to|has\s+to"
                   r"|is|are|get|gets|receive|receives)\b", re.IGNORECASE)


_SUBORDINATOR = re.compile(r"\s*(?:if|when|whenever|once|unless|before|after|until|while|because|as|since)\b",
                           re.IGNORECASE)


# "can be removed", "are linked": the subject is acted on.
_PASSIVE = re.compile(r"(?:can|cannot|can't|may|must|will|won't|should)(?:\s+not)?(?:\s+only)?\s+be\s+[a-z]+(?:ed|en)\b"
                      r"|(?:is|are)(?:\s+not)?\s+[a-z]+ed\b", re.IGNORECASE)
# A role word naming a kind of thing, not who acts: "teen accounts", "guest panel", "host tools".
_ROLE_MODIFIES = re.compile(r"\s+(?:accounts?|profiles?|panels?|tools?|settings|content|data|status|pages?|features?"
                            r"|badges?|rooms?|chats?|safety|privacy|protections?|programm?e?s?|policy|policies)\b",
                            re.IGNORECASE)


def _actors(plain: str) -> set[str]:
    """The roles named as the subjects of a sentence's main clauses, before their verbs ("Parents and guardians
    can ..." -> parent; "If you're a teen, your parent can ..." -> parent; "Teens can ..., and one parent
    can ..." -> teen and parent). A passive clause names none ("Guests can be removed by the host"), nor does a
    role word naming a kind of thing ("teen accounts")."""
    out: set[str] = set()
    for chunk in re.split(r"[,;:]\s+(?:and\s+|but\s+|or\s+)?", plain):
        m = _VERB.search(chunk)
        if m is None or m.start() == 0 or _SUBORDINATOR.match(chunk):
            continue
        if _PASSIVE.match(chunk, m.start()):
            continue  # "Guests can be removed by the host": the subject is acted on (and "by" may name the one
            # acting on something else: "they must be registered by their parent" against "teens can use it")
        subject = chunk[:m.start()]
        out |= {role for role, pattern in _ROLES
                if any(not _ROLE_MODIFIES.match(subject, r.end()) for r in pattern.finditer(subject))}
    return out


# Whether the person a rule affects is told before an action: "we will warn you by email prior to suspension",
# "with advance notice", against "without notice", "without any attempt to warn you first".
_TOLD = (r"(?:you|users?|them|members?|customers?|the\s+(?:user|account\s+holder|owner|seller|buyer|creator|uploader"
         r"|member|customer|host)s?)")
_NOTICE_FIRST = re.compile(
    rf"\b(?:warn|notify|tell|inform|email|contact)\s+{_TOLD}\s+(?:[\w'’-]+\s+){{0,4}}?(?:before|prior\s+to|in\s+advance|first)\b"
    r"|\b(?:advance|prior)\s+(?:written\s+)?(?:notice|warning)\b|\bnotice\s+(?:before|prior\s+to)\b"
    # "with 30 days' notice", "with reasonable notice", "after giving you notice": the person is told first.
    r"|\bwith\s+(?:(?:reasonable|written|\w+\s+days?['’]?)\s+)*notice\b|\bafter\s+(?:giving|sending)\s+(?:\w+\s+){0,2}notice\b",
    re.IGNORECASE)
_WITHOUT_NOTICE = re.compile(
    r"\bwithout\s+(?:(?:any|prior|advance|further|written|a|an|first|giving\s+(?:you|them)|(?:an?\s+)?attempt\s+to"
    r"|(?:an?\s+)?effort\s+to)\s+)*(?:warn(?:ing)?|notice|notif(?:y|ying|ication)|telling|informing)\b"
    r"|\bno\s+(?:prior\s+|advance\s+|further\s+)?(?:notice|warning)\b", re.IGNORECASE)
_NEGATED_NEAR = re.compile(r"\b(?:not|never|no)\b|n't\b", re.IGNORECASE)


def _notice(plain: str) -> str | None:
    """What a sentence says of warning the affected person first: "notice first", "without notice", or None (both
    or neither; and "we will not warn you before" or "are not required to notify you before" promise nothing)."""
    # "without notifying us" is the person skipping a step, not a notice they are owed.
    withouts = [m for m in _WITHOUT_NOTICE.finditer(plain) if not re.match(r"\s+us\b", plain[m.end():])]
    # "We never suspend your account without warning you first": a denied "without notice" is notice first.
    denied = [m for m in withouts if _NEGATED_NEAR.search(plain[max(0, m.start() - 40):m.start()])]
    rest = _WITHOUT_NOTICE.sub(" ", plain)  # "without any attempt to warn you first" promises no warning
    first = [m for m in _NOTICE_FIRST.finditer(rest) if not _NEGATED_NEAR.search(rest[max(0, m.start() - 30):m.start()])]
    given, none = bool(first or denied), len(withouts) > len(denied)
    if given == none:
        return None
    return "notice first" if given else "without notice"


def _leave(plain: str, modality: str) -> str | None:
    """What a sentence says of leave: "permission needed", "no permission needed", or None."""
    if _LEAVE_NOT_NEEDED.search(plain):
        return "no permission needed"
    if m := _WITHOUT_LEAVE.search(plain):
        # "You can use it without asking" allows it; "Photography ... without their consent" (an item in a
        # list of prohibitions) and "may not repost it without permission" require the leave.
        allowed = modality == "permit" and not _NEGATION.search(plain[:m.start()])
        return "no permission needed" if allowed else "permission needed"
    if _LEAVE_NEEDED.search(plain):
        return "permission needed"
    if modality == "permit" and not _MENTIONS_LEAVE.search(plain):
        return "allowed"  # "you're free to repost it": allowed outright, which a need for permission contradicts
    return None


def regions_of(text: str) -> frozenset[str]:
    """The regions a text names ("EU", "US", "Japan", ...)."""
    return frozenset(name for name, pattern in _REGIONS if pattern.search(text))


# "except in the EU and UK", "excluding Japan", "other than the US", "outside the EEA": the regions after such a
# word, to the end of its phrase, are where the rule does not apply ("except that you may use it in the EEA" is
# another rule, not a place).
_EXCEPT_PLACE = re.compile(r"\b(?i:except(?:\s+(?:in|for|within))?|excluding|other\s+than|outside(?:\s+of)?"
                           r"|apart\s+from|but\s+not(?:\s+in)?)\s+(?:the\s+)?[A-Z][^,;.()]*")  # a place, not "except that"
_OWN_RULE = re.compile(r",?\s+(?:where|in\s+which)\b", re.IGNORECASE)  # "except in the EU, where ..."


def excluded_regions(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(regions the rule applies in, regions it is said not to apply in): "may turn them on, except in the EU and
    UK" applies in no region it names and not in the EU or the UK. "except in the EU, where ..." gives the EU a
    rule of its own in the same sentence, so its regions are the sentence's, as before."""
    phrases = [m for m in _EXCEPT_PLACE.finditer(text) if not _OWN_RULE.match(text, m.end())]
    rest = text
    for m in reversed(phrases):
        rest = rest[:m.start()] + " " + rest[m.end():]
    return regions_of(rest), regions_of(" ".join(m.group(0) for m in phrases))


def only_forbids(text: str) -> bool:
    """Whether a text forbids and permits nothing: "Hosts must not", "Unacceptable behavior includes"; not
    "The following is allowed but is not eligible for recommendation" (a permission with a limit)."""
    plain = text.replace("’", "'")
    forbidding = [m.span() for name, pattern in _MODALS if name == "forbid" for m in pattern.finditer(plain)]
    permitting = [m.span() for name, pattern in _MODALS if name == "permit" for m in pattern.finditer(plain)]
    return bool(forbidding) and not any(not any(fs <= ps < fe for fs, fe in forbidding) for ps, _ in permitting)


def last_modal(text: str) -> int | None:
    """Where the modal nearest the end of a text starts ("must not A, and we may B": "may"), the longer of two
    ending together ("may not" over "not"); None when it has none."""
    plain = text.replace("’", "'")
    found = [((m.end(), m.end() - m.start()), m.start()) for _, pattern in _MODALS for m in pattern.finditer(plain)]
    return max(found)[1] if found else None


# "Don't feel like using the app? " before an answer; the dot of "wordpress.com" does not end it.
_LEAD_QUESTION = re.compile(r"(?:[^?.!]|[.!](?=\w)){1,150}\?\s+(?=\S)")


@functools.lru_cache(maxsize=8192)  # policy sentences recur across an article's statements; Facts is immutable
def extract_facts(text: str) -> Facts:
    """Extract quantities, modality, negation, scope words and regions from one sentence."""
    plain = text.replace("’", "'")
    # A question that leads into the answer ("Don't feel like using the app? Just email us") states no rule: its
    # modal and negation are not the statement's. What else it names still says whom the answer is for.
    asked = _LEAD_QUESTION.match(plain)
    answer = " " * asked.end() + plain[asked.end():] if asked else plain
    modality, modal = "none", ""
    # A lead-in to a list ("Hosts must not:") lends its modal to the items; on its own it states no rule.
    for name, pattern in () if plain.rstrip().endswith(":") else _MODALS:
        if m := pattern.search(answer):
            modality, modal = name, re.sub(r"\s+", " ", m.group(0).lower())
            if modal.startswith("without") and _NEGATION.search(answer[:m.start()]):
                modality = "forbid"  # "Do not repost it without asking first": asking is required
            break
    # "states don't all recognise it", "not every plan": a negated universal word claims no universal scope.
    # "only once", "only available once", "only 3 times": "only" stresses how often, compared as a number
    # ("only to users 18 or older" keeps its "only").
    scope = frozenset(_SCOPE_ALIASES.get(m.group(1).lower(), m.group(1).lower()) for m in _SCOPE.finditer(plain)
                      if not (m.group(1).lower() in _UNIVERSAL and _NEGATED_BEFORE.search(plain[:m.start()]))
                      and not (m.group(1).lower() == "only" and _STRESSED_NUMBER.match(plain, m.end()))
                      and not (m.group(1).lower() == "any" and _ANY_WINDOW.match(plain, m.end())
                               and _WINDOW_BEFORE.search(plain[:m.start()])))
    # "in an eligible region listed in 2.2"; not "regions not listed", which is often the default rule's scope.
    if _LISTED.search(plain):
        scope |= {"listed"}
    regions, excluded = excluded_regions(plain)
    if excluded - regions:
        scope |= {"except"}  # "other than the US", "outside the EEA": an exception, as "except" is
    leave = _leave(plain, modality)
    actors = _actors(plain)
    notice = _notice(plain)
    states = tuple(sorted({(axis, pole) for axis, pole, pattern in _STATES if pattern.search(plain)}
                          | ({("leave", leave)} if leave else set()) | ({("notice", notice)} if notice else set())
                          | {("actor", a) for a in actors}))
    return Facts(_quantities(text), modality, bool(_NEGATION.search(answer)), scope, regions, modal, states,
                 excluded - regions)


def _period(q: Quantity) -> float:
    """The days a count is over: its rate's period ("an hour") or its window ("within 12 months"); 0: none."""
    return q.per or q.window


def _comparable(a: Quantity, b: Quantity) -> bool:
    """Tell whether two quantities measure the same thing in the same unit over the same period. A window may go
    unsaid ("after 2 chargebacks" is about "2 chargebacks within 12 months"); a rate's period may not ("30 accounts
    an hour" is not "30 accounts"). "Times" over a period counts what the sentence does ("2 times in any 30-day
    period" is "2 requests" in it)."""
    pa, pb = _period(a), _period(b)
    units = a.unit == b.unit or (a.kind == "count" and pa > 0 and math.isclose(pa, pb) and "time" in (a.unit, b.unit))
    periods = math.isclose(pa, pb) or (a.window and not pb) or (b.window and not pa)
    return a.kind == b.kind and units and bool(periods)


def _same(a: Quantity, b: Quantity) -> bool:
    """Tell whether two comparable quantities state the same value or range (bound words aside)."""
    return math.isclose(a.low, b.low, rel_tol=1e-9) and math.isclose(a.high, b.high, rel_tol=1e-9)


def _fmt_number(v: float) -> str:
    """Format a number for a reason: 1,000 / 2.5."""
    return f"{int(v):,}" if float(v).is_integer() else f"{v:g}"


_PERIOD_NAMES = {round(1 / 24, 6): "per hour", 1.0: "per day", 7.0: "per week", 30.0: "per month", 365.0: "per year"}


def describe(q: Quantity) -> str:
    """Describe a quantity in normalised units: "90 days", "18 years", "USD 50", "20%", "1,000 followers"."""
    low, high, unit = q.low, q.high, q.unit
    if q.kind in ("duration", "rate") and unit == "day" and high < 1:
        hours = (low * 24, high * 24)
        # hours from one hour up, else the largest unit that counts it whole: 5 seconds, not 0.00138889 hours
        low, high, unit = next(((round(hours[0] * f, 6), round(hours[1] * f, 6), name)
                                for name, f in (("hour", 1), ("minute", 60), ("second", 3600))
                                if hours[1] >= 1 and f == 1 or all(float(round(v * f, 6)).is_integer() for v in hours)),
                               (*hours, "hour"))
    if q.kind == "rate":
        return "per " + (unit if low == high == 1 else f"{_fmt_number(low)} {_plural(unit)}")
    value = _fmt_number(low) if low == high else f"{_fmt_number(low)}-{_fmt_number(high)}"
    if q.per:
        period = _PERIOD_NAMES.get(round(q.per, 6)) or describe(Quantity("rate", q.per, q.per, "day", "exact", "", 0, 0))
        return describe(replace(q, per=0.0)) + " " + period
    if q.window:
        return describe(replace(q, window=0.0)) + " in " + describe(Quantity("duration", q.window, q.window, "day",
                                                                             "exact", "", 0, 0))
    if q.kind == "amount":
        return f"{unit} {value}"
    if q.kind == "percentage":
        return f"{value}%"
    if q.kind == "multiple":
        return f"{value} times"
    if math.isinf(low):
        return f"unlimited {_plural(unit)}"
    return f"{value} {unit if low == high == 1 else _plural(unit)}"


def agreeing_quantities(policy: Facts, article: Facts) -> int:
    """Count the article's quantities that equal a comparable policy quantity."""
    return sum(any(_comparable(p, a) and _same(p, a) for p in policy.quantities) for a in article.quantities)


def agreeing_kinds(policy: Facts, article: Facts) -> set[tuple[str, float]]:
    """(kind, period) of the article's quantities that equal a comparable policy quantity: ("duration", 0.0)."""
    return {(a.kind, _period(a)) for a in article.quantities
            if any(_comparable(p, a) and _same(p, a) for p in policy.quantities)}


def _scope_text(facts: Facts, words: frozenset[str]) -> str:
    """Describe a side's scope: its scope words then its regions, e.g. "only EU"."""
    return " ".join(sorted(facts.scope & words) + sorted(facts.regions))


def _with_parents(regions: AbstractSet[str]) -> set[str]:
    """The regions and those they belong to (an EU member: the EU and the EEA; "Europe": what it holds)."""
    return set(regions).union(*(_REGION_PARENTS.get(r, set()) for r in regions))


def regions_overlap(a: frozenset[str], b: frozenset[str]) -> bool:
    """Tell whether two region sets share a region, counting EU members and the EEA as overlapping."""
    return bool(_with_parents(a) & _with_parents(b))


def _scope_difference(policy: Facts, article: Facts) -> Difference | None:
    """Return a scope Difference: one side universal and the other restricted, or disjoint regions."""

    def restricted(f: Facts) -> bool:
        return bool(f.scope & _RESTRICTIVE or f.regions)

    def universal(f: Facts) -> bool:
        return bool(f.scope & _UNIVERSAL) and not restricted(f)

    if policy.excluded and not article.excluded and (
            any(_with_parents({r}) & policy.excluded for r in article.regions)
            or (not article.regions and article.scope & _UNIVERSAL)):
        # The article states the rule for a region the policy excepts ("in the EU" for "except in the EU and UK"),
        # or for everywhere ("worldwide" for "worldwide other than the US").
        p = "except " + " ".join(sorted(policy.excluded))
        a = _scope_text(article, _UNIVERSAL | _RESTRICTIVE)
        return Difference("scope", p, a, f"policy: {p}; article: {a}")
    if (restricted(policy) and universal(article)) or (universal(policy) and restricted(article)):
        p, a = _scope_text(policy, _UNIVERSAL | _RESTRICTIVE), _scope_text(article, _UNIVERSAL | _RESTRICTIVE)
    elif policy.regions and article.regions and (not regions_overlap(policy.regions, article.regions) or any(
            not regions_overlap(frozenset({r}), policy.regions) for r in article.regions)):
        # Disjoint regions, or the article extends the rule to a region the policy does not name ("EU and UK"
        # for "EU"); naming fewer regions than the policy ("EU" for "EU and UK") is still true of them.
        p, a = " ".join(sorted(policy.regions)), " ".join(sorted(article.regions))
    else:
        return None
    return Difference("scope", p, a, f"policy: {p}; article: {a}")


def _permission_difference(policy: Facts, article: Facts) -> Difference | None:
    """Return a permission Difference for may/may-not flips and must/need-not flips."""
    p_optional = policy.modality == "permit" and bool(_NOT_REQUIRED_RE.fullmatch(policy.modal))
    a_optional = article.modality == "permit" and bool(_NOT_REQUIRED_RE.fullmatch(article.modal))
    pair = {policy.modality, article.modality}
    flip = (pair == {"permit", "forbid"} and not p_optional and not a_optional) or (
        (policy.modality == "require" and a_optional) or (p_optional and article.modality == "require")
    ) or (policy.modality == "advise" and article.modality == "require")  # "a good first step is" vs "must"
    if not flip:
        return None
    reason = f"policy: {policy.modal}; article: {article.modal}"
    return Difference("permission", policy.modal, article.modal, reason)


def _state_difference(policy: Facts, article: Facts) -> Difference | None:
    """Return a state Difference when both sides set one opposed state on the same axis, and they differ
    ("private by default" vs "public by default"); a side naming both poles of an axis sets neither."""
    def single(f: Facts) -> dict[str, str]:
        poles: dict[str, set[str]] = {}
        for axis, pole in f.states:
            poles.setdefault(axis, set()).add(pole)
        return {axis: next(iter(p)) for axis, p in poles.items() if len(p) == 1}

    p, a = single(policy), single(article)
    for axis in sorted(p.keys() & a.keys()):
        if "allowed" in (p[axis], a[axis]) and (p[axis], a[axis]) != ("permission needed", "allowed"):
            continue  # an outright permission differs only from a policy that needs permission for it
        if p[axis] != a[axis]:
            kind = "scope" if axis == "actor" else "state"  # who a rule is for is its scope
            return Difference(kind, p[axis], a[axis], f"policy: {p[axis]}; article: {a[axis]}")
    return None


_NEGATION_CUE = re.compile(r"\b(?:not|never|cannot|no\s+longer|no)\b|n't\b", re.IGNORECASE)
# "stops counting", "ceases to apply": the verb is not stated plainly, so it flips nothing ("no longer counts"
# agrees), though neither is it a negation a plain statement flips ("stop sharing" is "turn off sharing").
_STOPPED = re.compile(r"\b(?:stop(?:s|ped)?|ceas(?:e|es|ed))\s+(?:to\s+)?([a-z]+)", re.IGNORECASE)
_NEGATION_SKIP = frozenset((
    "be", "been", "being", "is", "are", "was", "were", "do", "does", "did", "have", "has", "had", "get", "gets",
    "always", "yet", "also", "simply", "currently", "automatically", "immediately", "directly", "even", "just",
    "a", "an", "the", "any", "to", "by", "itself", "themselves", "only", "ever", "usually", "normally", "longer",
    "able", "going", "willing",  # "won't be able to restore" negates "restore"
    # pronouns name who, not what is negated: "can't get you back in" negates "back", not "you"
    "i", "me", "my", "you", "your", "we", "us", "our", "it", "its", "they", "them", "their", "he", "him", "she", "her",
))
_stemmer = Stemmer.Stemmer("english")


def stems(text: str) -> frozenset[str]:
    """Snowball stems of a text's words."""
    return frozenset(_stemmer.stemWords([w.lower() for w in re.findall(r"[A-Za-z]+", text.replace("’", "'"))]))


SCALE = 30.0  # how far apart two numbers of one kind can be and still be read as one rule changed
_CONTEXT = 8  # words either side of a number, within its clause, that say what it quantifies (dev: 8 to 10)
_CONTEXT_STOP = stems("the a an and or of to in on for is are be by at it its this that with as from per if "
                      "will may can you your we our they their within after before up least most than more less")
_MARGIN = 2  # context words by which the differing number must beat every other of the article's numbers


def _context(text: str, q: Quantity) -> frozenset[str]:
    """The words around a number within its own clause ("plus an extra 3% if they pay by card", not the fee before)."""
    before = re.split(r"[,;:]", text[:q.start])[-1].split()[-_CONTEXT:]
    after = re.split(r"[,;:]", text[q.end:])[0].split()[:_CONTEXT]
    return stems(" ".join(before + after)) - _CONTEXT_STOP


def same_scale(policy: Facts, article: Facts, factor: float = SCALE) -> bool:
    """Whether a number of the policy and a comparable one of the article are within `factor` of each other:
    "5 seconds" and "24 hours" (17,280 times apart) are about different things."""
    return any(_comparable(p, a) and max(p.high, a.high) <= factor * max(min(p.low, a.low), 1e-9)
               for p in policy.quantities for a in article.quantities)


def misaligned(policy_text: str, policy: Facts, article_text: str, article: Facts) -> dict[str, Difference]:
    """Differences hidden by a number that agrees about something else, keyed by the article's number as
    described. The article number is compared with the policy number whose clause it shares most words with
    (by _MARGIN more than any other): in "a 5% service fee per transaction, plus 3% by credit card" against
    "a service fee of 3% per transaction", the 5% with the 3%; in "buyers get 14 days to return an item"
    against "sellers get 14 days to ship, and buyers get 30 days to return an item", the 14 with the 30."""
    out: dict[str, Difference] = {}

    def add(p: Quantity, a: Quantity) -> None:
        out[describe(a)] = Difference(a.kind, describe(p), describe(a),
                                      f"policy: {describe(p)}; article: {describe(a)}", _period(a))

    def closest(q: Quantity, q_text: str, rivals: list[Quantity], r_text: str) -> Quantity | None:
        shared = sorted(((len(_context(q_text, q) & _context(r_text, r)), k) for k, r in enumerate(rivals)),
                        reverse=True)
        (top, k), (second, _) = shared[0], shared[1]
        return rivals[k] if top - second >= _MARGIN else None

    sides = ((policy, policy_text, article, article_text), (article, article_text, policy, policy_text))
    for turn, (mine, mine_text, other, other_text) in enumerate(sides):
        for q in mine.quantities:
            rivals = [r for r in other.quantities if _comparable(q, r)]
            if len(rivals) >= 2 and any(_same(q, r) for r in rivals):
                r = closest(q, mine_text, rivals, other_text)
                if r is not None and not _same(q, r):
                    add(*((q, r) if turn == 0 else (r, q)))  # add(policy number, article number)
    return out


def negated_terms(text: str) -> frozenset[str]:
    """Stems of the words a negation applies to: "does not unlock" -> {"unlock"}, "no access" -> {"access"}."""
    out = set()
    plain = text.replace("’", "'")
    for m in _NEGATION_CUE.finditer(plain):
        for word in re.findall(r"[A-Za-z]+", plain[m.end():m.end() + 60])[:4]:
            if word.lower() not in _NEGATION_SKIP and len(word) > 1:  # not an item's letter: "must not: (b) offer"
                out.add(_stemmer.stemWord(word.lower()))
                break
    return frozenset(out)


def negation_flip(policy: str, article: str) -> str | None:
    """The word one side negates and the other states plainly ("does not unlock" vs "can unlock"), if any."""
    neg_p, neg_a = negated_terms(policy), negated_terms(article)
    plain_p = stems(policy) - {_stemmer.stemWord(m.group(1).lower()) for m in _STOPPED.finditer(policy)}
    plain_a = stems(article) - {_stemmer.stemWord(m.group(1).lower()) for m in _STOPPED.finditer(article)}
    if neg_p and neg_a and not neg_p & neg_a:
        # Both deny, in different words ("won't turn off forks" and "will not disable forks ... when disabling a
        # repository"): only a word the article denies and the policy states is a flip ("belongs to the
        # company, not to any individual" vs "owned by individuals, not by organizations").
        flipped = sorted((neg_a - neg_p) & plain_p)
        return flipped[0] if flipped else None
    flipped = sorted(((neg_p - neg_a) & plain_a) | ((neg_a - neg_p) & plain_p))
    return flipped[0] if flipped else None


# What an organisation does at its discretion or for certain: "we may suspend", "Gifts may be reversed" (a
# passive), against "we will suspend", "will be reversed"; not "you may delete" (a person's permission).
_MODAL_VERB = re.compile(r"\b(?:(?P<we>we)\s+)?(?P<modal>may|might|could|will|shall)(?:\s+(?:also|then|only|still))*"
                         r"\s+(?P<be>be\s+)?(?P<verb>[a-z]+)|\b(?P<we2>we)['’]ll(?:\s+(?:also|then|only|still))*"
                         r"\s+(?P<be2>be\s+)?(?P<verb2>[a-z]+)", re.IGNORECASE)
_DISCRETION = frozenset({"may", "might", "could"})
_EITHER = re.compile(r"\b([a-z]{3,})\s+or\s+(?:an?\s+|the\s+)?([a-z]{3,})\b", re.IGNORECASE)
_REQUIRES = re.compile(r"\b(?:must|needs?|needed|requires?|required|ha(?:ve|s)\s+to|mandatory)\b", re.IGNORECASE)
_BOTH = re.compile(r"\b([a-z]{3,})\s+and\s+(?:an?\s+|the\s+)?([a-z]{3,})\b", re.IGNORECASE)


def _modal_verbs(text: str) -> dict[str, set[str]]:
    """Stems of the verbs an organisation ("we") or a passive leaves to discretion ("may/might/could") or
    makes certain ("will/shall/'ll")."""
    out: dict[str, set[str]] = {"discretion": set(), "certainty": set()}
    for m in _MODAL_VERB.finditer(text.replace("’", "'")):
        modal, verb = (m.group("modal") or "will").lower(), (m.group("verb") or m.group("verb2")).lower()
        organisation = m.group("we") or m.group("we2")
        passive = (m.group("be") or m.group("be2")) and verb.endswith(("ed", "en"))
        if verb not in ("not", "never") and (organisation or passive):
            out["discretion" if modal in _DISCRETION else "certainty"] |= stems(verb)
    return out


def _joined(text: str, pattern: re.Pattern[str], a: str, b: str) -> bool:
    """Whether text joins the words a and b with the pattern's conjunction, possibly with words between."""
    return any({m.group(1).lower(), m.group(2).lower()} == {a, b} for m in pattern.finditer(text))


_CONDITION_WORDS = stems("unless only if as long so provided")
_ANY_CONDITION = re.compile(r"\b(?:unless|only\s+if|if|as\s+long\s+as|so\s+long\s+as|provided(?:\s+that)?)\b",
                            re.IGNORECASE)


def _condition(text: str) -> tuple[str, str] | None:
    """(marker, words) of a sentence's first condition ("unless", "they start court action"), or None without
    one or for an "unless ..., in which case" (then "unless" names another rule's case, not an exception)."""
    m = _ANY_CONDITION.search(text)
    if m is None or re.search(r"\bin\s+which\s+case\b|\botherwise\b", text, re.IGNORECASE):
        return None
    return m.group(0).lower(), re.split(r"[,;.]", text[m.end():], maxsplit=1)[0]


def _reversed_condition(policy: str, article: str) -> tuple[str, str] | None:
    """(policy's, article's) condition when both set one on the same words in opposite senses: "restored unless
    they start court action" (or "if they do not start ...") vs "restored if they start court action". A
    condition holds when its words are false if it is an "unless", or if it negates a word the other condition
    uses ("if they do not tell us" vs "if they tell us"; not "if you can't log in because you are banned" vs
    "if you are banned"); so "if they don't respond" and "unless they respond" agree."""
    mine, theirs = _condition(article), _condition(policy)
    if mine is None or theirs is None:
        return None
    a, b = stems(mine[1]) - _CONTEXT_STOP, stems(theirs[1]) - _CONTEXT_STOP
    if not (a and b) or len(a & b) < 0.5 * min(len(a), len(b)):
        return None

    def negative(condition: tuple[str, str], other: frozenset[str]) -> bool:
        return (condition[0] == "unless") != bool(negated_terms(condition[1]) & other)

    def shown(condition: tuple[str, str], other: frozenset[str]) -> str:
        return condition[0] + (" not" if condition[0] != "unless" and negative(condition, other) else "")

    if negative(mine, b) == negative(theirs, a):
        return None
    # The rest of the sentence must state the same rule with the same polarity: "you may not use it unless you are
    # 13" is "you can use it if you are 13", and "we retain it unless you ask" is not "we delete it if you ask".
    main_mine, main_theirs = article.replace(mine[1], " "), policy.replace(theirs[1], " ")
    if bool(_NEGATION.search(main_mine)) != bool(_NEGATION.search(main_theirs)):
        return None
    c, d = stems(main_mine) - _CONTEXT_STOP - _CONDITION_WORDS, stems(main_theirs) - _CONTEXT_STOP - _CONDITION_WORDS
    if not (c and d) or len(c & d) < max(2.0, 0.4 * min(len(c), len(d))):
        return None
    return shown(theirs, a), shown(mine, b)


def wording_flip(policy: str, article: str) -> Difference | None:
    """A one-word change in two sentences that say nearly the same, which turns the rule around:
    - a condition reversed: "restored ... unless they start court action" vs "restored ... if they start";
    - discretion made certain: "may be reversed" vs "will be reversed";
    - in a requirement, alternatives made a combination, or the reverse: "must have a verified phone number
      or email address" vs "must have both a verified phone number and a verified email address" (the pair's
      words with "or" on one side, "and" on the other)."""
    if reversed_condition := _reversed_condition(policy, article):
        p_side, a_side = reversed_condition
        return Difference("permission", p_side, a_side, f"policy: {p_side}; article: {a_side}")
    # Only discretion made certain: an article that hedges a promise ("we may review" for "we will review")
    # misleads less than one that promises what the policy leaves open, and writers hedge often.
    mine, theirs = _modal_verbs(article), _modal_verbs(policy)
    if (theirs["discretion"] - theirs["certainty"]) & (mine["certainty"] - mine["discretion"]):
        return Difference("permission", "may", "will", "policy: may; article: will")
    words_a = {w.lower() for w in re.findall(r"[A-Za-z]+", article)}
    words_p = {w.lower() for w in re.findall(r"[A-Za-z]+", policy)}
    # Alternatives ("or") on one side that the other joins ("and", "both ... and"): either side may be the policy.
    # Only where both sides require, positively, with the pair after the requirement word in its clause: "you may
    # copy and distribute it" and "... or ..." agree, a ban on "A or B" bans both, and "open to residents of A
    # and B" names who is eligible, not what one person needs.
    for first, second, p_word, a_word in ((policy, article, "or", "and"), (article, policy, "and", "or")):
        for m in _EITHER.finditer(first):
            a, b = m.group(1).lower(), m.group(2).lower()
            if not ({a, b} <= words_a & words_p and _required(first, m.start())) or _joined(second, _EITHER, a, b):
                continue
            both = [j for j in _BOTH.finditer(second) if {j.group(1).lower(), j.group(2).lower()} == {a, b}]
            both += list(re.finditer(rf"\bboth\b[^.;]*\b{a}\b[^.;]*\band\b[^.;]*\b{b}\b", second, re.IGNORECASE))
            if any(_required(second, j.start()) for j in both):
                return Difference("permission", f"{a} {p_word} {b}", f"{a} {a_word} {b}",
                                  f"policy: {a} {p_word} {b}; article: {a} {a_word} {b}")
    return None


def _required(text: str, at: int) -> bool:
    """Whether a requirement word ("must", "need", "has to") comes before position `at` in the same clause, with
    no negation after it ("must not harass or bully" bans both, whichever conjunction)."""
    clause = re.split(r"[.;]", text[:at])[-1]
    found = list(_REQUIRES.finditer(clause))
    return bool(found) and not _NEGATION.search(clause[found[-1].start():])


QUALITATIVE = ("permission", "scope", "state")  # the kinds of Difference that are not numbers


def compare(policy: Facts, article: Facts) -> list[Difference]:
    """List how the article's facts disagree with the policy's: quantities, then permission, then scope."""
    differences: list[Difference] = []
    for a in article.quantities:
        comparable = [p for p in policy.quantities if _comparable(p, a)]
        if not comparable and _period(a):
            # "2 requests per month" against "2 requests per year": the same number over another period.
            comparable = [p for p in policy.quantities if p.kind == a.kind and _period(p) and p.unit == a.unit
                          and _same(p, a)]
        if comparable and not any(_same(p, a) and _comparable(p, a) for p in comparable):
            p_text = " or ".join(dict.fromkeys(describe(p) for p in comparable))
            d = Difference(a.kind, p_text, describe(a), f"policy: {p_text}; article: {describe(a)}", _period(a))
            if d not in differences:
                differences.append(d)
    permission = _permission_difference(policy, article)
    complementary = permission is not None and _complementary(policy, article)
    if complementary:
        permission = None  # "under 18 cannot" and "over 18 can" say the same of two complementary groups
    if permission is None:
        # "must be at least 18 to go LIVE" against "under 18 can go LIVE": the group a requirement leaves out may
        # not; "aged 16 ... cannot receive Gifts" against "You must be 16 to receive Gifts": opposite rules for 16.
        below = not complementary and (policy.modality, article.modality) == ("require", "permit")
        groups = (_below_requirement(policy, article) if below else None) or (
            None if differences else _opposed_age_groups(policy, article))
        if groups:
            p_side, a_side = f"{groups[0]} ({policy.modal})", f"{groups[1]} ({article.modal})"
            permission = Difference("permission", p_side, a_side, f"policy: {p_side}; article: {a_side}")
    for extra in (permission, _scope_difference(policy, article), _state_difference(policy, article)):
        if extra is not None:
            differences.append(extra)
    return differences


def _age_groups(facts: Facts) -> list[tuple[float, float, int, str]]:
    """(youngest, oldest, +1 allowed / -1 not, as written) for each age group a sentence rules on: "under 16
    cannot" is (-inf, <16, -1); "must be 16" is (16, inf, +1) and, for those younger, (-inf, <16, -1)."""
    sign = {"permit": 1, "require": 1, "forbid": -1}.get(facts.modality)
    out: list[tuple[float, float, int, str]] = []
    for q in facts.quantities if sign else ():
        if q.kind != "age":
            continue
        if q.bound == "max":
            out.append((-math.inf, q.high - 0.5, sign, q.text))
            continue
        low, high = q.low, (math.inf if q.bound == "min" or (facts.modality == "require" and q.low == q.high)
                            else q.high)
        out.append((low, high, sign, q.text))
        if facts.modality == "require" and high == math.inf:
            out.append((-math.inf, low - 0.5, -1, f"under {_fmt_number(low)}"))
    return out


def _opposed_age_groups(policy: Facts, article: Facts) -> tuple[str, str] | None:
    """(policy's group, article's group) when the two sides rule opposite ways on some age they both cover;
    only for sentences with one age each ("the parent must be 18 or older and the teen 13 to 17" rules on two
    people, not on two groups of one)."""
    if sum(q.kind == "age" for q in policy.quantities) != 1 or sum(q.kind == "age" for q in article.quantities) != 1:
        return None
    return next(((pt, at) for pl, ph, ps, pt in _age_groups(policy) for al, ah, as_, at in _age_groups(article)
                 if ps != as_ and max(pl, al) <= min(ph, ah)), None)


def _below_requirement(policy: Facts, article: Facts) -> tuple[str, str] | None:
    """(policy's minimum, article's maximum) as written, when the policy requires at least a value ("at least
    18") and the article speaks of those under it ("under 18"); None otherwise."""
    return next(((p.text, a.text) for p in policy.quantities for a in article.quantities
                 if _comparable(p, a) and (p.bound, a.bound) == ("min", "max")
                 and (p.low, p.high) == (a.low, a.high)), None)


def _complementary(policy: Facts, article: Facts) -> bool:
    """Whether the two sides bound a quantity at the same value from opposite sides ("under 18", "18 or
    older"), each then speaking of the group the other leaves out. (That "18 or older can" and "under 18 can"
    then differ is not said: a statement may narrow its group in words, "over 13 ... with a verified phone".)"""
    def opposite(p: Quantity, a: Quantity) -> bool:
        return _comparable(p, a) and {p.bound, a.bound} == {"min", "max"} and (p.low, p.high) == (a.low, a.high)

    def same(p: Quantity, a: Quantity) -> bool:
        return _comparable(p, a) and p.bound == a.bound and (p.low, p.high) == (a.low, a.high)

    # A side that states both groups ("more than 1 active strike ... until it is back to 1 or fewer") is
    # compared on the group both name.
    return any(opposite(p, a) and not any(same(q, a) for q in policy.quantities)
               and not any(same(p, q) for q in article.quantities)
               for p in policy.quantities for a in article.quantities)


_BARE_NUMBER = re.compile(rf"(?P<n>{_DIGITS})(?P<plus>\+)?")


def read_cell(header: str, cell: str, about: str = "") -> str:
    """A table cell read with its column header (and the row's first cell), so that a bare number has a unit.

    "Minimum age to send Gifts" / "19" reads "Minimum age to send Gifts: aged 19 or older"; "Follower
    minimum" / "1,000" reads "Follower minimum: at least 1,000 followers"; in the row about "Follow accounts",
    "Limit per hour" / "30" reads "Limit per hour: 30 accounts per hour"; any other cell is "header: cell".
    """
    m = _BARE_NUMBER.fullmatch(cell.strip())
    if m is None:
        return f"{header}: {cell}"
    n, plus = m.group("n"), bool(m.group("plus"))
    minimum = plus or re.search(r"\bmin(?:imum)?\b", header, re.I) is not None
    maximum = re.search(r"\bmax(?:imum)?\b", header, re.I) is not None
    if re.search(r"\bages?\b", header, re.I):
        return f"{header}: aged {n}" + (" or older" if minimum else " or younger" if maximum else "")
    period = _PER_PERIOD.search(header)
    # The row names what is counted: its first plural noun ("Post videos": videos; "post" is the verb).
    row = sorted(re.findall(r"[A-Za-z-]+", about), key=lambda w: _lemma(w) == w.lower()) if period else []
    nouns = re.findall(r"[A-Za-z-]+", header) + row
    noun = next((_lemma(w) for w in nouns if _lemma(w) in _COUNT_NOUNS), None)
    if noun is not None and not plus:  # "Receive Gifts" / "19+" is an age, which "19+" says by itself
        bound = "at least " if minimum else "at most " if maximum else ""
        return f"{header}: {bound}{n} {_plural(noun)}" + (f" {period.group(0)}" if period else "")
    return f"{header}: {cell}"


_PER_PERIOD = re.compile(r"\b(?:per|each|every)\s+(?:\d+\s+)?(?:second|minute|hour|day|week|month|year)s?\b",
                         re.IGNORECASE)
