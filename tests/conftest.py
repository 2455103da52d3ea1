"""Shared fixtures: one index build per session, never one per test."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


# Two versions of one strike policy, a gifts policy whose successor is not in effect until 2100, and an
# undated note. supersedes names are relative to policies/, as a corpus folder would write them.
VERSIONED_POLICIES = {
    "strikes/strikes-2024.md": ("Strike Policy (2024)", '"3.0"', "2024-07-01", None,
                                "1. Strikes expire after 120 days."),
    "strikes/strikes.md": ("Strike Policy", '"4.0"', "2026-01-01", "strikes/strikes-2024.md",
                           "1. Strikes expire after 90 days."),
    "gifts/gifts.md": ("Gifts Policy", '"1.0"', "2025-01-01", None, "1. Gifts can be sent by users aged 18 or older."),
    "gifts/gifts-2100.md": ("Gifts Policy (2100)", '"2.0"', "2100-01-01", "gifts/gifts.md",
                            "1. Gifts can be sent by users aged 21 or older."),
    "notes/undated.md": ("Strike Note", None, None, None, "1. Strikes are listed in Account status."),
}


def write_versioned_policies(root: Path) -> None:
    for doc_id, (title, version, effective, supersedes, clause) in VERSIONED_POLICIES.items():
        meta = {"title": title, "version": version, "effective": effective, "supersedes": supersedes}
        front = [f"{k}: {v}" for k, v in meta.items() if v is not None]
        path = root / "policies" / doc_id
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(["---", *front, "---", f"# {title}", "", "## Rules", "", clause, ""]), encoding="utf-8")
    # A document whose path ends in "versions", which GET /documents/{doc_id}/versions must not hide.
    (root / "policies" / "notes" / "versions").write_text("Version history\n\nThe strike rules changed in 2026.\n")


@pytest.fixture(scope="module")
def versioned_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny index of VERSIONED_POLICIES (doc_ids "policies/..."), built once per module that asks for it."""
    root = tmp_path_factory.mktemp("versioned")
    write_versioned_policies(root / "src")
    build_index(ingest_folder(root / "src"), HashingEmbedder(), root / "idx")
    return root / "idx"


@pytest.fixture(scope="module")
def versioned_index(versioned_index_dir: Path) -> PolicyIndex:
    idx = PolicyIndex(versioned_index_dir, HashingEmbedder())
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


# The shipped sample corpus, embedded with the real model once per session (browser tests, checker tests),
# plus one plain-text note full of markup that must never run in the page.
HOSTILE_DOC = "zz-hostile/hostile-note.txt"
HOSTILE_QUERY = "zebra protocol for gift refund escalation"
LONG_WORD = "https://support.clipwave.example/" + "escalation-" * 20 + "zebra"  # must wrap, never scroll
HOSTILE_TEXT = f"""\
Zebra protocol note

The zebra protocol covers every gift refund escalation. <script>window.__pwned=1</script> \
Agents start the zebra protocol when a gift refund escalation is older than two days.

A gift refund escalation under the zebra protocol is sent to the payments queue \
<img src=x onerror="window.__pwned=1"> and the agent tells the viewer it may take five days.

The zebra protocol form for a gift refund escalation lives at {LONG_WORD} for agents.
"""


# A plain-text note with emoji (astral characters: one code point, two UTF-16 units) before the sentence a
# query finds, so the page's highlights are checked against the API's code-point offsets.
EMOJI_DOC = "zz-emoji/otter-lounge.txt"
EMOJI_TEXT = """\
🦦 Otter lounge note 🦦

Chat in the otter lounge is lively 🍆🍑💦 and agents see every emoji. 🔥🔥🔥 A creator may pin one otter \
sticker for ten minutes in the otter lounge.

Agents remove an otter sticker that stays pinned longer than ten minutes 🦦🦦.
"""


@pytest.fixture(scope="session")
def shipped_corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped corpus plus a plain-text note full of markup that must never run, and one with emoji."""
    root = tmp_path_factory.mktemp("shipped") / "corpus"
    shutil.copytree(CORPUS, root)
    (root / HOSTILE_DOC).parent.mkdir(parents=True)
    (root / HOSTILE_DOC).write_text(HOSTILE_TEXT, encoding="utf-8")
    (root / EMOJI_DOC).parent.mkdir(parents=True)
    (root / EMOJI_DOC).write_text(EMOJI_TEXT, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def shipped_index(shipped_corpus_dir: Path, minilm: SentenceTransformerEmbedder) -> Iterator[PolicyIndex]:
    folder = shipped_corpus_dir.parent / "index"
    build_index(ingest_folder(shipped_corpus_dir), minilm, folder)
    idx = PolicyIndex(folder, minilm)
    yield idx
    idx.close()


@dataclass(frozen=True)
class Hostile:
    doc_id: str = HOSTILE_DOC
    query: str = HOSTILE_QUERY
    long_word: str = LONG_WORD


@pytest.fixture(scope="session")
def hostile() -> Hostile:
    """The hostile note: its doc_id, a query that finds it, and its long unbreakable word."""
    return Hostile()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _serving(app: Any) -> Iterator[str]:
    """A real uvicorn server for the app on a free loopback port, in a thread; yields its base URL."""
    import uvicorn

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def serving() -> Callable[[Any], AbstractContextManager[str]]:
    """serving(app): a context manager that runs the app under uvicorn on loopback and yields its URL."""
    return _serving
