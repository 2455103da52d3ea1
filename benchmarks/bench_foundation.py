"""Benchmark: ingest throughput vs the raw model, search latency (in process and over HTTP), size, RSS.

Prints figures; it is not a test. Run: python benchmarks/bench_foundation.py [--corpus ../shared/corpora]
The synthetic 100k-clause index uses random unit vectors (embedding 100k clauses would take an hour on
2 cores and measures nothing new); its searches embed the query with the real model.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index.build import embed_clauses, write_index  # noqa: E402
from index.embed import Embedder, SentenceTransformerEmbedder, embed_query, load_embedder, passage_text  # noqa: E402
from index.search import DEFAULT_CONFIG, PolicyIndex, SearchConfig  # noqa: E402
from ingest.corpus import Corpus, ingest_folder  # noqa: E402
from ingest.model import Clause, ParsedDocument  # noqa: E402

QUERIES = [
    "how long does a banned user have to appeal?", "can I get a refund after cancelling?",
    "what happens to my data when I delete my account", "who owns the account if the owner leaves the company",
    "DMCA counter notice deadline", "are bots allowed to create accounts", "sub-processors list",
    "how do you handle law enforcement requests for user data", "what is doxxing", "is hate speech allowed",
    "can minors use the service", "what if the account holder dies", "security incident notification time",
    "fair use response", "terrorist content removal", "impersonation of another user", "trademark complaint",
    "cookie consent", "data retention period after cancellation", "how to report abuse",
]


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def dir_mib(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def time_searches(index: PolicyIndex, rounds: int, filters: dict | None = None,
                  config: SearchConfig = DEFAULT_CONFIG) -> list[float]:
    for q in QUERIES[:5]:
        index.search(q, 10, filters, config)  # warm-up
    out = []
    for _ in range(rounds):
        for q in QUERIES:
            t = time.perf_counter()
            index.search(q, 10, filters, config)
            out.append((time.perf_counter() - t) * 1000)
    return out


def time_lexical_stage(index: PolicyIndex, rounds: int) -> list[float]:
    """The BM25 stage of a hybrid search alone: score every clause and take the top candidates."""
    lexical = index.lexical[True]
    out = []
    for _ in range(rounds):
        for q in QUERIES:
            t = time.perf_counter()
            lexical.search(q, DEFAULT_CONFIG.depth)
            out.append((time.perf_counter() - t) * 1000)
    return out


def http_latency(index_dir: Path, rounds: int) -> list[float]:
    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--index", str(index_dir), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=Path(__file__).resolve().parents[1],
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.2)
        out = []
        with httpx.Client(base_url=url, timeout=10) as client:
            for q in QUERIES[:5]:
                client.post("/search", json={"query": q, "k": 10})
            for _ in range(rounds):
                for q in QUERIES:
                    t = time.perf_counter()
                    r = client.post("/search", json={"query": q, "k": 10})
                    r.raise_for_status()
                    out.append((time.perf_counter() - t) * 1000)
        return out
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def report(name: str, values: list[float]) -> None:
    print(f"  {name}: p50 {pct(values, 50):.1f} ms, p95 {pct(values, 95):.1f} ms (n={len(values)})")


def bench_corpus(root: Path, embedder: SentenceTransformerEmbedder, work: Path, rounds: int,
                 companion: Embedder | None = None) -> None:
    print(f"== corpus {root}")
    t0 = time.perf_counter()
    corpus = ingest_folder(root)
    t_parse = time.perf_counter() - t0
    n = len(corpus.clauses)
    texts = [passage_text(c) for c in corpus.clauses]
    # The raw model on the very same texts, the way sentence-transformers is used with no pipeline.
    model = embedder._model  # noqa: SLF001 - the raw model is the point of comparison
    t0 = time.perf_counter()
    model.encode(texts, batch_size=embedder.batch_size, normalize_embeddings=True, show_progress_bar=False)
    t_raw = time.perf_counter() - t0
    # The whole ingest pipeline: parse + split (again) + embed + write the index folder.
    index_dir = work / "idx"
    t0 = time.perf_counter()
    corpus = ingest_folder(root)
    vectors = embed_clauses(corpus, embedder)
    t_main = time.perf_counter() - t0
    t0 = time.perf_counter()
    companion_vectors = embed_clauses(corpus, companion) if companion is not None else None
    t_companion = time.perf_counter() - t0
    t0 = time.perf_counter()
    write_index(index_dir, corpus, vectors, embedder.name,
                companion=(companion.name, companion_vectors) if companion is not None else None)
    t_ingest = t_main + time.perf_counter() - t0
    files = {s: sum(f.status == s for f in corpus.files) for s in ("ok", "skipped", "failed")}
    print(f"  files {files}, clauses {n}, parse+split alone {t_parse:.1f} s")
    print(f"  raw model encode: {n / t_raw:.1f} clauses/s ({t_raw:.1f} s)")
    print(f"  ingest pipeline:  {n / t_ingest:.1f} clauses/s ({t_ingest:.1f} s) = "
          f"{100 * t_raw / t_ingest:.0f}% of raw encode throughput")
    if companion is not None:
        print(f"  companion ({companion.name}) embedding: {n / t_companion:.1f} clauses/s ({t_companion:.1f} s)")
    index = PolicyIndex(index_dir, embedder)
    print(f"  index on disk {dir_mib(index_dir):.1f} MiB; process RSS {rss_mib():.0f} MiB")
    report("default search in process (hybrid)", time_searches(index, rounds))
    report("  lexical stage alone (BM25, top 50)", time_lexical_stage(index, rounds))
    report("dense-only search in process", time_searches(index, rounds, config=SearchConfig(mode="dense")))
    report("default search, filter format=pdf", time_searches(index, rounds, {"format": "pdf"}))
    if companion is not None:
        report("hybrid without the companion", time_searches(index, rounds, config=SearchConfig(companion=0.0)))
    for name, model in (("main", embedder), ("companion", companion)):
        if model is None:
            continue
        qvec_times = []
        for q in QUERIES * rounds:
            t = time.perf_counter()
            embed_query(model, [q])
            qvec_times.append((time.perf_counter() - t) * 1000)
        report(f"  query embedding, {name} model alone", qvec_times)
    report("search over HTTP (uvicorn, loopback)", http_latency(index_dir, rounds))
    index.close()


def bench_synthetic(embedder: SentenceTransformerEmbedder, work: Path, size: int, rounds: int,
                    companion: Embedder | None = None) -> None:
    print(f"== synthetic index of {size:,} clauses (random unit vectors, real query embeddings)")
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((size, embedder.dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    docs, clauses = [], []
    for d in range(size // 100):
        doc_id = f"synthetic/doc-{d:05d}.md"
        meta = {"audience": "public", "product": "shop" if d % 100 == 0 else "feed", "format": "markdown"}
        docs.append(ParsedDocument(doc_id, "markdown", f"Doc {d}", "", [], meta))
        for c in range(100):
            text = f"Clause {c} of synthetic document {d} about topic {(d * 100 + c) % 977} " * 4
            clauses.append(Clause(f"{doc_id}#s/{c}", doc_id, f"Doc {d}", ("S",), f"{c}.", text, None, 0, len(text), meta))
    corpus = Corpus(root=work, documents=docs, clauses=clauses, digest="synthetic")
    index_dir = work / "synthetic"
    extra = None
    if companion is not None:
        cvecs = rng.standard_normal((size, companion.dim)).astype(np.float32)
        extra = (companion.name, cvecs / np.linalg.norm(cvecs, axis=1, keepdims=True))
    t0 = time.perf_counter()
    write_index(index_dir, corpus, vectors, embedder.name, companion=extra)
    print(f"  write {time.perf_counter() - t0:.1f} s")
    del vectors, clauses, docs, corpus, extra
    before = rss_mib()
    t0 = time.perf_counter()
    index = PolicyIndex(index_dir, embedder)
    print(f"  load {time.perf_counter() - t0:.1f} s; index on disk {dir_mib(index_dir):.0f} MiB; "
          f"RSS {rss_mib():.0f} MiB (+{rss_mib() - before:.0f} MiB for the index)")
    report("default search in process (hybrid)", time_searches(index, rounds))
    report("  lexical stage alone (BM25, top 50)", time_lexical_stage(index, rounds))
    report("default search, filter matching 1%", time_searches(index, rounds, {"product": "shop"}))
    index.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = Path(__file__).resolve().parents[1]
    parser.add_argument("--corpus", type=Path, default=here.parent / "shared" / "corpora")
    parser.add_argument("--synthetic", type=int, default=100_000, help="clauses in the synthetic index (0: skip)")
    parser.add_argument("--rounds", type=int, default=5, help="passes over the 20 benchmark queries")
    parser.add_argument("--no-companion", action="store_true",
                        help="build the indexes without the e5 companion (`ingest --companion none`)")
    args = parser.parse_args()
    print(f"cores {os.cpu_count()}, torch threads {__import__('torch').get_num_threads()}")
    embedder = SentenceTransformerEmbedder()
    work = Path(tempfile.mkdtemp(prefix="policyscope-bench-"))
    try:
        bench_corpus(args.corpus, embedder, work, args.rounds, None if args.no_companion else load_embedder("e5"))
        if args.synthetic:
            bench_synthetic(embedder, work, args.synthetic, args.rounds, None if args.no_companion else load_embedder("e5"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({"done": True}))


if __name__ == "__main__":
    main()
