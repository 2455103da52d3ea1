"""A naive RAG baseline index: fixed 1,000-character windows with 200 overlap, embedded as they are.

It is built the way a typical RAG tutorial builds one, so comparing against it is fair: the document's
text is cut into fixed windows regardless of structure (no headings, no clause boundaries, no context
prefix), and the same embedder fills a flat FAISS index. Chunks keep their span in the source, so the
eval's span-overlap judgments and citation checks apply to them unchanged.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from index.build import EMBED_BATCH, IndexUnavailable, Manifest, read_manifest, write_index
from index.embed import Embedder
from ingest.corpus import Corpus, ingest_folder
from ingest.model import Clause, ParsedDocument, join_hyphenation

CHUNK_CHARS = 1000
OVERLAP_CHARS = 200
INDEX_NAME = "naive"

# Script and style bodies are code, not text; comments are markup. Masked first, then every tag.
_HTML_HIDDEN = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"<[^>]*>")


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def html_visible(source: str) -> str:
    """The raw HTML with tags, comments and script/style elements replaced by spaces of the same length."""
    return _HTML_TAG.sub(_blank, _HTML_HIDDEN.sub(_blank, source))


def windows(text: str, size: int = CHUNK_CHARS, overlap: int = OVERLAP_CHARS) -> Iterator[tuple[int, int]]:
    """(start, end) of fixed windows over text, stride size - overlap; the last one ends at the text's end."""
    if not 0 <= overlap < size:
        raise ValueError(f"overlap must be at least 0 and below the chunk size, not {overlap} of {size}")
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        yield start, end
        if end == len(text):
            return
        start += size - overlap


def _chunk_text(window: str, fmt: str) -> str:
    # Entities are decoded (as any HTML-to-text step does) and words hyphenated across line ends are
    # joined: the citation check reads the source the same way, so the chunk's words line up with it.
    if fmt == "html":
        window = html.unescape(window)
    return " ".join(join_hyphenation(window).split())


def chunk_document(doc: ParsedDocument) -> list[Clause]:
    """Cut one parsed document into fixed windows, as Clauses citing their span (per page for PDFs)."""
    if doc.pages is not None:
        sources: list[tuple[int | None, str]] = [(n, page) for n, page in enumerate(doc.pages, 1)]
    else:
        sources = [(None, html_visible(doc.text) if doc.format == "html" else doc.text)]
    chunks: list[Clause] = []
    for page, text in sources:
        for start, end in windows(text):
            body = _chunk_text(text[start:end], doc.format)
            if body:  # a window of markup or blank space only has nothing to find
                chunks.append(Clause(f"{doc.doc_id}#chunk-{len(chunks)}", doc.doc_id, doc.title, (), None,
                                     body, page, start, end, dict(doc.meta)))
    return chunks


def _write(parsed: Corpus, embedder: Embedder, folder: Path,
           progress: Callable[[int], None] | None) -> Manifest:
    chunks = [c for doc in parsed.documents for c in chunk_document(doc)]
    if not chunks:
        raise ValueError(f"No text to chunk under {parsed.root}: every file was skipped or failed.")
    vectors = np.zeros((len(chunks), embedder.dim), dtype=np.float32)
    for i in range(0, len(chunks), EMBED_BATCH):
        batch = chunks[i : i + EMBED_BATCH]
        vectors[i : i + len(batch)] = embedder.embed([c.text for c in batch])  # no title/section prefix
        if progress:
            progress(len(batch))
    chunked = Corpus(root=parsed.root, documents=parsed.documents, clauses=chunks, files=parsed.files,
                     digest=parsed.digest)
    return write_index(folder, chunked, vectors, embedder.name)


def build_naive_index(corpus_dir: Path, embedder: Embedder, folder: Path,
                      progress: Callable[[int], None] | None = None) -> Manifest:
    """Parse a corpus folder, chunk it naively, embed the chunks, write an index folder; raises ValueError."""
    return _write(ingest_folder(corpus_dir), embedder, folder, progress)


def ensure_naive_index(corpus_dir: Path, cache: Path, embedder: Embedder,
                       progress: Callable[[int], None] | None = None) -> Path:
    """The naive index of the corpus for this model, built once and reused from the cache folder."""
    parsed = ingest_folder(corpus_dir)
    tag = f"{INDEX_NAME}-{CHUNK_CHARS}-{OVERLAP_CHARS}"
    key = hashlib.sha256(f"{parsed.digest}:{embedder.name}:{tag}".encode()).hexdigest()[:16]
    folder = cache / f"{corpus_dir.name}-{INDEX_NAME}-{key}"
    try:
        read_manifest(folder)
    except IndexUnavailable:
        _write(parsed, embedder, folder, progress)
    return folder
