"""Calibrated confidence that a search found a clause that answers the query, and abstention.

Features are cheap signals every hybrid search already has: the best dense similarity, how far it
stands above the fifth, lexical evidence (how much of the query's idf-weighted vocabulary the top
clauses contain, and the rarest query term they lack: near-miss questions name something specific,
"Singapore office", "rose gift", that no clause mentions), and the expected answer type: a question
that asks for a number ("how long", "how much", "minimum age") whose top clauses state no number of
that kind is rarely answered by them. A logistic model over them is fitted on the dev splits by
`python -m eval.calibrate`, which writes calibration.json beside this module.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from consistency.facts import quantity_kinds
from index.lexical import LexicalIndex, tokenize

CALIBRATION = Path(__file__).with_name("calibration.json")
FEATURES = ("dense_top", "dense_gap", "coverage", "missing_idf", "answer_type_missing")

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


def answer_type_missing(query: str, top_texts: Sequence[str]) -> float:
    """1.0 when the query asks for a number of some kind and none of the top texts states one, else 0.0.

    (Counting any bare number as an answer to "how many" fired less on answerable dev queries but missed
    more unanswerable ones.)"""
    wanted = frozenset().union(*(kinds for pattern, kinds in _ASKS if pattern.search(query)))
    if not wanted:
        return 0.0
    worded = [pattern for kind, pattern in _WORDED.items() if kind in wanted]
    return 0.0 if any(quantity_kinds(text) & wanted or any(p.search(text) for p in worded) for text in top_texts) else 1.0


def features(query: str, dense_scores: Sequence[float], top_texts: Sequence[str], lexical: LexicalIndex) -> dict[str, float]:
    """The confidence features of one search (dense scores in rank order, texts of the top hits)."""
    top = float(dense_scores[0]) if len(dense_scores) else 0.0
    fifth = float(dense_scores[min(4, len(dense_scores) - 1)]) if len(dense_scores) else 0.0
    terms = list(dict.fromkeys(tokenize([query])[0]))
    typed = answer_type_missing(query, top_texts)
    if not terms:
        return {"dense_top": top, "dense_gap": top - fifth, "coverage": 0.0, "missing_idf": 0.0,
                "answer_type_missing": typed}
    idf = lexical.idf(terms)
    present = set(tokenize([" ".join(top_texts)])[0])
    found = np.array([t in present for t in terms])
    max_idf = math.log1p((lexical.size + 0.5) / 0.5)
    return {
        "dense_top": top,
        "dense_gap": top - fifth,
        "coverage": float(idf[found].sum() / idf.sum()) if idf.sum() > 0 else 0.0,
        "missing_idf": float(idf[~found].max() / max_idf) if (~found).any() else 0.0,
        "answer_type_missing": typed,
    }


@dataclass(frozen=True, slots=True)
class Calibration:
    """Logistic model over FEATURES, and the confidence below which a search abstains."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    fitted_on: str = ""
    model: str = "all-MiniLM-L6-v2"  # similarities mean different things per model: use it only with this one
    features: tuple[str, ...] = FEATURES  # the subset of FEATURES the weights apply to

    def confidence(self, feats: dict[str, float]) -> float:
        z = self.bias + sum(w * feats[name] for w, name in zip(self.weights, self.features))
        return 1.0 / (1.0 + math.exp(-z))

    def save(self, path: Path = CALIBRATION) -> None:
        data = {"model": self.model, "features": self.features, "weights": self.weights, "bias": self.bias,
                "threshold": self.threshold, "fitted_on": self.fitted_on}
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, model: str, path: Path = CALIBRATION) -> Calibration | None:
        """The calibration for this model, or None when there is none (then searches never abstain)."""
        if not path.exists():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        if not set(data["features"]) <= set(FEATURES):
            raise ValueError(f"{path} uses unknown features; refit with `python -m eval.calibrate`")
        if data.get("model") != model:
            return None
        return cls(tuple(data["weights"]), data["bias"], data["threshold"], data.get("fitted_on", ""), data["model"],
                   tuple(data["features"]))
