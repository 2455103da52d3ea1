"""Corpus -> an index folder on disk: manifest, FAISS vectors, clause store; written atomically."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from index.embed import Embedder, passage_text
from index.duplicates import duplicate_groups
from index.lexical import LexicalIndex
from index.store import write_store
from index.terms import lexical_texts
from index.vectors import VectorIndex
from ingest.corpus import Corpus

# 2: adds the bm25s lexical index; 3: adds lexical-plain; 4: BM25 k1 0.9, b 0.4; 5: defined terms in lexical texts
FORMAT_VERSION = 5
MANIFEST = "manifest.json"
VECTORS = "vectors.faiss"
STORE = "clauses.sqlite"
LEXICAL = "lexical"
# Variants without the title/section context, for measuring what the context is worth.
VECTORS_PLAIN = "vectors-plain.faiss"
LEXICAL_PLAIN = "lexical-plain"
# The companion dense retriever's vectors (another model, fused with the main one; absent in older indexes).
VECTORS_COMPANION = "vectors-companion.faiss"
DUPLICATES = "duplicates.npy"  # near-identical clause group per row (-1: none)
EMBED_BATCH = 256


class IndexUnavailable(Exception):
    """An index folder is missing, incomplete, or was built by another model or format."""


@dataclass(frozen=True, slots=True)
class Manifest:
    format_version: int
    model: str
    dim: int
    clause_count: int
    document_count: int
    corpus_hash: str
    built_at: str
    source: str
    companion: str | None = None  # the companion model whose vectors are in VECTORS_COMPANION, if any

    def save(self, folder: Path) -> None:
        (folder / MANIFEST).write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")


def rebuild_hint(folder: Path, source: str = "DIR") -> str:
    return f"`policyscope ingest {source} --index {folder}`"


def read_manifest(folder: Path) -> Manifest:
    """Read and check an index folder's manifest; raises IndexUnavailable saying how to (re)build."""
    path = folder / MANIFEST
    if not path.exists():
        raise IndexUnavailable(f"No index at {folder}; build one with {rebuild_hint(folder, 'corpus/')}.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        manifest = Manifest(**data)
    except (ValueError, TypeError) as exc:
        raise IndexUnavailable(f"The manifest at {path} is unreadable ({exc}); rebuild with {rebuild_hint(folder)}.") from exc
    if manifest.format_version != FORMAT_VERSION:
        raise IndexUnavailable(
            f"The index at {folder} has format {manifest.format_version} (model {manifest.model}); this "
            f"policyscope reads format {FORMAT_VERSION}. Rebuild it with {rebuild_hint(folder, manifest.source)}."
        )
    for name in (VECTORS, STORE, LEXICAL, LEXICAL_PLAIN):
        if not (folder / name).exists():
            raise IndexUnavailable(f"The index at {folder} has no {name}; rebuild it with {rebuild_hint(folder, manifest.source)}.")
    return manifest


class Reuse:
    """The vectors of an existing index, by model and by the exact text embedded, so a rebuild embeds only the
    clauses whose text, title or section path changed (and counts what it reused and what it embedded).

    An index built by another model, dimension or format, or one that cannot be read, offers nothing."""

    def __init__(self, folder: Path) -> None:
        self._known: dict[str, dict[str, np.ndarray]] = {}
        self.reused = 0
        self.embedded = 0
        try:
            self._read(folder)
        except Exception:  # noqa: BLE001  a missing, old or damaged index: everything is embedded afresh
            self._known = {}

    def _read(self, folder: Path) -> None:
        from index.store import ClauseStore

        manifest = read_manifest(folder)
        store = ClauseStore(folder / STORE)
        try:
            texts = [passage_text(c) for c in store.iter_clauses()]
        finally:
            store.close()
        for model, name in ((manifest.model, VECTORS), (manifest.companion, VECTORS_COMPANION)):
            if model is None or not (folder / name).is_file():
                continue
            vectors = VectorIndex.load(folder / name).all()
            if len(vectors) == len(texts):
                self._known[model] = dict(zip(texts, vectors))

    def known(self, model: str, dim: int) -> dict[str, np.ndarray]:
        """The old vectors of this model by embedded text (none when its dimension differs)."""
        known = self._known.get(model, {})
        first = next(iter(known.values()), None)
        return known if first is None or first.shape == (dim,) else {}


def embed_clauses(corpus: Corpus, embedder: Embedder, progress: Callable[[int], None] | None = None,
                  context: bool = True, reuse: Reuse | None = None) -> np.ndarray:
    """Embed every clause of a corpus (by default with its title and section as context), batch by batch; with
    reuse, a clause whose embedded text an earlier index of this model holds takes its vector from there."""
    texts = [passage_text(c, context) for c in corpus.clauses]
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    known = reuse.known(embedder.name, embedder.dim) if reuse is not None and context else {}
    todo = []
    for i, text in enumerate(texts):
        if text in known:
            out[i] = known[text]
        else:
            todo.append(i)
    if reuse is not None and context:
        reuse.reused += len(texts) - len(todo)
        reuse.embedded += len(todo)
    if progress and len(todo) < len(texts):
        progress(len(texts) - len(todo))
    # Longest first across the whole corpus, so each batch pads to similar lengths; rows go back in order.
    order = sorted(todo, key=lambda i: -len(texts[i]))
    for i in range(0, len(order), EMBED_BATCH):
        rows = order[i : i + EMBED_BATCH]
        out[rows] = embedder.embed([texts[r] for r in rows])
        if progress:
            progress(len(rows))
    return out


def write_index(folder: Path, corpus: Corpus, vectors: np.ndarray, model: str,
                plain_vectors: np.ndarray | None = None,
                companion: tuple[str, np.ndarray] | None = None) -> Manifest:
    """Write an index folder via a temporary sibling renamed into place, so a crash leaves no half index."""
    folder = folder.resolve()
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.tmp-", dir=folder.parent))
    try:
        VectorIndex.build(vectors).save(tmp / VECTORS)
        if plain_vectors is not None:
            VectorIndex.build(plain_vectors).save(tmp / VECTORS_PLAIN)
        if companion is not None:
            VectorIndex.build(companion[1]).save(tmp / VECTORS_COMPANION)
        for name, context in ((LEXICAL, True), (LEXICAL_PLAIN, False)):
            (tmp / name).mkdir()
            texts = lexical_texts(corpus.clauses, [passage_text(c, context) for c in corpus.clauses])
            LexicalIndex.build(texts).save(tmp / name)
        write_store(tmp / STORE, corpus.clauses, corpus.documents)
        np.save(tmp / DUPLICATES, duplicate_groups(vectors, corpus.clauses))
        manifest = Manifest(
            format_version=FORMAT_VERSION,
            model=model,
            dim=int(vectors.shape[1]),
            clause_count=len(corpus.clauses),
            document_count=len(corpus.documents),
            corpus_hash=corpus.digest,
            built_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            source=str(corpus.root),
            companion=companion[0] if companion is not None else None,
        )
        manifest.save(tmp)  # the manifest is written last: a folder without one is never loaded
        old = None
        if folder.exists():
            old = folder.with_name(f".{folder.name}.old-{tmp.name.rsplit('-', 1)[-1]}")
            folder.rename(old)
        tmp.rename(folder)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def build_index(
    corpus: Corpus, embedder: Embedder, folder: Path, progress: Callable[[int], None] | None = None,
    plain: bool = False, companion: Embedder | None = None, reuse: Reuse | None = None,
) -> Manifest:
    """Embed a corpus's clauses and write the index folder; raises ValueError for an empty corpus.

    plain=True also embeds each clause without its context (an eval variant; it doubles the cost).
    companion: a second model whose vectors hybrid search fuses with the main ones (see SearchConfig).
    reuse: the vectors of an earlier index (usually the one being replaced), taken for unchanged clauses.
    """
    if not corpus.clauses:
        raise ValueError(f"No clauses to index under {corpus.root}: every file was skipped or failed.")
    vectors = embed_clauses(corpus, embedder, progress, reuse=reuse)
    plain_vectors = embed_clauses(corpus, embedder, progress, context=False) if plain else None
    extra = (companion.name, embed_clauses(corpus, companion, progress, reuse=reuse)) if companion is not None else None
    return write_index(folder, corpus, vectors, embedder.name, plain_vectors, extra)
