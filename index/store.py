"""The clause store: SQLite with each clause's text, citation and metadata, and each document's text."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from ingest.model import Clause, ParsedDocument

_SCHEMA = """
CREATE TABLE clauses (
  row INTEGER PRIMARY KEY, clause_id TEXT NOT NULL UNIQUE, doc_id TEXT NOT NULL, doc_title TEXT NOT NULL,
  section TEXT NOT NULL, number TEXT, text TEXT NOT NULL, page INTEGER,
  char_start INTEGER NOT NULL, char_end INTEGER NOT NULL, meta TEXT NOT NULL
);
CREATE INDEX clauses_doc ON clauses (doc_id);
CREATE TABLE documents (
  doc_id TEXT PRIMARY KEY, title TEXT NOT NULL, format TEXT NOT NULL, text TEXT NOT NULL,
  pages TEXT, meta TEXT NOT NULL
);
"""
_COLUMNS = "clause_id, doc_id, doc_title, section, number, text, page, char_start, char_end, meta"


def write_store(path: Path, clauses: Sequence[Clause], documents: Iterable[ParsedDocument]) -> None:
    """Write clauses (row i = position i) and documents to a new SQLite file."""
    con = sqlite3.connect(path)
    try:
        con.executescript(_SCHEMA)
        con.executemany(
            f"INSERT INTO clauses (row, {_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (i, c.clause_id, c.doc_id, c.doc_title, json.dumps(c.section), c.number, c.text, c.page,
                 c.char_start, c.char_end, json.dumps(dict(c.meta)))
                for i, c in enumerate(clauses)
            ),
        )
        con.executemany(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?)",
            (
                (d.doc_id, d.title, d.format, d.text, json.dumps(d.pages) if d.pages is not None else None,
                 json.dumps(d.meta))
                for d in documents
            ),
        )
        con.commit()
    finally:
        con.close()


def _clause(row: tuple) -> Clause:
    clause_id, doc_id, title, section, number, text, page, start, end, meta = row
    return Clause(clause_id, doc_id, title, tuple(json.loads(section)), number, text, page, start, end,
                  json.loads(meta))


class ClauseStore:
    """Read access to a clause store, safe to share between the server's worker threads."""

    def __init__(self, path: Path) -> None:
        self._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()

    def close(self) -> None:
        self._con.close()

    def _query(self, sql: str, args: Sequence[object] = ()) -> list[tuple]:
        with self._lock:
            return self._con.execute(sql, args).fetchall()

    def clauses_at(self, rows: Sequence[int]) -> list[Clause]:
        """Clauses by row number, in the order asked."""
        if not rows:
            return []
        marks = ",".join("?" * len(rows))
        found = {r[0]: _clause(r[1:]) for r in self._query(f"SELECT row, {_COLUMNS} FROM clauses WHERE row IN ({marks})", list(rows))}
        return [found[r] for r in rows]

    def row_of(self, clause_id: str) -> int | None:
        rows = self._query("SELECT row FROM clauses WHERE clause_id = ?", (clause_id,))
        return rows[0][0] if rows else None

    def clause(self, clause_id: str) -> Clause | None:
        rows = self._query(f"SELECT {_COLUMNS} FROM clauses WHERE clause_id = ?", (clause_id,))
        return _clause(rows[0]) if rows else None

    def clauses_of(self, doc_id: str) -> list[Clause]:
        return [_clause(r) for r in self._query(f"SELECT {_COLUMNS} FROM clauses WHERE doc_id = ? ORDER BY row", (doc_id,))]

    def document(self, doc_id: str) -> ParsedDocument | None:
        rows = self._query("SELECT doc_id, title, format, text, pages, meta FROM documents WHERE doc_id = ?", (doc_id,))
        if not rows:
            return None
        doc_id, title, fmt, text, pages, meta = rows[0]
        return ParsedDocument(doc_id, fmt, title, text, [], json.loads(meta), json.loads(pages) if pages else None)

    def documents(self) -> list[tuple[str, str, str, dict[str, str]]]:
        """(doc_id, title, format, metadata) of every document, by doc_id."""
        rows = self._query("SELECT doc_id, title, format, meta FROM documents ORDER BY doc_id")
        return [(r[0], r[1], r[2], json.loads(r[3])) for r in rows]

    def filter_columns(self) -> tuple[list[str], list[dict[str, str]]]:
        """Every row's doc_id and metadata, in row order, for building filter masks."""
        rows = self._query("SELECT doc_id, meta FROM clauses ORDER BY row")
        return [r[0] for r in rows], [json.loads(r[1]) for r in rows]

    def document_columns(self) -> tuple[list[str], dict[str, tuple[str, dict[str, str]]]]:
        """Every row's doc_id in row order, and each document's title and metadata (read once per document)."""
        doc_ids = [r[0] for r in self._query("SELECT doc_id FROM clauses ORDER BY row")]
        # Every clause of a document carries the document's metadata; its first clause stands for all.
        rows = self._query("SELECT doc_id, doc_title, meta, MIN(row) FROM clauses GROUP BY doc_id")
        return doc_ids, {r[0]: (r[1], json.loads(r[2])) for r in rows}

    def iter_clauses(self) -> list[Clause]:
        """All clauses in row order."""
        return [_clause(r) for r in self._query(f"SELECT {_COLUMNS} FROM clauses ORDER BY row")]
