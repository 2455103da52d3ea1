import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from api.cli import main


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
    assert json.loads((tmp_path / "idx" / "manifest.json").read_text())["document_count"] >= 5


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
    hits = json.loads(capsys.readouterr().out)
    assert len(hits) == 2 and hits[0]["citation"]["number"] == "3.1"


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
    assert set(lines[0]) == {"query_id", "hits"} and len(lines[0]["hits"]) == 4
    assert set(lines[0]["hits"][0]) == {"clause_id", "doc_id", "title", "section", "number", "page", "char_start",
                                         "char_end", "text", "score"}
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
])
def test_search_argument_errors(hashing_index_dir: Path, argv, message):
    with pytest.raises(SystemExit, match=message):
        main(argv + ["--index", str(hashing_index_dir)])


def test_index_path_comes_from_the_environment(hashing_index_dir: Path):
    env = {**os.environ, "POLICYSCOPE_INDEX": str(hashing_index_dir)}
    out = subprocess.run([sys.executable, "-m", "api.cli", "search", "strike expires", "-k", "1", "--json"],
                         capture_output=True, text=True, env=env, cwd=Path(__file__).parents[2], check=True).stdout
    assert len(json.loads(out)) == 1


def test_missing_index_is_a_clear_error(tmp_path: Path):
    with pytest.raises(SystemExit, match=r"No index at .*policyscope ingest"):
        main(["search", "x", "--index", str(tmp_path / "none")])
