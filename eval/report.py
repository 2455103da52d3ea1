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
    head = ["config", *METRICS, "citation fidelity", "p50 ms", "p95 ms", f"p (ndcg@10 vs {base})"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        p = pvalues.get(base, {}).get(r.config.name, {}).get("ndcg@10")
        cells = [r.config.name, *(f"{r.metrics[m]:.4f}" for m in METRICS), f"{r.citation_fidelity:.3f}",
                 f"{r.latency_ms.get('p50', 0):.1f}", f"{r.latency_ms.get('p95', 0):.1f}",
                 "—" if r.config.name == base or p is None else "identical ranking" if p != p else f"{p:.3g}"]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


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
                 info: dict[str, Any], baseline: str | None = None) -> dict[str, Path]:
    """Write report.json, report.md and charts into out; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    data = {
        "title": title, **info,
        "configs": {
            r.config.name: {
                "description": r.config.describe(), "metrics": r.metrics, "citation_fidelity": r.citation_fidelity,
                "latency_ms": r.latency_ms, "per_area": r.per_area, "per_query": r.per_query, "worst_misses": r.worst,
            }
            for r in results
        },
        "paired_t_test_p": pvalues,
    }
    paths = {"json": out / "report.json", "markdown": out / "report.md"}
    paths["json"].write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md = [f"# {title}", "", "  ".join(f"{k}: {v}" for k, v in info.items()), "",
          comparison_table(results, pvalues, baseline), "", "## ndcg@10 per policy area", "", area_table(results), ""]
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
    return paths


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
