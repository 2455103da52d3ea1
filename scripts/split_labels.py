"""Merge the writers' labelled parts into the dev/test files, split deterministically by area.

Within each area (and answerability, for queries; verdict, for cases) items are ordered by a hash of
their id and dealt alternately to dev and test, so both splits cover every area and the split does
not depend on file order. Translated queries follow their source query's split.

Run once after the parts are written: python scripts/split_labels.py eval/data/parts eval/data
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any


def _read(paths: list[Path]) -> list[dict[str, Any]]:
    return [json.loads(line) for p in paths for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]


def _deal(items: list[dict[str, Any]], id_key: str, group_key: Any) -> dict[str, list[dict[str, Any]]]:
    groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        groups[group_key(item)].append(item)
    out: dict[str, list[dict[str, Any]]] = {"dev": [], "test": []}
    turn = 0
    for key in sorted(groups, key=str):
        for item in sorted(groups[key], key=lambda i: hashlib.sha1(i[id_key].encode()).hexdigest()):
            out["dev" if turn % 2 == 0 else "test"].append(item)
            turn += 1
    for split in out.values():
        split.sort(key=lambda i: i[id_key])
    return out


def _write(path: Path, items: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    print(f"{path}: {len(items)}")


def main() -> int:
    parts, out = Path(sys.argv[1]), Path(sys.argv[2])
    queries = _read(sorted(parts.glob("queries-*.jsonl")))
    cases = _read(sorted(parts.glob("cases-*.jsonl")))
    translated = _read(sorted(parts.glob("multilingual-*.jsonl")))
    conflicts = _read(sorted(parts.glob("conflicts-*.jsonl")))
    q = _deal(queries, "query_id", lambda i: (i["area"], i["answerable"]))
    c = _deal(cases, "case_id", lambda i: (i["verdict"], i.get("kind")))
    split_of = {i["query_id"]: s for s, items in q.items() for i in items}
    for s in ("dev", "test"):
        _write(out / f"queries-{s}.jsonl", q[s])
        _write(out / f"cases-{s}.jsonl", c[s])
        _write(out / f"queries-multilingual-{s}.jsonl",
               sorted((t for t in translated if split_of[t["source_query_id"]] == s), key=lambda t: t["query_id"]))
    _write(out / "planted-conflicts.jsonl", conflicts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
