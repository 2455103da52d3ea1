import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from index.build import FORMAT_VERSION, MANIFEST, IndexUnavailable, build_index, read_manifest
from index.embed import HashingEmbedder
from index.search import PolicyIndex, SearchConfig

LEXICAL = SearchConfig(mode="lexical")
from ingest.corpus import ingest_folder


def test_manifest_describes_the_index(hashing_index_dir: Path, corpus_dir: Path):
    m = json.loads((hashing_index_dir / MANIFEST).read_text())
    corpus = ingest_folder(corpus_dir)
    assert m["format_version"] == FORMAT_VERSION
    assert m["model"] == "hashing-256" and m["dim"] == 256
    assert m["clause_count"] == len(corpus.clauses) and m["document_count"] == len(corpus.documents)
    assert m["corpus_hash"] == corpus.digest and len(m["corpus_hash"]) == 64
    assert m["built_at"] and m["source"] == str(corpus_dir)
    assert sorted(p.name for p in hashing_index_dir.iterdir()) == ["clauses.sqlite", "duplicates.npy", "lexical", "lexical-plain", "manifest.json", "vectors.faiss"]


class _FailingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def embed(self, texts):
        self.calls += 1
        if self.calls == 2:
            raise RuntimeError("simulated crash while embedding")
        return super().embed(texts)


def test_a_crash_during_a_rebuild_leaves_the_old_index_intact(tmp_path: Path, corpus_dir: Path):
    folder = tmp_path / "idx"
    corpus = ingest_folder(corpus_dir)
    build_index(corpus, HashingEmbedder(), folder)
    before = read_manifest(folder)
    with pytest.raises(RuntimeError, match="simulated crash"):
        build_index(corpus, _FailingEmbedder(), folder)
    assert read_manifest(folder) == before
    assert [p.name for p in tmp_path.iterdir()] == ["idx"]  # no temporary folder left behind


def test_an_index_from_another_model_names_both_and_the_rebuild_command(hashing_index_dir: Path):
    with pytest.raises(IndexUnavailable) as err:
        PolicyIndex(hashing_index_dir, HashingEmbedder(dim=128))
    msg = str(err.value)
    assert "hashing-256" in msg and "hashing-128" in msg and "policyscope ingest" in msg


def test_an_index_of_another_format_names_both_versions(tmp_path: Path, hashing_index_dir: Path):
    folder = tmp_path / "old"
    shutil.copytree(hashing_index_dir, folder)
    m = json.loads((folder / MANIFEST).read_text())
    m["format_version"] = 0
    (folder / MANIFEST).write_text(json.dumps(m))
    with pytest.raises(IndexUnavailable, match=rf"format 0 .*reads format {FORMAT_VERSION}.*policyscope ingest"):
        read_manifest(folder)


def test_missing_index_says_how_to_build_one(tmp_path: Path):
    with pytest.raises(IndexUnavailable, match=r"No index at .*policyscope ingest corpus/"):
        read_manifest(tmp_path / "none")


def test_lexical_search_finds_exact_terms(hashing_index: PolicyIndex):
    hits = hashing_index.search("moderators mute", k=3, config=LEXICAL).hits
    assert hits[0].clause.number == "3.1" and hits[0].clause.doc_id.endswith("live.md")
    assert hashing_index.search("zzzz-unknown-term", k=3, config=LEXICAL).hits == []
    only = hashing_index.search("rules refunds", k=10, filters={"product": "shop"}, config=LEXICAL).hits
    assert len(only) == 10 and {h.clause.meta["product"] for h in only} == {"shop"}


def test_hashing_embedder_is_deterministic_and_unit_norm():
    e = HashingEmbedder()
    a, b = e.embed(["appeal a ban", "appeal a ban"]), e.embed(["appeal a ban"])
    assert a.dtype == np.float32 and np.allclose(a[0], b[0]) and np.isclose(np.linalg.norm(a[0]), 1.0)
