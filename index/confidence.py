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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.answertype import answer_type_missing
from index.lexical import LexicalIndex, tokenize

CALIBRATION = Path(__file__).with_name("calibration.json")
FEATURES = ("dense_top", "dense_gap", "coverage", "missing_idf", "answer_type_missing")


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
