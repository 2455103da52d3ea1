"""Fit the search's confidence model and abstention threshold on dev splits; write index/calibration.json.

Label of a query: 1 when the corpus answers it (answerable), 0 when not; with --label top3, 1 only when
a grade-2 passage is also among the default search's top 3. A logistic regression over
index.confidence.FEATURES is fitted on the dev query sets (by default our dev split over corpus/ and,
when ../shared is beside the project, the shared-corpora dev split over ../shared/corpora; optionally
plus a PolicyQA dev sample, which has no unanswerable queries); the abstention threshold is the
highest one that abstains on at most --max-answerable of the answerable dev queries of all sets
together. Test splits are never read.

Run: python -m eval.calibrate [--dev QUERIES CORPUS ...] [--policyqa-sample N] [--max-answerable 0.04]
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
from pathlib import Path

import numpy as np

from eval.harness import ensure_index, ranked_hit
from eval.judgments import JudgedQuery, load_ours, load_passage_benchmark, write_passage_corpus
from eval.metrics import match_hits
from index.confidence import CALIBRATION, FEATURES, Calibration
from index.embed import load_companion, load_embedder
from index.search import DEFAULT_CONFIG, PolicyIndex

DEFAULT_DEV = ((Path("eval/data/queries-dev.jsonl"), Path("corpus")),
               (Path("eval/data-shared/queries-dev.jsonl"), Path("../shared/corpora")))


def collect(index: PolicyIndex, queries: list[JudgedQuery], label: str = "answerable"
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(features, labels, answerable) of each query under the default search."""
    X, y, answerable = [], [], []
    for q in queries:
        result = index.search(q.query, 10, q.filters, DEFAULT_CONFIG)
        keys = match_hits(q, [ranked_hit(h) for h in result.hits[:3]]) if q.answerable else []
        grade2 = {p.key for p in q.passages if p.grade == 2}
        X.append([result.features.get(f, 0.0) for f in FEATURES])
        y.append(int(q.answerable and (label == "answerable" or any(k in grade2 for k in keys))))
        answerable.append(q.answerable)
    return np.array(X), np.array(y), np.array(answerable)


