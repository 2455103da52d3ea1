"""Agents' "helpful / not helpful" feedback, kept in SQLite beside the index, and its export as candidate judgments.

The database sits next to the index folder (data/index -> data/index.feedback.sqlite), not inside it, so
rebuilding the index never loses feedback. Each row keeps a snapshot of the clause it was about (text,
document, page), so an export still quotes the right words after the corpus changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.filters import FILTER_KEYS
from ingest.model import Clause

TARGETS = ("result", "answer")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    query TEXT NOT NULL,
    filters TEXT NOT NULL,          -- JSON object, as searched
    target TEXT NOT NULL,           -- "result" (one clause) or "answer" (the guidance answer)
    helpful INTEGER NOT NULL,       -- 1 helpful, 0 not helpful
    comment TEXT,
    clause_ids TEXT NOT NULL,       -- JSON list: the clause, or the clauses the answer cited
    clauses TEXT NOT NULL,          -- JSON list of snapshots {clause_id, doc_id, page, text, area}
    answer_text TEXT
)
"""


def feedback_path(index_folder: Path) -> Path:
    """Where the feedback of an index is kept: beside its folder, so a rebuild leaves it alone."""
    return index_folder.parent / f"{index_folder.name}.feedback.sqlite"


@dataclass(frozen=True, slots=True)
class Feedback:
    id: int
    created_at: str
    query: str
    filters: dict[str, Any]
    target: str
    helpful: bool
    comment: str | None
    clauses: list[dict[str, Any]]
    answer_text: str | None


def snapshot(clause: Clause) -> dict[str, Any]:
    """What feedback remembers of a clause."""
    return {"clause_id": clause.clause_id, "doc_id": clause.doc_id, "page": clause.page, "text": clause.text,
            "area": clause.meta.get("area")}


class FeedbackStore:
    """The feedback table; safe to share between the server's worker threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False)
        with self._lock, self._db:
            self._db.execute(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def add(self, query: str, filters: Mapping[str, Any], target: str, helpful: bool, clauses: Iterable[Clause],
            comment: str | None = None, answer_text: str | None = None) -> int:
        """Store one piece of feedback; returns its id. Raises ValueError for an unknown target."""
        if target not in TARGETS:
            raise ValueError(f"target must be one of {TARGETS}, not {target!r}")
        snaps = [snapshot(c) for c in clauses]
        with self._lock, self._db:
            cur = self._db.execute(
                "INSERT INTO feedback (created_at, query, filters, target, helpful, comment, clause_ids, clauses, "
                "answer_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), query, json.dumps(dict(filters)), target,
                 int(helpful), comment, json.dumps([s["clause_id"] for s in snaps]), json.dumps(snaps), answer_text))
            return int(cur.lastrowid or 0)

    def set_comment(self, feedback_id: int, comment: str) -> bool:
        """Attach (or replace) the comment of stored feedback; False when there is no such id."""
        with self._lock, self._db:
            cur = self._db.execute("UPDATE feedback SET comment = ? WHERE id = ?", (comment, feedback_id))
            return cur.rowcount == 1

    def all(self) -> list[Feedback]:
        """Every stored piece of feedback, oldest first."""
        with self._lock:
            rows = self._db.execute("SELECT id, created_at, query, filters, target, helpful, comment, clauses, "
                                    "answer_text FROM feedback ORDER BY id").fetchall()
        return [Feedback(r[0], r[1], r[2], json.loads(r[3]), r[4], bool(r[5]), r[6], json.loads(r[7]), r[8])
                for r in rows]


def candidate_judgments(feedback: Iterable[Feedback]) -> list[dict[str, Any]]:
    """Feedback grouped by (query, filters) as queries in the eval format, for a person to review.

    A clause marked helpful (or cited by a helpful answer) more often than not becomes a grade-2 passage
    quoting the clause's text; the rest is kept under "review" (votes, comments, unhelpful clauses), which
    the eval ignores. A query with no helpful clause is written as unanswerable: the reviewer decides.
    """
    groups: dict[tuple[str, str], list[Feedback]] = {}
    for fb in feedback:
        filters = {k: sorted(v) if isinstance(v, list) else v for k, v in fb.filters.items()}  # one group per choice
        groups.setdefault((fb.query, json.dumps(filters, sort_keys=True)), []).append(fb)
    out = []
    for (query, filters_json), items in groups.items():
        votes: dict[str, list[bool]] = {}
        snaps: dict[str, dict[str, Any]] = {}
        for fb in items:
            for snap in fb.clauses:
                votes.setdefault(snap["clause_id"], []).append(fb.helpful)
                snaps[snap["clause_id"]] = snap
        helpful = [cid for cid, v in votes.items() if sum(v) > len(v) / 2]
        unhelpful = [cid for cid in votes if cid not in helpful]
        relevant = []
        for cid in helpful:
            snap = snaps[cid]
            passage = {"doc_id": snap["doc_id"], "quote": snap["text"], "grade": 2}
            if snap.get("page") is not None:
                passage["page"] = snap["page"]
            relevant.append(passage)
        areas = [snaps[cid].get("area") for cid in helpful or list(votes) if snaps[cid].get("area")]
        key = hashlib.sha1(f"{query}\n{filters_json}".encode()).hexdigest()[:10]
        item: dict[str, Any] = {"query_id": f"feedback-{key}", "query": query,
                                "area": max(set(areas), key=areas.count) if areas else "unreviewed",
                                "answerable": bool(relevant), "relevant": relevant}
        filters = json.loads(filters_json)
        if any(k in FILTER_KEYS for k in filters):  # as_of is no judgment filter; it stays in review
            item["filters"] = {k: v for k, v in filters.items() if k in FILTER_KEYS}
        item["review"] = {
            "source": "feedback", "votes": len(items), "helpful_clauses": helpful, "unhelpful_clauses": unhelpful,
            "comments": [fb.comment for fb in items if fb.comment],
            "answer_votes": [fb.helpful for fb in items if fb.target == "answer"],
            "searched_with": filters,
        }
        out.append(item)
    return out


def export_feedback(store: FeedbackStore, out: Path) -> int:
    """Write the candidate judgments as JSON lines; returns how many queries were written."""
    items = candidate_judgments(store.all())
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    return len(items)
