"""`policyscope eval` end to end on small judged sets (hashing embedder: no model load)."""

import json
from pathlib import Path

import pytest

from api.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "policies"

QUERIES = [
    {"query_id": "q1", "query": "how many moderators can a host appoint for their LIVEs", "area": "live",
     "answerable": True, "relevant": [{"doc_id": "community-guidelines/live.md",
                                        "quote": "Hosts may appoint up to 20 moderators for their LIVEs", "grade": 2}]},
    {"query_id": "q2", "query": "when does a strike expire", "area": "enforcement", "answerable": True,
     "relevant": [{"doc_id": "enforcement/strikes.md", "quote": "A strike expires 90 days after it was issued", "grade": 2}]},
    {"query_id": "q3", "query": "appeal a permanent ban deadline", "area": "appeals", "answerable": True,
     "relevant": [{"doc_id": "enforcement/appeals.md",
                   "quote": "A permanent ban may be appealed within 180 days of the ban notice", "grade": 2},
                  {"doc_id": "macros/appeal-deadline-reply.txt",
                   "quote": "You can appeal a permanent ban within 180 days of the ban notice", "grade": 1}]},
    {"query_id": "q4", "query": "what colour is the office carpet", "area": "other", "answerable": False, "relevant": []},
]


@pytest.fixture(scope="module")
def judged(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("eval")
    path = root / "queries.jsonl"
    path.write_text("".join(json.dumps(q) + "\n" for q in QUERIES))
    return path, root


def _eval(judged, *extra: str) -> int:
    path, root = judged
    return main(["eval", "--queries", str(path), "--corpus", str(FIXTURES), "--cache", str(root / "cache"),
                 "--model", "hashing-256", "--quiet", *extra])


def test_eval_writes_the_comparison_and_report_files(judged, capsys):
    out = judged[1] / "out"
    assert _eval(judged, "--configs", "default,lexical,dense-top1", "--out", str(out)) == 0
    printed = capsys.readouterr().out
    assert "| config | ndcg@10 | recall@5 | recall@10 | mrr@10 | success@1 | success@5 |" in printed
    report = json.loads((out / "report.json").read_text())
    assert set(report["configs"]) == {"default", "lexical", "dense-top1"}
    default = report["configs"]["default"]
    assert set(default["per_query"]) == {"q1", "q2", "q3"}  # q4 has no judged passage
    assert default["citation_fidelity"] == 1.0
    assert set(default["per_area"]) == {"live", "enforcement", "appeals"}
    assert default["latency_ms"]["p50"] > 0
    assert "lexical" in report["paired_t_test_p"]["default"]
    md = (out / "report.md").read_text()
    assert "## ndcg@10 per policy area" in md and "## Worst misses: dense-top1" in md
    for png in ("metrics.png", "areas.png"):
        assert (out / png).read_bytes()[:4] == b"\x89PNG"
    # The index was built once into the cache and reused by every configuration.
    assert len(list((judged[1] / "cache").iterdir())) == 1


def test_the_gate_passes_the_default_and_fails_a_weakened_configuration(judged, capsys):
    assert _eval(judged, "--configs", "default", "--out", str(judged[1] / "g1"), "--fail-under", "recall@5=0.9",
                 "--fail-under", "citation_fidelity=1") == 0
    assert "gate passed" in capsys.readouterr().out
    # dense-top1 keeps one hit per query: recall@5 drops below the floor for the two-passage query.
    assert _eval(judged, "--configs", "dense-top1", "--out", str(judged[1] / "g2"), "--fail-under", "recall@5=0.9") == 1
    assert "GATE FAILED: dense-top1: recall@5 = 0.8333 < 0.9" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["--fail-under", "ndcg@10"], "METRIC=VALUE"),
    (["--fail-under", "ndcg@10=high"], "METRIC=VALUE"),
    (["--fail-under", "bleu=0.5"], "unknown metric"),
    (["--configs", "magic"], "unknown configuration"),
])
def test_bad_eval_arguments_say_what_to_fix(judged, args, message):
    with pytest.raises(SystemExit, match=message):
        _eval(judged, "--out", str(judged[1] / "bad"), *args)


def test_trec_qrels_over_clause_ids(judged, hashing_index, tmp_path):
    hit = hashing_index.search("Hosts may appoint up to 20 moderators", k=1, filters={"doc_id": "policies/"}).hits[0]
    queries = tmp_path / "q.jsonl"
    queries.write_text(json.dumps({"query_id": "t1", "query": "moderators a host may appoint"}) + "\n")
    qrels = tmp_path / "qrels.txt"
    qrels.write_text(f"t1 0 {hit.clause.clause_id} 2\n")
    from eval.judgments import load_trec

    (q,) = load_trec(queries, qrels)
    assert q.answerable and q.passages[0].clause_id == hit.clause.clause_id


def test_passage_benchmark_restricted_and_pooled(tmp_path, capsys):
    bench = tmp_path / "bench"
    bench.mkdir()
    passages = [("site-a.com", "site-a.com#1", "We share your email address with advertisers for marketing."),
                ("site-a.com", "site-a.com#2", "You can delete your account at any time from the settings page."),
                ("site-b.com", "site-b.com#1", "We never share your email address with advertisers."),
                ("site-b.com", "site-b.com#2", "Cookies are stored for thirty days.")]
    (bench / "corpus.jsonl").write_text("".join(
        json.dumps({"doc_id": d, "passage_id": p, "text": t}) + "\n" for d, p, t in passages))
    (bench / "queries.jsonl").write_text(
        json.dumps({"query_id": "b1", "query": "do you share my email address with advertisers", "doc_id": "site-a.com",
                    "relevant": ["site-a.com#1"], "opp115_types": ["Third Party Sharing|||x"]}) + "\n")
    code = main(["eval", "--benchmark", str(bench), "--cache", str(tmp_path / "cache"), "--out", str(tmp_path / "o"),
                 "--model", "hashing-256", "--configs", "default", "--quiet"])
    assert code == 0
    restricted = json.loads((tmp_path / "o" / "bench-test-restricted" / "report.json").read_text())
    pooled = json.loads((tmp_path / "o" / "bench-test-pooled" / "report.json").read_text())
    assert restricted["configs"]["default"]["metrics"]["success@1"] == 1.0
    assert set(restricted["configs"]["default"]["per_area"]) == {"Third Party Sharing"}
    assert pooled["clauses"] == restricted["clauses"] == 4
