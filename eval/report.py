"""Eval reports: JSON (everything), Markdown (tables people read), PNG charts (matplotlib)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eval.harness import ConfigResult
from eval.metrics import METRICS


def comparison_table(results: Sequence[ConfigResult], pvalues: dict[str, dict[str, dict[str, float]]],
                     baseline: str | None = None) -> str:
    """Markdown table: one row per configuration; p is the paired t-test on ndcg@10 against the baseline."""
    base = baseline or results[0].config.name
    head = ["config", *METRICS, "citation fidelity", "best sentence", "p50 ms", "p95 ms", f"p (ndcg@10 vs {base})"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        p = pvalues.get(base, {}).get(r.config.name, {}).get("ndcg@10")
        cells = [r.config.name, *(f"{r.metrics[m]:.4f}" for m in METRICS), f"{r.citation_fidelity:.3f}",
                 "—" if r.best_sentence is None else f"{r.best_sentence:.3f}",
                 f"{r.latency_ms.get('p50', 0):.1f}", f"{r.latency_ms.get('p95', 0):.1f}",
                 "—" if r.config.name == base or p is None else "identical ranking" if p != p else f"{p:.3g}"]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def abstention_table(results: Sequence[ConfigResult]) -> str:
    """Markdown table: how often each configuration abstained, on unanswerable and on answerable queries."""
    rows = ["| config | unanswerable abstained | answerable abstained (wrongly) |", "|---|---|---|"]
    for r in results:
        a = r.abstention
        if a:
            rows.append(f"| {r.config.name} | {a['unanswerable_abstained']:.1%} of {int(a['unanswerable'])} | "
                        f"{a['answerable_abstained']:.1%} of {int(a['answerable'])} |")
    return "\n".join(rows) if len(rows) > 2 else ""


def reliability(result: ConfigResult, answerable: dict[str, bool], bins: int = 5) -> list[dict[str, float]]:
    """Reliability of the confidence: per bin, the mean confidence and the share of answerable queries."""
    pairs = [(c, answerable[q]) for q, c in result.confidence.items() if q in answerable]
    out = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(c, a) for c, a in pairs if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if inside:
            out.append({"bin": f"{lo:.1f}-{hi:.1f}", "queries": len(inside),
                        "confidence": sum(c for c, _ in inside) / len(inside),
                        "answerable": sum(a for _, a in inside) / len(inside)})
    return out


def area_table(results: Sequence[ConfigResult]) -> str:
    """Markdown table of ndcg@10 per policy area (rows) and configuration (columns)."""
    areas = sorted({a for r in results for a in r.per_area})
    head = ["area", "queries", *(r.config.name for r in results)]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for area in areas:
        n = next(int(r.per_area[area]["queries"]) for r in results if area in r.per_area)
        cells = [f"{r.per_area[area]['ndcg@10']:.3f}" if area in r.per_area else "" for r in results]
        rows.append("| " + " | ".join([area, str(n), *cells]) + " |")
    return "\n".join(rows)


def write_report(out: Path, title: str, results: Sequence[ConfigResult], pvalues: dict[str, Any],
                 info: dict[str, Any], baseline: str | None = None,
                 answerable: dict[str, bool] | None = None) -> dict[str, Path]:
    """Write report.json, report.md and charts into out; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    answerable = answerable or {}
    data = {
        "title": title, **info,
        "configs": {
            r.config.name: {
                "description": r.config.describe(), "metrics": r.metrics, "citation_fidelity": r.citation_fidelity,
                "best_sentence": r.best_sentence, "latency_ms": r.latency_ms, "per_area": r.per_area, "per_query": r.per_query, "worst_misses": r.worst,
                "abstention": r.abstention, "reliability": reliability(r, answerable) if r.confidence else [],
            }
            for r in results
        },
        "paired_t_test_p": pvalues,
    }
    paths = {"json": out / "report.json", "markdown": out / "report.md"}
    paths["json"].write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md = [f"# {title}", "", "  ".join(f"{k}: {v}" for k, v in info.items()), "",
          comparison_table(results, pvalues, baseline), ""]
    if abstention_table(results):
        md += ["## Abstention (\"no policy found\")", "", abstention_table(results), ""]
        for r in results:
            if r.confidence:
                md += [f"Reliability of {r.config.name}'s confidence (share of queries the corpus answers, per bin): "
                       + ", ".join(f"{b['bin']}: n={b['queries']}, confidence {b['confidence']:.2f}, "
                                   f"answerable {b['answerable']:.2f}" for b in reliability(r, answerable)), ""]
    md += ["## ndcg@10 per policy area", "", area_table(results), ""]
    for r in results:
        md += [f"## Worst misses: {r.config.name}", ""]
        for w in r.worst:
            first = w["ranked_first"]
            md += [f"- **{w['query_id']}** ({w['ndcg@10']}): {w['query']}",
                   f"  - expected: `{w['expected']['doc_id']}`" + (f" p.{w['expected']['page']}" if w["expected"]["page"] else "")
                   + f": {w['expected']['quote'][:200]}",
                   f"  - ranked first: `{first['doc_id']}`: {first['text'][:200]}" if first else "  - ranked first: nothing"]
        md.append("")
    paths["markdown"].write_text("\n".join(md), encoding="utf-8")
    paths.update(_charts(out, results))
    if any(r.confidence for r in results) and answerable:
        paths["reliability_png"] = _reliability_chart(out, results, answerable)
    return paths


def _reliability_chart(out: Path, results: Sequence[ConfigResult], answerable: dict[str, bool]) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    for r in results:
        bins = reliability(r, answerable, bins=10)
        if bins:
            ax.plot([b["confidence"] for b in bins], [b["answerable"] for b in bins], marker="o",
                    label=f"{r.config.name} (n per bin: {', '.join(str(b['queries']) for b in bins)})")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("confidence")
    ax.set_ylabel("share of queries the corpus answers")
    ax.set_title("Reliability diagram")
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    path = out / "reliability.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _charts(out: Path, results: Sequence[ConfigResult]) -> dict[str, Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    names = [r.config.name for r in results]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    width = 0.8 / len(results)
    x = np.arange(len(METRICS))
    for i, r in enumerate(results):
        ax.bar(x + i * width, [r.metrics[m] for m in METRICS], width, label=r.config.name)
    ax.set_xticks(x + width * (len(results) - 1) / 2, METRICS)
    ax.set_ylim(0, 1)
    ax.set_ylabel("score")
    ax.legend()
    ax.set_title("Retrieval quality by configuration")
    fig.tight_layout()
    metrics_png = out / "metrics.png"
    fig.savefig(metrics_png, dpi=110)
    plt.close(fig)

    areas = sorted({a for r in results for a in r.per_area})
    fig, ax = plt.subplots(figsize=(9, max(3, 0.32 * len(areas) + 1)))
    y = np.arange(len(areas))
    height = 0.8 / len(results)
    for i, r in enumerate(results):
        ax.barh(y + i * height, [r.per_area.get(a, {}).get("ndcg@10", 0) for a in areas], height, label=r.config.name)
    ax.set_yticks(y + height * (len(results) - 1) / 2, areas)
    ax.set_xlim(0, 1)
    ax.set_xlabel("ndcg@10")
    ax.invert_yaxis()
    ax.legend(names, loc="lower right")
    ax.set_title("ndcg@10 per policy area")
    fig.tight_layout()
    areas_png = out / "areas.png"
    fig.savefig(areas_png, dpi=110)
    plt.close(fig)
    return {"metrics_png": metrics_png, "areas_png": areas_png}
