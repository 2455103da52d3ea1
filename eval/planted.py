"""Which deliberately planted conflicts and duplicates the corpus audit lists.

Run: python -m eval.planted --index IDX [--corpus corpus] [--planted eval/data/planted-conflicts.jsonl]
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from consistency.audit import Finding, Place, audit
from eval.labels import DocumentCache, read_jsonl
from eval.quotes import find_quote


def _overlaps(place: Place, span: tuple[str, int | None, int, int]) -> bool:
    doc_id, page, start, end = span
    return place.doc_id == doc_id and place.page == page and place.char_start < end and start < place.char_end


def planted_found(findings: Sequence[Finding], planted: Sequence[dict], corpus: Path) -> list[tuple[str, bool]]:
    """(conflict_id, found) for each planted pair: a finding of its kind linking both quotes' spans."""
    docs = DocumentCache(corpus)
    out = []
    for p in planted:
        spans = []
        for side in (p["a"], p["b"]):
            doc = docs.get(side["doc_id"])
            s = find_quote(doc, side["quote"])[0] if not isinstance(doc, str) else None
            spans.append((side["doc_id"], s.page, s.char_start, s.char_end) if s else None)
        kind = "duplicate" if p["kind"] == "duplicate" else "conflict"
        a, b = spans
        found = a is not None and b is not None and any(
            f.kind == kind and f.b is not None
            and ((_overlaps(f.a, a) and _overlaps(f.b, b)) or (_overlaps(f.a, b) and _overlaps(f.b, a)))
            for f in findings)
        out.append((p["conflict_id"], found))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--planted", type=Path, default=Path("eval/data/planted-conflicts.jsonl"))
    args = parser.parse_args()
    from api.app import load_index
    from api.settings import Settings

    index = load_index(Settings(index=args.index))
    planted = read_jsonl(args.planted)
    findings = audit(index, None)
    result = planted_found(findings, planted, args.corpus)
    for (cid, found), p in zip(result, planted):
        print(f"{'found ' if found else 'missed'} {cid} {p['kind']}: {p['a']['doc_id']} vs {p['b']['doc_id']}")
    print(f"{sum(f for _, f in result)} of {len(result)} planted conflicts and duplicates listed by the audit")
    kinds = Counter(f.kind for f in findings)
    print(f"audit findings in all: {kinds['conflict']} conflicts, {kinds['duplicate']} duplicates")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
