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


class _CountingEmbedder(HashingEmbedder):
    """The hashing model, remembering every text it was asked to embed."""

    def __init__(self, dim: int = 256) -> None:
        super().__init__(dim)
        self.texts: list[str] = []

    def embed(self, texts):
        self.texts += list(texts)
        return super().embed(texts)


def test_a_rebuild_embeds_only_the_clauses_that_changed(tmp_path: Path):
    from index.build import VECTORS, VECTORS_COMPANION, Reuse
    from index.vectors import VectorIndex

    src = tmp_path / "src"
    shutil.copytree(Path(__file__).parents[1] / "fixtures" / "policies", src)
    folder = tmp_path / "idx"
    build_index(ingest_folder(src), HashingEmbedder(), folder, companion=HashingEmbedder(64))
    appeals = src / "enforcement" / "appeals.md"
    appeals.write_text(appeals.read_text().replace("180 days of the decision", "120 days of the decision"))
    corpus = ingest_folder(src)
    changed = [c for c in corpus.clauses if "120 days" in c.text]
    assert len(changed) == 1
    main, companion = _CountingEmbedder(), _CountingEmbedder(64)
    reuse = Reuse(folder)
    build_index(corpus, main, folder, companion=companion, reuse=reuse)
    # Only the edited clause was embedded, by each model; every other vector came from the old index.
    assert len(main.texts) == len(companion.texts) == 1 and "120 days" in main.texts[0]
    assert (reuse.embedded, reuse.reused) == (2, 2 * (len(corpus.clauses) - 1))
    # ... and the index is the one a full rebuild writes.
    fresh = tmp_path / "fresh"
    build_index(corpus, HashingEmbedder(), fresh, companion=HashingEmbedder(64))
    for name in (VECTORS, VECTORS_COMPANION):
        np.testing.assert_allclose(VectorIndex.load(folder / name).all(), VectorIndex.load(fresh / name).all(),
                                   atol=1e-6)


def test_nothing_is_reused_from_another_model_or_a_missing_index(tmp_path: Path):
    from index.build import Reuse

    src = Path(__file__).parents[1] / "fixtures" / "policies"
    corpus = ingest_folder(src)
    folder = tmp_path / "idx"
    build_index(corpus, HashingEmbedder(128), folder)
    other = _CountingEmbedder(256)  # another model (another name and dimension)
    reuse = Reuse(folder)
    build_index(corpus, other, tmp_path / "idx2", reuse=reuse)
    assert len(other.texts) == len(corpus.clauses) and reuse.reused == 0
    assert Reuse(tmp_path / "nowhere").known("hashing-256", 256) == {}


def test_a_damaged_index_lends_nothing_and_the_rebuild_still_succeeds(tmp_path: Path):
    from index.build import STORE, Reuse

    src = Path(__file__).parents[1] / "fixtures" / "policies"
    corpus = ingest_folder(src)
    folder = tmp_path / "idx"
    build_index(corpus, HashingEmbedder(), folder)
    (folder / STORE).write_bytes(b"not a database")
    reuse = Reuse(folder)
    counting = _CountingEmbedder()
    build_index(corpus, counting, folder, reuse=reuse)
    assert reuse.reused == 0 and len(counting.texts) == len(corpus.clauses)
    assert read_manifest(folder).clause_count == len(corpus.clauses)