def reliability(conf: np.ndarray, y: np.ndarray, bins: int = 5) -> list[tuple[str, int, float, float]]:
    """(bin, count, mean confidence, observed rate) per confidence bin."""
    edges = np.linspace(0, 1, bins + 1)
    out = []
    for lo, hi in itertools.pairwise(edges):
        m = (conf >= lo) & ((conf < hi) if hi < 1 else (conf <= hi))
        if m.any():
            out.append((f"{lo:.1f}-{hi:.1f}", int(m.sum()), float(conf[m].mean()), float(y[m].mean())))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", nargs=2, action="append", type=Path, metavar=("QUERIES", "CORPUS"),
                        help="a dev query set (our JSONL format) and the corpus it is judged on (repeatable; "
                             "default: " + ", ".join(f"{q} over {c}" for q, c in DEFAULT_DEV) + ", where present)")
    parser.add_argument("--policyqa", type=Path, default=Path("../shared/benchmarks/policyqa"))
    parser.add_argument("--policyqa-sample", type=int, default=0,
                        help="PolicyQA dev queries (answerable, real privacy policies) added to the fit and to the "
                             "threshold's answerable set, so it does not misfire on other libraries (0: none)")
    parser.add_argument("--label", choices=("answerable", "top3"), default="answerable")
    parser.add_argument("-C", type=float, default=10.0, help="inverse regularisation strength")
    parser.add_argument("--features", default="dense_top,answer_type_missing",
                        help=f"comma-separated subset of {','.join(FEATURES)} (default dense_top,answer_type_missing: "
                             "in cross-validation on the dev splits the others added nothing)")
    parser.add_argument("--max-answerable", type=float, default=0.04,
                        help="highest share of answerable dev queries the threshold may abstain on")
    parser.add_argument("--cache", type=Path, default=Path("data/eval-cache"))
    parser.add_argument("--out", type=Path, default=CALIBRATION)
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression

    dev_sets = args.dev or [(q, c) for q, c in DEFAULT_DEV if q.is_file() and c.is_dir()]
    if not args.dev:
        for q, c in DEFAULT_DEV:
            if (q, c) not in dev_sets:
                print(f"note: skipping the dev set {q} over {c} (not found; run from the project folder, with "
                      "../shared beside it, to use it)")
    if not dev_sets:
        raise SystemExit("error: no dev query sets; run from the project folder or give --dev QUERIES CORPUS")
    for queries_file, corpus in dev_sets:
        if not queries_file.is_file() or not corpus.is_dir():
            raise SystemExit(f"error: no dev set {queries_file} over {corpus}")
    embedder = load_embedder("all-MiniLM-L6-v2")
    companion = load_companion("auto", embedder.name)  # indexes as `policyscope ingest` builds them
    sets = []  # (name, features, labels, answerable) per dev set
    for queries_file, corpus in dev_sets:
        index = PolicyIndex(ensure_index(corpus, args.cache, embedder, companion=companion), embedder,
                            calibration=None)
        sets.append((str(queries_file), *collect(index, load_ours(queries_file, corpus), args.label)))
    X = np.vstack([s[1] for s in sets])
    y = np.concatenate([s[2] for s in sets])
    answerable = np.concatenate([s[3] for s in sets])
    Xs, ys = [X], [y]
    if args.policyqa.is_dir() and args.policyqa_sample:
        with tempfile.TemporaryDirectory() as tmp:
            mapping = write_passage_corpus(args.policyqa / "dev" / "corpus.jsonl", Path(tmp) / "policyqa-dev")
            pqa = PolicyIndex(ensure_index(Path(tmp) / "policyqa-dev", args.cache, embedder, companion=companion),
                              embedder, calibration=None)
            queries = load_passage_benchmark(args.policyqa / "dev" / "queries.jsonl", mapping, restricted=True)
            step = max(1, len(queries) // args.policyqa_sample)
            Xp, yp, _ = collect(pqa, queries[::step], args.label)
            Xs.append(Xp)
            ys.append(yp)
    chosen = tuple(f.strip() for f in args.features.split(","))
    if not set(chosen) <= set(FEATURES):
        raise SystemExit(f"error: --features must be a subset of {', '.join(FEATURES)}")
    cols = [FEATURES.index(f) for f in chosen]
    X = X[:, cols]
    Xs = [x[:, cols] for x in Xs]
    model = LogisticRegression(C=args.C, max_iter=2000).fit(np.vstack(Xs), np.concatenate(ys))
    cal = Calibration(tuple(float(w) for w in model.coef_[0]), float(model.intercept_[0]), 0.0,
                      fitted_on=" + ".join(name for name, *_ in sets) + (" + PolicyQA dev sample" if len(ys) > 1 else "")
                      + f" ({sum(len(v) for v in ys)} queries, label {args.label}, C {args.C})")
    cal = Calibration(cal.weights, cal.bias, 0.0, cal.fitted_on, embedder.name, chosen)
    conf = np.array([cal.confidence(dict(zip(chosen, row))) for row in X])
    # Highest threshold whose abstentions on answerable dev queries (ours and PolicyQA's) stay within the share.
    extra = [np.array([cal.confidence(dict(zip(chosen, row))) for row in x]) for x in Xs[1:]]
    ans_conf = np.sort(np.concatenate([conf[answerable], *extra]))
    allowed = int(np.floor(args.max_answerable * len(ans_conf)))
    threshold = float(ans_conf[allowed]) if allowed < len(ans_conf) else 1.0
    cal = Calibration(cal.weights, cal.bias, round(threshold - 1e-6, 6), cal.fitted_on, embedder.name, chosen)
    cal.save(args.out)
    print(f"weights {dict(zip(chosen, np.round(cal.weights, 3)))} bias {cal.bias:.3f} threshold {cal.threshold:.4f}")
    for name, Xd, _, ans in sets:
        a = np.array([cal.confidence(dict(zip(chosen, row[cols]))) for row in Xd]) < cal.threshold
        print(f"{name}: unanswerable abstained {a[~ans].sum()}/{(~ans).sum()}, answerable abstained "
              f"{a[ans].sum()}/{ans.sum()} ({a[ans].mean():.1%})")
    for x in extra:
        print(f"PolicyQA dev sample: answerable abstained {(x < cal.threshold).mean():.2%} of {len(x)}")
    print(f"reliability on the dev sets (bin, queries, mean confidence, observed share with label {args.label}):")
    for row in reliability(conf, y):
        print(f"  {row[0]}  n={row[1]:3d}  confidence {row[2]:.2f}  observed {row[3]:.2f}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
