"""Shared fixtures: one index build per session, never one per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.build import build_index
from index.embed import HashingEmbedder, SentenceTransformerEmbedder
from index.search import PolicyIndex
from ingest.corpus import ingest_folder

REPO = Path(__file__).resolve().parents[1]
FIXTURE_POLICIES = REPO / "tests" / "fixtures" / "policies"  # small fixed policies the tests assert on
CORPUS = REPO / "corpus"
SHARED = REPO.parent / "shared"
SHARED_CORPORA = SHARED / "corpora"

SYNTHETIC_DOCS = 100  # 100 documents x 10 clauses; one document is product "shop": 1% of the clauses


def _write_synthetic(folder: Path) -> None:
    topics = ["refunds", "appeals", "gifts", "payouts", "strikes", "privacy", "ads", "verification", "music", "bans"]
    for d in range(SYNTHETIC_DOCS):
        product = "shop" if d == SYNTHETIC_DOCS - 1 else "feed"
        lines = [
            "---", f"title: Synthetic policy {d}", "audience: public", "region: global",
            f"product: {product}", "language: en", "---", f"# Synthetic policy {d}", "",
        ]
        for n, topic in enumerate(topics, 1):
            lines += [
                f"{n}. Rules about {topic} number {d}. Account holders asking about {topic} should read this "
                f"clause carefully because it explains how {topic} work for document {d} and clause {n}.", "",
            ]
        (folder / f"synthetic-{d:03d}.md").write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture policies plus 1,000 synthetic clauses, as one folder."""
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(FIXTURE_POLICIES, root / "policies")
    (root / "synthetic").mkdir()
    _write_synthetic(root / "synthetic")
    return root


@pytest.fixture(scope="session")
def hashing_index_dir(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("index") / "idx"
    build_index(ingest_folder(corpus_dir), HashingEmbedder(), folder)
    return folder


@pytest.fixture(scope="session")
def hashing_index(hashing_index_dir: Path) -> PolicyIndex:
    idx = PolicyIndex(hashing_index_dir, HashingEmbedder())
    yield idx
    idx.close()


@pytest.fixture(scope="session")
def minilm() -> SentenceTransformerEmbedder:
    """The real bundled all-MiniLM-L6-v2, loaded offline, once per session."""
    return SentenceTransformerEmbedder()


@pytest.fixture(scope="session")
def real_index(minilm: SentenceTransformerEmbedder, tmp_path_factory: pytest.TempPathFactory) -> PolicyIndex:
    """The fixture policies embedded with the real model."""
    folder = tmp_path_factory.mktemp("real") / "idx"
    build_index(ingest_folder(FIXTURE_POLICIES), minilm, folder)
    idx = PolicyIndex(folder, minilm)
    yield idx
    idx.close()


@pytest.fixture(scope="session")
def shared_corpora_dir() -> Path:
    if not SHARED_CORPORA.is_dir():
        pytest.skip(f"{SHARED_CORPORA} is not there")
    return SHARED_CORPORA


@pytest.fixture(scope="session")
def shared_corpus():
    """All three real corpora from ../shared, parsed once (no embedding)."""
    if not SHARED_CORPORA.is_dir():
        pytest.skip(f"{SHARED_CORPORA} is not there")
    return ingest_folder(SHARED_CORPORA)
