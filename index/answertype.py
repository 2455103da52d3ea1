"""The kind of answer a question asks for ("how long": a duration; "minimum age": an age), and whether a text
states one: read by the confidence model (a question asking for a number whose top clauses state none is rarely
answered by them) and by the best-sentence highlight (the sentence with the duration answers "how long")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from consistency.facts import quantity_kinds

# What a question asks for, and the kinds of quantity that would answer it ("how many days": either).
_ASKS = tuple((re.compile(pattern, re.IGNORECASE), frozenset(kinds)) for pattern, kinds in (
    ((r"\bhow\s+old\b|\b(?:minimum|maximum|min|max)\s+age\b|\bage\s+(?:limit|requirement)\b|\bwhat\s+age\b"
     r"|\bold\s+enough\b"), ("age",)),
    ((r"\bhow\s+(?:long|soon|quickly)\b|\bhow\s+(?:many|much)\s+(?:advance\s+)?(?:days?|weeks?|months?|hours?|years?"
     r"|minutes?|seconds?|time|notice|warning)\b|\bin\s+(?:seconds|minutes|hours|days)\b"), ("duration",)),
    (r"\bhow\s+many\b|\b(?:maximum|minimum|max|min)\s+(?:number|amount)\b", ("count", "amount", "percentage")),
    ((r"\bhow\s+much\b(?!\s+(?:advance\s+)?(?:time|notice|warning)\b)"
     r"|\bwhat(?:\s+(?:is|are)|['’]s)\s+the\s+(?:[\w-]+\s+){0,2}(?:fees?|costs?|prices?|charges?)\b"
     r"|\bwhat\s+does\s+(?:[\w.-]+\s+){0,4}cost\b"
     r"|\b(?:does|do|will|would)\s+(?:it|that|this)\s+cost\b|\bcosts?\s+(?:to|for)\b|\b(?:dollar|euro)\s+amount\b"),
     ("amount", "percentage", "count")),
    (r"\bwhat\s+(?:percentage|percent|share|cut)\b", ("percentage",)),
))
# Answers in words: "as long as your account is active", "free of charge", "unlimited".
_WORDED = {
    "duration": re.compile(r"\bas\s+long\s+as\b|\buntil\b|\bindefinitely\b|\bpermanently\b|\bimmediately\b"
                           r"|\bpromptly\b|\bwithout\s+(?:undue\s+)?delay\b|\bfor\s+the\s+(?:life|lifetime|duration)\b",
                           re.IGNORECASE),
    "amount": re.compile(r"\bfree\s+of\s+charge\b|\b(?:is|are)\s+free\b(?!\s+to\b)|\bfor\s+free\b|\bno\s+(?:charge|cost|fee)s?\b"
                         r"|\bat\s+no\s+(?:extra\s+|additional\s+)?cost\b", re.IGNORECASE),
    "count": re.compile(r"\bunlimited\b|\bno\s+(?:limit|maximum|cap)\b|\bany\s+number\s+of\b|\btwice\b",
                        re.IGNORECASE),
}


def asked_kinds(query: str) -> frozenset[str]:
    """The kinds of quantity that would answer the query ("how many days": duration or count); empty when it
    asks for no number."""
    return frozenset().union(*(kinds for pattern, kinds in _ASKS if pattern.search(query)))


def states_kind(text: str, wanted: frozenset[str]) -> bool:
    """Whether a text states a quantity of one of the wanted kinds, in figures or in words ("unlimited")."""
    return bool(wanted) and (bool(quantity_kinds(text) & wanted)
                             or any(p.search(text) for kind, p in _WORDED.items() if kind in wanted))


def answer_type_missing(query: str, top_texts: Sequence[str]) -> float:
    """1.0 when the query asks for a number of some kind and none of the top texts states one, else 0.0.

    (Counting any bare number as an answer to "how many" fired less on answerable dev queries but missed
    more unanswerable ones; asking the number to be in a sentence naming the query's own terms, and more
    patterns such as "limit" and "smallest amount", changed nothing in cross-validation on dev.)"""
    wanted = asked_kinds(query)
    return 0.0 if not wanted or any(states_kind(text, wanted) for text in top_texts) else 1.0
