"""Labelled sets: load queries and consistency cases, and check every judgment against the corpus.

`python -m eval.labels [CORPUS] [FILES...]` checks the labelled files (default: eval/data/*.jsonl against
corpus/) and prints every problem: unknown documents, quotes not found exactly once (on the named page
for PDFs), bad fields, duplicate ids. Exit code 1 when there is any.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from eval.quotes import find_quote
from index.search import FILTER_KEYS
from ingest.corpus import parse_file
from ingest.model import DocumentError, ParsedDocument, source_words

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "eval" / "data"
VERDICTS = {"SUPPORTED", "CONTRADICTED", "NOT_COVERED"}
KINDS = {"none", "number", "age", "duration", "amount", "percentage", "permission", "scope", "requirement", "count"}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Read a JSON-lines file; raises ValueError naming the first bad line."""
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from None
            if not isinstance(item, dict):
                raise ValueError(f"{path}:{n}: each line must be a JSON object")
            items.append(item)
    return items


class DocumentCache:
    """Parse each corpus document once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._docs: dict[str, ParsedDocument | str] = {}

    def get(self, doc_id: str) -> ParsedDocument | str:
        """The parsed document, or a string saying why there is none."""
        if doc_id not in self._docs:
            path = self.root / doc_id
            if not path.is_file():
                self._docs[doc_id] = f"no document {doc_id} under {self.root}"
            else:
                try:
                    self._docs[doc_id] = parse_file(path, doc_id)
                except DocumentError as exc:
                    self._docs[doc_id] = f"{doc_id} does not parse: {exc}"
        return self._docs[doc_id]


def fingerprint(doc: ParsedDocument, page: int | None, start: int, end: int) -> str:
    """A short hash of the words of a source span: what a span judgment checks its document against."""
    text = " ".join(source_words(doc.source_for(page)[start:end]))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def span_problem(doc: ParsedDocument, ev: dict[str, Any]) -> str | None:
    """What is wrong with a {doc_id, page?, char_start, char_end, words} judgment (a span given instead of a
    quote), or None: a PDF's span needs its page, other documents have none; the span must lie inside the
    source; and its words must still have the fingerprint they were judged with."""
    start, end, page, stamp = ev.get("char_start"), ev.get("char_end"), ev.get("page"), ev.get("words")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        return "a span judgment needs integer char_start and char_end"
    if not isinstance(stamp, str) or not stamp:
        return "a span judgment needs the words fingerprint (python -m eval.judgments --to-spans writes it)"
    if doc.pages is not None:
        if not isinstance(page, int) or isinstance(page, bool) or not 1 <= page <= len(doc.pages):
            return f"{doc.doc_id} is a PDF of {len(doc.pages)} pages; give the span's page (1 to {len(doc.pages)})"
    elif page is not None:
        return f"{doc.doc_id} has no pages; leave page out"
    if not 0 <= start < end <= len(doc.source_for(page)):
        return f"the span {start}-{end} is not inside {doc.doc_id} ({len(doc.source_for(page))} characters)"
    if fingerprint(doc, page, start, end) != stamp:
        return (f"the span {start}-{end} of {doc.doc_id} no longer holds the judged words (the document changed); "
                "judge it again")
    return None


def check_evidence(where: str, ev: dict[str, Any], docs: DocumentCache) -> list[str]:
    """Problems with one judgment: a {doc_id, quote, page?} quote must occur exactly once (on its page); a
    {doc_id, page?, char_start, char_end, words} span must still hold its words."""
    doc = docs.get(str(ev.get("doc_id", "")))
    if isinstance(doc, str):
        return [f"{where}: {doc}"]
    if "quote" not in ev and ("char_start" in ev or "words" in ev):
        problem = span_problem(doc, ev)
        return [f"{where}: {problem}"] if problem else []
    quote = ev.get("quote")
    if not isinstance(quote, str) or len(quote.split()) < 3:
        return [f"{where}: quote must be a verbatim passage of at least 3 words"]
    spans = find_quote(doc, quote)
    if doc.pages is not None:
        page = ev.get("page")
        if not isinstance(page, int):
            return [f"{where}: {doc.doc_id} is a PDF; give the quote's page"]
        on_page = [s for s in spans if s.page == page]
        if len(on_page) != 1:
            pages = sorted({s.page for s in spans})
            return [f"{where}: quote found {len(on_page)} times on page {page} (pages with it: {pages}): {quote[:60]!r}"]
    elif len(spans) != 1:
        return [f"{where}: quote found {len(spans)} times in {doc.doc_id} (must be exactly once): {quote[:60]!r}"]
    return []


def check_queries(items: Iterable[dict[str, Any]], docs: DocumentCache, source: str) -> list[str]:
    problems = []
    for item in items:
        qid = item.get("query_id")
        where = f"{source} {qid}"
        if not isinstance(qid, str) or not qid:
            problems.append(f"{source}: a query without query_id")
        if not isinstance(item.get("query"), str) or not item["query"].strip():
            problems.append(f"{where}: empty query")
        if not isinstance(item.get("area"), str) or not item["area"]:
            problems.append(f"{where}: missing area")
        if not isinstance(item.get("answerable"), bool):
            problems.append(f"{where}: answerable must be true or false")
        filters = item.get("filters") or {}
        if not isinstance(filters, dict) or set(filters) - set(FILTER_KEYS):
            problems.append(f"{where}: filters must be an object with keys from {FILTER_KEYS}")
        relevant = item.get("relevant")
        if not isinstance(relevant, list):
            problems.append(f"{where}: relevant must be a list")
            continue
        if item.get("answerable") is True and not any(r.get("grade") == 2 for r in relevant):
            problems.append(f"{where}: an answerable query needs a grade-2 passage")
        if item.get("answerable") is False and any(r.get("grade") == 2 for r in relevant):
            problems.append(f"{where}: an unanswerable query cannot have a grade-2 passage")
        for r in relevant:
            if r.get("grade") not in (1, 2):
                problems.append(f"{where}: grade must be 1 or 2")
            problems += check_evidence(where, r, docs)
    return problems


def check_cases(items: Iterable[dict[str, Any]], docs: DocumentCache, source: str) -> list[str]:
    problems = []
    for item in items:
        where = f"{source} {item.get('case_id')}"
        if not isinstance(item.get("case_id"), str):
            problems.append(f"{source}: a case without case_id")
        if not isinstance(item.get("statement"), str) or not item["statement"].strip():
            problems.append(f"{where}: empty statement")
        if item.get("verdict") not in VERDICTS:
            problems.append(f"{where}: verdict must be one of {sorted(VERDICTS)}")
        if item.get("kind") not in KINDS:
            problems.append(f"{where}: kind must be one of {sorted(KINDS)}")
        evidence = item.get("evidence")
        if not isinstance(evidence, list) or (item.get("verdict") != "NOT_COVERED" and not evidence):
            problems.append(f"{where}: SUPPORTED and CONTRADICTED need evidence")
            continue
        for ev in evidence:
            problems += check_evidence(where, ev, docs)
    return problems


def check_conflicts(items: Iterable[dict[str, Any]], docs: DocumentCache, source: str) -> list[str]:
    problems = []
    for item in items:
        where = f"{source} {item.get('conflict_id')}"
        for side in ("a", "b"):
            if not isinstance(item.get(side), dict):
                problems.append(f"{where}: needs {side}: {{doc_id, quote}}")
                continue
            problems += check_evidence(f"{where} ({side})", item[side], docs)
    return problems


def _id_key(items: list[dict[str, Any]]) -> str:
    for key in ("case_id", "conflict_id"):
        if any(key in i for i in items):
            return key
    return "query_id"


def check_files(corpus: Path, files: list[Path]) -> list[str]:
    """Every problem in the given labelled files; query and case ids must be unique across them."""
    docs = DocumentCache(corpus)
    problems: list[str] = []
    seen: dict[str, str] = {}
    for path in files:
        try:
            items = read_jsonl(path)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        id_key = _id_key(items)
        for item in items:
            key = str(item.get(id_key))
            if key in seen:
                problems.append(f"{path.name}: duplicate id {key} (also in {seen[key]})")
            seen[key] = path.name
        check = {"case_id": check_cases, "conflict_id": check_conflicts, "query_id": check_queries}[id_key]
        problems += check(items, docs, path.name)
    return problems


def main(argv: list[str] | None = None) -> int:
    """`python -m eval.labels [CORPUS FILE...]`: by default our labelled sets over corpus/ and, with ../shared
    beside the project, the shared-corpora queries over ../shared/corpora (its cases name documents only)."""
    args = sys.argv[1:] if argv is None else argv
    corpus = Path(args[0]) if args else ROOT / "corpus"
    runs = [(corpus, [Path(a) for a in args[1:]] or sorted(DATA.rglob("*.jsonl")))]
    shared = ROOT.parent / "shared" / "corpora"
    if not args and shared.is_dir():
        runs.append((shared, sorted((ROOT / "eval" / "data-shared").glob("queries-*.jsonl"))))
    problems = [p for root, files in runs for p in check_files(root, files)]
    for p in problems:
        print(p)
    print(f"{sum(len(files) for _, files in runs)} files checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
