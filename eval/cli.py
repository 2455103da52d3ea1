"""`policyscope eval`: labelled queries -> side-by-side metrics, reports and a regression gate."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

DEFAULT_CONFIGS = "default,dense,lexical"


def add_arguments(p: argparse.ArgumentParser) -> None:
    src = p.add_argument_group("what to evaluate (one of)")
    src.add_argument("--queries", type=Path, help="judged queries: our JSONL format, or queries for --qrels")
    src.add_argument("--qrels", type=Path, help="TREC qrels over clause ids ('qid 0 clause_id grade')")
    src.add_argument("--cases", type=Path, help="consistency cases (JSONL): score the article checker per label")
    p.add_argument("--exclude", action="append", default=[], metavar="DOC_PREFIX",
                   help="--cases: documents never used as evidence, e.g. help-centre/ (repeatable)")
    src.add_argument("--benchmark", type=Path,
                     help="passage benchmark folder with corpus.jsonl + queries.jsonl (e.g. ../shared/benchmarks/policyqa)")
    p.add_argument("--split", default="test", help="benchmark split: test (top folder) or dev (subfolder); default test")
    p.add_argument("--scope", choices=("restricted", "pooled", "both"), default="both",
                   help="benchmark: search each query's own document, all passages, or both (default both)")
    p.add_argument("--corpus", type=Path, default=Path("corpus"), help="the corpus the queries are judged on (default corpus/)")
    p.add_argument("--index", type=Path, help="use this index instead of building one into the cache")
    p.add_argument("--cache", type=Path, default=Path("data/eval-cache"), help="where built indexes are kept and reused")
    p.add_argument("--configs", default=DEFAULT_CONFIGS, help=f"comma-separated configurations (default {DEFAULT_CONFIGS})")
    p.add_argument("--out", type=Path, help="report folder (default results/<name>)")
    p.add_argument("--model", default="all-MiniLM-L6-v2", help="embedding model for built indexes")
    p.add_argument("--companion", default="auto",
                   help="companion model for built indexes, as for `policyscope ingest`: auto (default: e5 with the "
                        "bundled model), e5 or none")
    p.add_argument("-k", type=int, default=10, help="hits per query (default 10)")
    p.add_argument("--fail-under", action="append", default=[], metavar="METRIC=VALUE",
                   help="gate: exit 1 if the first configuration's METRIC is below VALUE (repeatable)")
    p.add_argument("--quiet", action="store_true", help="no progress bars")


def _thresholds(pairs: list[str]) -> dict[str, float]:
    out = {}
    for pair in pairs:
        metric, sep, value = pair.partition("=")
        try:
            out[metric.strip()] = float(value)
        except ValueError:
            raise SystemExit(f"error: --fail-under takes METRIC=VALUE, e.g. ndcg@10=0.70, not {pair!r}") from None
        if not sep:
            raise SystemExit(f"error: --fail-under takes METRIC=VALUE, not {pair!r}")
    return out


def _suites(args: argparse.Namespace, embedder: Any, companion: Any, work: Path, kinds: set[str]
            ) -> list[tuple[str, dict[str, Path], list[Any]]]:
    """(name, index folder per index kind, judged queries) for each evaluation the arguments ask for.

    Only the kinds of index the configurations use are built: "main" (with the companion's vectors too,
    as `policyscope ingest` builds it) and "naive" for the baseline.
    """
    from tqdm import tqdm

    from eval.harness import ensure_index
    from eval.judgments import load_ours, load_passage_benchmark, load_trec, write_passage_corpus
    from eval.naive import ensure_naive_index

    def indexes_for(corpus: Path) -> dict[str, Path]:
        folders = {}
        if "main" in kinds:
            if args.index:
                folders["main"] = args.index
            else:
                with tqdm(desc=f"index {corpus.name}", unit="clause", disable=args.quiet) as bar:
                    folders["main"] = ensure_index(corpus, args.cache, embedder, progress=bar.update,
                                                   companion=companion)
        if "naive" in kinds:
            with tqdm(desc=f"naive index {corpus.name}", unit="chunk", disable=args.quiet) as bar:
                folders["naive"] = ensure_naive_index(corpus, args.cache, embedder, progress=bar.update)
        return folders

    if args.benchmark:
        folder = args.benchmark if args.split == "test" else args.benchmark / args.split
        if not (folder / "corpus.jsonl").is_file() or not (folder / "queries.jsonl").is_file():
            raise SystemExit(f"error: {folder} needs corpus.jsonl and queries.jsonl")
        passages = work / f"{args.benchmark.name}-{args.split}"
        mapping = write_passage_corpus(folder / "corpus.jsonl", passages)
        indexes = indexes_for(passages)
        scopes = ("restricted", "pooled") if args.scope == "both" else (args.scope,)
        return [(f"{args.benchmark.name}-{args.split}-{s}", indexes,
                 load_passage_benchmark(folder / "queries.jsonl", mapping, restricted=s == "restricted")) for s in scopes]
    if not args.queries:
        raise SystemExit("error: give --queries FILE (with --qrels FILE for TREC qrels) or --benchmark DIR")
    if args.qrels and "naive" in kinds:
        # Qrels judge clause ids; naive chunks have their own ids, so every naive hit would count as a miss.
        raise SystemExit("error: TREC qrels judge clause ids, which naive chunks do not have; "
                         "evaluate naive-rag with judgments in our format or a --benchmark")
    queries = load_trec(args.queries, args.qrels) if args.qrels else load_ours(args.queries, args.corpus)
    return [(args.queries.stem, indexes_for(args.corpus), queries)]


def _cases(args: argparse.Namespace, companion: Any) -> int:
    from tqdm import tqdm

    from eval.consistency import markdown, run
    from eval.harness import ensure_index
    from index.embed import load_embedder

    embedder = load_embedder(args.model)
    with tqdm(desc=f"index {args.corpus.name}", unit="clause", disable=args.quiet) as bar:
        index = args.index or ensure_index(args.corpus, args.cache, embedder, progress=bar.update,
                                           companion=companion)
    out = args.out or Path("results") / args.cases.stem
    result = run(index, embedder, args.cases, args.corpus, args.exclude, out)
    print(markdown(args.cases.stem, result))
    print(f"report: {out / 'consistency.md'}  {out / 'consistency.json'}")
    return 0


def main(args: argparse.Namespace) -> int:
    """Run the evaluation the arguments describe; 0 when every gate passes, 1 when one fails."""
    from tqdm import tqdm

    from eval.harness import config_named, evaluate_configs, gate
    from eval.judgments import JudgmentError
    from eval.report import abstention_table, comparison_table, write_report
    from index.embed import load_companion, load_embedder
    from index.search import PolicyIndex

    thresholds = _thresholds(args.fail_under)
    try:  # an index given with --index brings its own companion
        companion = load_companion(args.companion, args.model) if not args.index else None
    except (RuntimeError, OSError, ImportError) as exc:
        raise SystemExit(f"error: cannot load the companion model: {exc} (or pass --companion none)") from None
    if args.cases:
        return _cases(args, companion)
    try:
        configs = [config_named(n.strip()) for n in args.configs.split(",") if n.strip()]
    except ValueError as exc:
        raise SystemExit(f"error: {exc}") from None
    embedder = load_embedder(args.model)
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="policyscope-eval-") as tmp:
        try:
            suites = _suites(args, embedder, companion, Path(tmp), {c.index for c in configs})
        except (JudgmentError, ValueError) as exc:
            raise SystemExit(f"error: {exc}") from None
        for name, folders, queries in suites:
            indexes = {kind: PolicyIndex(folder, embedder, companion=companion) for kind, folder in folders.items()}
            total = len(queries) * len(configs)
            with tqdm(total=total, desc=f"eval {name}", unit="search", disable=args.quiet) as bar:
                try:
                    results, pvalues = evaluate_configs(indexes, queries, configs, k=args.k, progress=bar.update)
                except ValueError as exc:  # e.g. dense-e5 on an index without e5 vectors
                    raise SystemExit(f"error: {exc}") from None
            out = args.out / name if args.out and len(suites) > 1 else args.out or Path("results") / name
            info: dict[str, Any] = {"queries": len(queries), "answerable": sum(q.answerable for q in queries)}
            if "main" in indexes:
                info["clauses"] = indexes["main"].clause_count
            if "naive" in indexes:
                info["naive_chunks"] = indexes["naive"].clause_count
            info["model"] = next(iter(indexes.values())).manifest.model
            paths = write_report(out, f"policyscope eval: {name}", results, pvalues, info,
                                 answerable={q.query_id: q.answerable for q in queries})
            for index in indexes.values():
                index.close()
            sizes = "; ".join(f"{info[k]} {k.replace('_', ' ')}" for k in ("clauses", "naive_chunks") if k in info)
            print(f"\n## {name}  ({info['queries']} queries, {info['answerable']} judged; {sizes})\n")
            print(comparison_table(results, pvalues))
            if abstention_table(results):
                print("\n" + abstention_table(results))
            print(f"\nreport: {paths['markdown']}  {paths['json']}  {paths['metrics_png']}  {paths['areas_png']}")
            if thresholds:
                try:
                    failures += gate(results[0], thresholds)
                except ValueError as exc:
                    raise SystemExit(f"error: {exc}") from None
    for f in failures:
        print(f"GATE FAILED: {f}", file=sys.stderr)
    if thresholds and not failures:
        print("gate passed: " + ", ".join(f"{m} >= {v}" for m, v in thresholds.items()))
    return 1 if failures else 0
