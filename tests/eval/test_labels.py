"""The shipped corpus and its labelled sets: every document parses, every judgment holds."""

import datetime as dt
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from eval.labels import DATA, check_files, read_jsonl
from ingest.corpus import ingest_folder
from ingest.markdown import split_front_matter

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
FRONT_MATTER_KEYS = {"title", "audience", "region", "product", "language", "area", "version", "effective"}
PRODUCTS = {"platform", "live", "monetisation", "shop", "ads", "privacy", "accounts"}


@pytest.fixture(scope="module")
def corpus():
    return ingest_folder(CORPUS)


def _load(pattern: str) -> list[dict]:
    return [item for p in sorted(DATA.glob(pattern)) for item in read_jsonl(p)]


def test_every_document_parses(corpus):
    assert [f for f in corpus.files if f.status != "ok"] == []


def test_corpus_size_formats_and_audiences(corpus):
    formats = Counter(d.format for d in corpus.documents)
    assert len(corpus.documents) >= 30
    assert sum(len(b.text.split()) for d in corpus.documents for b in d.blocks) >= 40_000
    assert formats["markdown"] >= 20 and formats["pdf"] >= 3 and formats["html"] >= 8 and formats["text"] >= 3
    assert all(len(d.pages) >= 2 for d in corpus.documents if d.format == "pdf")
    assert sum(d.meta.get("audience") == "internal" for d in corpus.documents) >= 4


def test_markdown_front_matter_is_complete_and_valid():
    for path in sorted(CORPUS.rglob("*.md")):
        front, _ = split_front_matter(path.read_text(encoding="utf-8"))
        missing = FRONT_MATTER_KEYS - set(front)
        assert not missing, f"{path}: front matter lacks {missing}"
        assert front["audience"] in ("public", "internal"), path
        assert front["product"] in PRODUCTS, path
        assert isinstance(front["effective"], dt.date), f"{path}: effective must be YYYY-MM-DD"
        assert isinstance(front["version"], str), f"{path}: quote the version"
        if "supersedes" in front:
            assert (CORPUS / front["supersedes"]).is_file(), f"{path}: supersedes an unknown document"


def test_at_least_two_policies_have_an_older_version(corpus):
    docs = {d.doc_id: d for d in corpus.documents}
    pairs = [(d, docs[d.meta["supersedes"]]) for d in corpus.documents if "supersedes" in d.meta]
    assert len(pairs) >= 2
    for new, old in pairs:
        assert new.meta["effective"] > old.meta["effective"] and new.meta["version"] != old.meta["version"]


def test_pdfs_are_built_from_their_sources():
    result = subprocess.run([sys.executable, "scripts/build_pdfs.py", "--check"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_judgment_holds():
    files = sorted(DATA.glob("*.jsonl"))
    assert files
    assert check_files(CORPUS, files) == []


def test_labelled_set_sizes():
    queries = _load("queries-dev.jsonl") + _load("queries-test.jsonl")
    assert len(queries) >= 150
    assert sum(not q["answerable"] for q in queries) >= 15
    assert len({q["area"] for q in queries}) >= 15
    cases = _load("cases-*.jsonl")
    assert len(cases) >= 60
    verdicts = Counter(c["verdict"] for c in cases)
    assert min(verdicts[v] for v in ("SUPPORTED", "CONTRADICTED", "NOT_COVERED")) >= 10
    assert len({c["kind"] for c in cases if c["verdict"] == "CONTRADICTED"}) >= 5
    translated = _load("queries-multilingual-*.jsonl")
    assert len(translated) >= 40 and len({t["language"] for t in translated}) >= 8


def test_splits_are_disjoint_and_translations_follow_their_source():
    dev = {q["query_id"] for q in _load("queries-dev.jsonl")}
    test = {q["query_id"] for q in _load("queries-test.jsonl")}
    assert dev and test and not dev & test
    for split, ids in (("dev", dev), ("test", test)):
        for t in _load(f"queries-multilingual-{split}.jsonl"):
            assert t["source_query_id"] in ids
    dev_cases = {c["case_id"] for c in _load("cases-dev.jsonl")}
    test_cases = {c["case_id"] for c in _load("cases-test.jsonl")}
    assert dev_cases and test_cases and not dev_cases & test_cases


@pytest.mark.parametrize("split", ["dev", "test"])
def test_shared_corpora_cases_name_real_documents_and_copy_no_text(shared_corpora_dir, split):
    # Cases over ../shared/corpora (which we may not copy) cite documents by doc_id only, never by quote.
    from eval.labels import KINDS, VERDICTS

    folder = Path(__file__).resolve().parents[2] / "eval" / "data-shared"
    cases = [json.loads(line) for line in (folder / f"cases-{split}.jsonl").read_text(encoding="utf-8").splitlines()]
    other = "test" if split == "dev" else "dev"
    other_cases = [json.loads(line) for line in (folder / f"cases-{other}.jsonl").read_text(encoding="utf-8").splitlines()]
    assert not {c["statement"] for c in cases} & {c["statement"] for c in other_cases}
    assert not {c["case_id"] for c in cases} & {c["case_id"] for c in other_cases}
    assert len(cases) >= 60 and len({c["case_id"] for c in cases}) == len(cases)
    assert {c["verdict"] for c in cases} == VERDICTS and all(c["kind"] in KINDS for c in cases)
    for c in cases:
        assert c["statement"].strip()
        assert bool(c["evidence"]) == (c["verdict"] != "NOT_COVERED"), c["case_id"]
        for ev in c["evidence"]:
            assert set(ev) == {"doc_id"}, c["case_id"]
            assert (shared_corpora_dir / ev["doc_id"]).is_file(), ev["doc_id"]


def test_shared_corpora_queries_hold_and_copy_no_text(shared_corpora_dir):
    # Queries over ../shared/corpora judge passages by span and fingerprint: every one still holds, none quotes.
    from eval.judgments import load_ours

    folder = Path(__file__).resolve().parents[2] / "eval" / "data-shared"
    splits = {split: load_ours(folder / f"queries-{split}.jsonl", shared_corpora_dir) for split in ("dev", "test")}
    assert not {q.query_id for q in splits["dev"]} & {q.query_id for q in splits["test"]}
    for split, queries in splits.items():
        assert sum(q.answerable for q in queries) >= 40 and sum(not q.answerable for q in queries) >= 15
        assert all(bool(q.passages) == q.answerable for q in queries)
        raw = [json.loads(line) for line in (folder / f"queries-{split}.jsonl").read_text(encoding="utf-8").splitlines()]
        assert all("quote" not in rel for item in raw for rel in item["relevant"])
        assert check_files(shared_corpora_dir, [folder / f"queries-{split}.jsonl"]) == []
