"""Consistency cases -> per-label precision, recall, F1 and a confusion matrix (scikit-learn metrics)."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from consistency.checker import CONTRADICTED, NOT_COVERED, SUPPORTED, Checker
from eval.labels import DocumentCache, read_jsonl
from eval.quotes import find_quote

LABELS = (SUPPORTED, CONTRADICTED, NOT_COVERED)


def evaluate_cases(checker: Checker, cases: Sequence[dict[str, Any]], corpus: Path) -> dict[str, Any]:
    """Run the checker on every case and score its verdicts against the labels."""
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    docs = DocumentCache(corpus)
    gold, pred, rows, latencies, cited = [], [], [], [], 0
    for case in cases:
        t = time.perf_counter()
        verdict = checker.check(case["statement"], case.get("filters"))
        latencies.append((time.perf_counter() - t) * 1000)
        gold.append(case["verdict"])
        pred.append(verdict.verdict)
        ev = verdict.evidence[0].clause if verdict.evidence else None
        right_place = False
        if ev is not None and case["verdict"] == verdict.verdict != NOT_COVERED:
            for g in case.get("evidence", []):
                if "quote" not in g:  # cases over corpora we may not copy name the document only
                    right_place |= g["doc_id"] == ev.doc_id
                    continue
                doc = docs.get(g["doc_id"])
                if not isinstance(doc, str) and g["doc_id"] == ev.doc_id:
                    right_place |= any(s.char_start < ev.char_end and ev.char_start < s.char_end and s.page == ev.page
                                       for s in find_quote(doc, g["quote"]))
            cited += right_place
        rows.append({"case_id": case["case_id"], "gold": case["verdict"], "kind": case.get("kind"),
                     "predicted": verdict.verdict, "reason": verdict.reason, "evidence_matches": right_place,
                     "evidence": None if ev is None else ev.clause_id})
    p, r, f, n = precision_recall_fscore_support(gold, pred, labels=list(LABELS), zero_division=0)
    correct_decided = sum(g == q != NOT_COVERED for g, q in zip(gold, pred))
    return {
        "cases": len(cases),
        "accuracy": sum(g == q for g, q in zip(gold, pred)) / len(cases) if cases else 0.0,
        "per_label": {lab: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(n[i])}
                      for i, lab in enumerate(LABELS)},
        "confusion": {"labels": list(LABELS), "rows_gold_cols_predicted":
                      confusion_matrix(gold, pred, labels=list(LABELS)).tolist()},
        "evidence_at_gold_quote": cited / correct_decided if correct_decided else 0.0,
        "latency_ms_p50": sorted(latencies)[len(latencies) // 2] if latencies else 0.0,
        "cases_detail": rows,
    }


def markdown(name: str, result: dict[str, Any]) -> str:
    """The per-label table and the confusion matrix, as Markdown."""
    lines = [f"## Consistency: {name} ({result['cases']} cases, accuracy {result['accuracy']:.3f})", "",
             "| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for lab, m in result["per_label"].items():
        lines.append(f"| {lab} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['support']} |")
    lines += ["", "Confusion (rows: gold, columns: predicted)", "",
              "| gold \\ predicted | " + " | ".join(LABELS) + " |", "|---|---|---|---|"]
    for lab, row in zip(LABELS, result["confusion"]["rows_gold_cols_predicted"]):
        lines.append(f"| {lab} | " + " | ".join(str(v) for v in row) + " |")
    lines += ["", f"Evidence at a gold quote, among correct SUPPORTED/CONTRADICTED verdicts: "
              f"{result['evidence_at_gold_quote']:.2f}; p50 {result['latency_ms_p50']:.1f} ms per statement", ""]
    return "\n".join(lines)


def run(index_dir: Path, embedder: Any, cases_path: Path, corpus: Path, exclude: Sequence[str], out: Path) -> dict[str, Any]:
    """Evaluate the cases file and write report.json / report.md into out."""
    from index.search import PolicyIndex

    index = PolicyIndex(index_dir, embedder)
    try:
        result = evaluate_cases(Checker(index, exclude=tuple(exclude)), read_jsonl(cases_path), corpus)
    finally:
        index.close()
    out.mkdir(parents=True, exist_ok=True)
    (out / "consistency.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (out / "consistency.md").write_text(markdown(cases_path.stem, result), encoding="utf-8")
    return result
