"""Judged queries from three formats, as judged passages (citable spans) that hits are matched against.

(a) ours, chunker-independent: {query_id, query, filters?, area?, answerable, relevant: [{doc_id, quote,
    grade, page?}]}: each quote is located in its document; a hit whose cited span overlaps it counts.
    Judgments over corpora we may not copy from (../shared) give a span instead of a quote: {doc_id,
    page?, char_start, char_end, words, grade}, where words fingerprints the span's words so a changed
    source is an error, not a silent mismatch (`python -m eval.judgments --to-spans` converts quotes).
(b) TREC qrels over clause ids ("qid 0 clause_id grade" lines) beside a JSONL of {query_id, query}.
(c) passage benchmarks given as corpus.jsonl + queries.jsonl (../shared/benchmarks/policyqa): each
    passage becomes a document; a hit in that document is a hit on the passage.
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.labels import DocumentCache, fingerprint, read_jsonl, span_problem
from eval.quotes import find_quote
from ingest.model import ParsedDocument, source_words

WHOLE = 1 << 62  # a passage that is a whole document: any span in it overlaps


@dataclass(frozen=True, slots=True)
class Passage:
    """One judged passage: where it is, and how relevant (2 answers, 1 related)."""

    key: str
    doc_id: str
    page: int | None
    char_start: int
    char_end: int
    grade: int
    quote: str = ""
    clause_id: str | None = None  # TREC qrels judge clause ids directly

    def overlaps(self, doc_id: str, page: int | None, start: int, end: int, clause_id: str) -> bool:
        if self.clause_id is not None:
            return clause_id == self.clause_id
        return doc_id == self.doc_id and page == self.page and start < self.char_end and self.char_start < end


@dataclass(slots=True)
class JudgedQuery:
    query_id: str
    query: str
    answerable: bool
    passages: list[Passage]
    area: str = "all"
    filters: dict[str, Any] = field(default_factory=dict)


class JudgmentError(ValueError):
    """A judgment that cannot be located in the corpus; the message names the query and the quote."""


def _locate(query_id: str, rel: dict[str, Any], doc: ParsedDocument) -> tuple[int | None, int, int, str]:
    """(page, start, end, quote) of one judgment: a quote found in the document, or a span whose words still hold."""
    if "quote" not in rel:
        problem = span_problem(doc, rel)
        if problem:
            raise JudgmentError(f"{query_id}: {problem}")
        page, start, end = rel.get("page"), rel["char_start"], rel["char_end"]
        # The span's own words stand in for a quote in memory (answer scoring compares words with it).
        return page, start, end, " ".join(source_words(doc.source_for(page)[start:end]))
    if not isinstance(rel.get("quote"), str):
        raise JudgmentError(f"{query_id}: a judgment needs a quote, or a span (char_start, char_end, words)")
    spans = [s for s in find_quote(doc, rel["quote"]) if rel.get("page") in (None, s.page)]
    if not spans:
        raise JudgmentError(f"{query_id}: quote not found in {rel['doc_id']}: {rel['quote'][:60]!r}")
    return spans[0].page, spans[0].char_start, spans[0].char_end, rel["quote"]


def load_ours(path: Path, corpus: Path) -> list[JudgedQuery]:
    """Queries in our format, each judgment located in the corpus; raises JudgmentError."""
    docs = DocumentCache(corpus)
    out = []
    for item in read_jsonl(path):
        passages = []
        for n, rel in enumerate(item.get("relevant", [])):
            doc = docs.get(rel["doc_id"])
            if isinstance(doc, str):
                raise JudgmentError(f"{item['query_id']}: {doc}")
            page, start, end, quote = _locate(item["query_id"], rel, doc)
            passages.append(Passage(f"{item['query_id']}/p{n}", rel["doc_id"], page, start, end, int(rel["grade"]), quote))
        out.append(JudgedQuery(item["query_id"], item["query"], bool(item.get("answerable", bool(passages))),
                               passages, item.get("area") or "all", item.get("filters") or {}))
    return out


def to_spans(source: Path, target: Path, corpus: Path) -> int:
    """Write source's judged queries to target with each quote replaced by its span and fingerprint."""
    docs = DocumentCache(corpus)
    lines = []
    for item in read_jsonl(source):
        relevant = []
        for rel in item.get("relevant", []):
            doc = docs.get(rel["doc_id"])
            if isinstance(doc, str):
                raise JudgmentError(f"{item['query_id']}: {doc}")
            page, start, end, _ = _locate(item["query_id"], rel, doc)
            span = {"doc_id": rel["doc_id"]} | ({"page": page} if page is not None else {})
            relevant.append(span | {"char_start": start, "char_end": end,
                                    "words": fingerprint(doc, page, start, end), "grade": int(rel["grade"])})
        lines.append(json.dumps(item | {"relevant": relevant}, ensure_ascii=False))
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def load_trec(queries: Path, qrels: Path) -> list[JudgedQuery]:
    """Queries (JSONL with query_id, query) judged by TREC qrels over clause ids."""
    judged: dict[str, list[Passage]] = {}
    for n, line in enumerate(qrels.read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 4:
            raise JudgmentError(f"{qrels}:{n}: a qrels line is 'query_id iteration clause_id grade'")
        qid, _, clause_id, grade = parts
        if int(grade) > 0:
            judged.setdefault(qid, []).append(Passage(clause_id, "", None, 0, 0, int(grade), clause_id=clause_id))
    return [
        JudgedQuery(q["query_id"], q["query"], bool(judged.get(q["query_id"])), judged.get(q["query_id"], []),
                    q.get("area") or "all", q.get("filters") or {})
        for q in read_jsonl(queries)
    ]


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def passage_doc_id(doc_id: str, passage_id: str) -> str:
    """Where a benchmark passage is written as a document: one folder per source document."""
    return f"{_UNSAFE.sub('_', doc_id)}/{_UNSAFE.sub('_', passage_id)}.txt"


def write_passage_corpus(corpus_jsonl: Path, folder: Path) -> dict[str, str]:
    """Write each benchmark passage as a text document under folder; returns passage_id -> doc_id."""
    mapping = {}
    for item in read_jsonl(corpus_jsonl):
        doc_id = passage_doc_id(item["doc_id"], item["passage_id"])
        path = folder / doc_id
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(item["text"].strip() + "\n", encoding="utf-8")
        mapping[item["passage_id"]] = doc_id
    return mapping


def load_passage_benchmark(queries_jsonl: Path, mapping: dict[str, str], restricted: bool) -> list[JudgedQuery]:
    """Benchmark queries: restricted to their source document through the doc_id filter, or pooled."""
    out = []
    for q in read_jsonl(queries_jsonl):
        passages = [Passage(pid, mapping[pid], None, 0, WHOLE, 1) for pid in q["relevant"] if pid in mapping]
        filters = {"doc_id": passage_doc_id(q["doc_id"], "x").split("/")[0] + "/"} if restricted else {}
        area = (q.get("opp115_types") or ["all"])[0].split("|||")[0] or "all"
        out.append(JudgedQuery(q["query_id"], q["query"], bool(passages), passages, area, filters))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description="Replace the quotes of judged queries by spans in the corpus "
                                                 "(for corpora whose text the project must not copy).")
    parser.add_argument("--to-spans", nargs=2, type=Path, metavar=("IN", "OUT"), required=True)
    parser.add_argument("--corpus", type=Path, required=True)
    args = parser.parse_args()
    if not args.to_spans[0].is_file():
        raise SystemExit(f"error: no file {args.to_spans[0]}")
    try:
        n = to_spans(*args.to_spans, args.corpus)
    except (JudgmentError, KeyError, ValueError) as exc:
        raise SystemExit(f"error: {exc}") from exc
    print(f"wrote {n} queries to {args.to_spans[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
