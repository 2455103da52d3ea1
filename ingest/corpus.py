"""Walk a folder: every file becomes clauses, or a line in the report saying why it did not."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml

from ingest.clauses import split_clauses
from ingest.model import Clause, DocumentError, ParsedDocument

SIDECAR_SUFFIX = ".meta.yaml"
MARKDOWN = {".md", ".markdown"}
HTML = {".html", ".htm"}
TEXT = {".txt", ""}
PDF = {".pdf"}
# Front-matter/sidecar keys kept as clause metadata, with the spellings we accept for them.
META_KEYS = {
    "audience": "audience", "region": "region", "product": "product", "language": "language",
    "lang": "language", "version": "version", "effective": "effective", "effective_date": "effective",
    "effective-date": "effective", "source_url": "source_url", "url": "source_url",
    "supersedes": "supersedes", "area": "area", "description": "description", "author": "author",
    "created": "created",
}
AUDIENCES = {"public", "internal"}

Status = Literal["ok", "skipped", "failed"]


@dataclass(slots=True)
class FileResult:
    """What became of one file: its doc_id, format, clause count, or why it was skipped or failed."""

    doc_id: str
    status: Status
    format: str | None = None
    clauses: int = 0
    reason: str = ""


@dataclass(slots=True)
class Corpus:
    """Everything ingested from one folder."""

    root: Path
    documents: list[ParsedDocument] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    files: list[FileResult] = field(default_factory=list)
    digest: str = ""

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "failed"]


def read_text(path: Path) -> str:
    """Decode a text file (UTF-8, else Windows-1252); raises DocumentError for binary content."""
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise DocumentError("binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    sample = text[:8192]
    control = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    if sample and (control / len(sample) > 0.02 or sample.count("\ufffd") / len(sample) > 0.02):
        raise DocumentError("binary or undecodable file (control characters in the text)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def normalise_meta(raw: dict[str, object], source: str) -> dict[str, str]:
    """Keep the metadata keys we know, as strings; raises DocumentError for invalid values."""
    meta: dict[str, str] = {}
    for key, value in raw.items():
        name = META_KEYS.get(str(key).lower())
        if name is None or value is None or value == "":
            continue
        if isinstance(value, list | tuple):
            meta[name] = ", ".join(str(v) for v in value)
        elif isinstance(value, dt.datetime | dt.date):
            meta[name] = value.isoformat()[:10]
        else:
            meta[name] = str(value).strip()
    if "audience" in meta and meta["audience"].lower() not in AUDIENCES:
        raise DocumentError(f"{source}: audience must be public or internal, not {meta['audience']!r}")
    if "audience" in meta:
        meta["audience"] = meta["audience"].lower()
    if "effective" in meta:
        try:
            meta["effective"] = dt.date.fromisoformat(meta["effective"][:10]).isoformat()
        except ValueError:
            raise DocumentError(f"{source}: effective date must be YYYY-MM-DD, not {meta['effective']!r}") from None
    return meta


def _sidecar(path: Path) -> dict[str, object]:
    side = path.with_name(path.name + SIDECAR_SUFFIX)
    if not side.exists():
        side = path.with_name(path.stem + SIDECAR_SUFFIX)
    if not side.exists() or side == path:
        return {}
    try:
        data = yaml.safe_load(side.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise DocumentError(f"sidecar {side.name} is not valid YAML") from exc
    if not isinstance(data, dict):
        raise DocumentError(f"sidecar {side.name} must be a YAML mapping")
    return data


def parse_file(path: Path, doc_id: str) -> ParsedDocument:
    """Parse one file by its extension; raises DocumentError (unsupported, binary, corrupt, empty)."""
    ext = path.suffix.lower()
    if ext in MARKDOWN:
        from ingest.markdown import parse_markdown

        doc = parse_markdown(read_text(path), doc_id)
    elif ext in HTML:
        from ingest.html import parse_html

        doc = parse_html(read_text(path), doc_id)
    elif ext in PDF:
        from ingest.pdf import parse_pdf

        doc = parse_pdf(path, doc_id)
    elif ext in TEXT or not _known_binary_suffix(ext):
        from ingest.text import parse_text

        # Extensionless support macros have names like "Final Strike - You're Out"; keep the whole name.
        doc = parse_text(read_text(path), doc_id, title=path.stem if ext in TEXT else path.name)
    else:
        raise DocumentError(f"unsupported file type {ext}")
    sidecar = _sidecar(path)
    meta = normalise_meta({**doc.meta, **sidecar}, path.name)
    meta.setdefault("audience", "public")
    doc.meta = {**meta, "format": doc.format}
    if isinstance(sidecar.get("title"), str) and sidecar["title"].strip():
        doc.title = sidecar["title"].strip()
    doc.title = doc.title or path.stem.replace("-", " ").replace("_", " ")
    return doc


_BINARY_SUFFIXES = {
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".ico", ".zip", ".gz", ".tar", ".docx", ".doc",
    ".xlsx", ".pptx", ".mp4", ".mov", ".mp3", ".woff", ".woff2", ".ttf", ".json", ".yaml", ".yml",
    ".csv", ".xml", ".js", ".css", ".py", ".exe", ".bin", ".so",
}


def _known_binary_suffix(ext: str) -> bool:
    return ext in _BINARY_SUFFIXES


def iter_files(root: Path) -> Iterator[Path]:
    """Every file under root in a stable order, hidden ones and metadata sidecars left out."""
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if path.name.endswith(SIDECAR_SUFFIX):
            continue
        yield path


def ingest_folder(root: Path, progress: Callable[[Path], None] | None = None) -> Corpus:
    """Parse and split every file under root; problems are recorded per file, never raised."""
    if not root.is_dir():
        raise FileNotFoundError(f"{root} is not a folder; give the folder that holds the policy files")
    corpus = Corpus(root=root)
    hasher = hashlib.sha256()
    for path in iter_files(root):
        doc_id = path.relative_to(root).as_posix()
        if progress:
            progress(path)
        if path.suffix.lower() in _BINARY_SUFFIXES:
            corpus.files.append(FileResult(doc_id, "skipped", reason=f"unsupported file type {path.suffix}"))
            continue
        try:
            doc = parse_file(path, doc_id)
            clauses = split_clauses(doc)
        except DocumentError as exc:
            status: Status = "skipped" if "binary" in str(exc) else "failed"
            corpus.files.append(FileResult(doc_id, status, reason=str(exc)))
            continue
        except Exception as exc:  # a parser bug must not stop the rest of the corpus
            corpus.files.append(FileResult(doc_id, "failed", reason=f"{type(exc).__name__}: {exc}"))
            continue
        hasher.update(doc_id.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
        corpus.documents.append(doc)
        corpus.clauses.extend(clauses)
        corpus.files.append(FileResult(doc_id, "ok", format=doc.format, clauses=len(clauses)))
    corpus.digest = hasher.hexdigest()
    return corpus
