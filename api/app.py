"""The HTTP API and the agent page: search with citations, guidance answers, documents, checks, feedback.

Build it with create_app(). The page (api/web/) is plain HTML, CSS and JS served from here, offline.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Request
from fastapi import Path as FastAPIPath
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from api.feedback import FeedbackStore, feedback_path
from api.schemas import (
    AnswerRequest,
    AnswerResponse,
    BestSentence,
    CheckRequest,
    CheckResponse,
    ClauseOut,
    DocumentList,
    DocumentOut,
    DocumentSummary,
    EvidenceOut,
    Facets,
    FeedbackComment,
    FeedbackRequest,
    FeedbackSaved,
    Health,
    SearchRequest,
    SearchResponse,
    StatementOut,
    VersionsOut,
    answer_response,
    citation_of,
    clause_out,
    search_response,
    versions_out,
)
from api.settings import Settings
from index.answer import answer
from index.build import MANIFEST, IndexUnavailable, read_manifest, rebuild_hint
from index.embed import load_embedder
from index.search import PolicyIndex
from index.versions import parse_date

WEB = Path(__file__).resolve().parent / "web"
RELOAD_EVERY = 2.0  # seconds between looks at the index folder for a rebuild (`policyscope ingest` while serving)


def load_index(settings: Settings) -> PolicyIndex:
    """Load the configured index and the model that built it; raises IndexUnavailable."""
    manifest = read_manifest(settings.index)
    try:
        embedder = load_embedder(settings.model or manifest.model)
    except (RuntimeError, OSError) as exc:
        raise IndexUnavailable(f"Cannot load model {settings.model or manifest.model}: {exc}") from exc
    index = PolicyIndex(settings.index, embedder)
    index.search("warm-up", k=1)  # exports or loads the ONNX query encoder now, not on an agent's first search
    return index


def _stamp(folder: Path) -> tuple[int, int] | None:
    """What identifies one build of an index folder: its manifest's inode and time (None: no index there now)."""
    try:
        st = (folder / MANIFEST).stat()
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns


def create_app(settings: Settings | None = None, index: PolicyIndex | None = None) -> FastAPI:
    """The FastAPI app; loads the index (and model) at start-up unless one is given. A loaded index is replaced
    by a rebuild of its folder (`policyscope ingest` while the server runs) within RELOAD_EVERY seconds, and a
    server started before its index was built loads it once it is there; a given index is never replaced."""
    settings = settings or Settings()
    reloading = threading.Lock()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.index, app.state.error = index, None
        app.state.stamp, app.state.checked = _stamp(settings.index), time.monotonic()
        if index is None:
            try:
                app.state.index = load_index(settings)
            except IndexUnavailable as exc:
                app.state.error = str(exc)
        app.state.feedback = None  # opened on the first feedback, so a read-only server writes nothing
        yield
        if app.state.feedback is not None:
            app.state.feedback.close()
        if index is None and app.state.index is not None:
            app.state.index.close()

    app = FastAPI(
        title="policyscope",
        version="0.1.0",
        summary="Semantic policy search: the most relevant policy clauses, each with an exact citation.",
        lifespan=lifespan,
    )

    def reload_if_rebuilt(state: Any) -> None:
        """Load the index folder's new build, if there is one; searches keep the old index until it is ready."""
        if time.monotonic() - state.checked < RELOAD_EVERY:
            return
        with reloading:
            if time.monotonic() - state.checked < RELOAD_EVERY:
                return  # another request looked meanwhile
            state.checked = time.monotonic()
            stamp = _stamp(settings.index)
            if stamp is None or stamp == state.stamp:
                return
            old: PolicyIndex | None = state.index
            try:
                if old is not None and settings.model in (None, old.embedder.name):
                    new = PolicyIndex(settings.index, old.embedder, companion=old.companion)
                    new.search("warm-up", k=1)
                else:
                    new = load_index(settings)
            except Exception as exc:  # noqa: BLE001  another model, or a broken build: said once, not retried
                state.stamp = stamp
                if old is None:
                    state.error = str(exc)
                return
            # The old index is not closed here: a search on another thread may still be reading it.
            state.index, state.error, state.stamp = new, None, stamp

    def current(request: Request) -> PolicyIndex:
        if index is None:
            reload_if_rebuilt(request.app.state)
        idx: PolicyIndex | None = request.app.state.index
        if idx is None:
            detail = request.app.state.error or f"No index loaded; build one with {rebuild_hint(settings.index, 'corpus/')}."
            raise HTTPException(status_code=503, detail=detail)
        return idx

    opening = threading.Lock()

    def feedback_store(request: Request) -> FeedbackStore:
        with opening:  # endpoints run on worker threads: open the database once
            if request.app.state.feedback is None:
                folder = Path(current(request).folder)
                request.app.state.feedback = FeedbackStore(settings.feedback or feedback_path(folder))
        return request.app.state.feedback

    @app.exception_handler(ValueError)
    async def _bad_value(request: Request, exc: ValueError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": str(exc)})

    @app.post("/search", response_model=SearchResponse)
    def search(body: SearchRequest, request: Request) -> SearchResponse:
        """The k clauses that best answer the query among those in force (today, or filters.as_of), cited."""
        idx = current(request)
        filters = body.filters.as_dict() if body.filters else {}
        return search_response(body.query, body.k, filters, idx.search(body.query, body.k, filters))

    @app.post("/answer", response_model=AnswerResponse)
    def guidance(body: AnswerRequest, request: Request) -> AnswerResponse:
        """A short answer copied from the top clauses (2 to 4 sentences, each cited [n]), or "no policy found"."""
        idx = current(request)
        filters = body.filters.as_dict() if body.filters else {}
        return answer_response(body.query, filters, answer(idx, body.query, body.k, filters))

    @app.get("/facets", response_model=Facets)
    def facets(request: Request) -> Facets:
        """The values each filter (audience, region, product, language) takes in the index."""
        return Facets(**current(request).facets())

    @app.post("/feedback", response_model=FeedbackSaved)
    def feedback(body: FeedbackRequest, request: Request) -> FeedbackSaved:
        """Store "helpful / not helpful" on a result or an answer, with the query, filters and clause(s)."""
        idx = current(request)
        ids = [body.clause_id] if body.target == "result" else body.clause_ids
        clauses = []
        for clause_id in ids:
            clause = idx.store.clause(clause_id) if clause_id else None
            if clause is None:
                raise HTTPException(status_code=404, detail=f"No clause {clause_id!r} in the index.")
            clauses.append(clause)
        filters = body.filters.as_dict() if body.filters else {}
        saved = feedback_store(request).add(body.query, filters, body.target, body.helpful, clauses, body.comment,
                                            body.answer_text)
        return FeedbackSaved(id=saved)

    @app.put("/feedback/{feedback_id}", response_model=FeedbackSaved)
    def feedback_comment(body: FeedbackComment, request: Request,
                         feedback_id: Annotated[int, FastAPIPath(ge=1, le=2**63 - 1)]) -> FeedbackSaved:
        """Add a comment to feedback already given."""
        if not feedback_store(request).set_comment(feedback_id, body.comment):
            raise HTTPException(status_code=404, detail=f"No feedback {feedback_id}.")
        return FeedbackSaved(id=feedback_id)

    @app.get("/clauses/{clause_id:path}", response_model=ClauseOut)
    def get_clause(clause_id: str, request: Request) -> ClauseOut:
        """One clause by id, with its citation."""
        clause = current(request).store.clause(clause_id)
        if clause is None:
            raise HTTPException(status_code=404, detail=f"No clause {clause_id!r} in the index.")
        return clause_out(clause)

    def document_out(idx: PolicyIndex, doc_id: str) -> DocumentOut:
        doc = idx.store.document(doc_id)
        if doc is None:
            raise HTTPException(status_code=404, detail=f"No document {doc_id!r} in the index.")
        return DocumentOut(doc_id=doc.doc_id, title=doc.title, format=doc.format, text=doc.text, pages=doc.pages,
                           meta=doc.meta, clauses=[clause_out(c) for c in idx.store.clauses_of(doc_id)])

    @app.get("/documents", response_model=DocumentList)
    def list_documents(request: Request) -> DocumentList:
        """Every document in the index (title, format, metadata), help-centre articles marked."""
        return DocumentList(documents=[
            DocumentSummary(doc_id=doc_id, title=title, format=fmt, meta=meta, article=bool(settings.articles) and doc_id.startswith(settings.articles))
            for doc_id, title, fmt, meta in current(request).store.documents()])

    # Declared before /documents/{doc_id:path}, whose path parameter would otherwise swallow "/versions".
    @app.get("/documents/{doc_id:path}/versions", response_model=VersionsOut)
    def get_versions(doc_id: str, request: Request, as_of: str | None = None) -> VersionsOut | JSONResponse:
        """Every version of a policy (its supersedes chain), newest first, each saying whether it is in force.

        `as_of` (YYYY-MM-DD, default today) is the date in_force refers to.
        """
        idx = current(request)
        day = parse_date(as_of) if as_of is not None else dt.date.today()
        versions = idx.versions.versions(doc_id, day)
        if not versions:
            if idx.store.document(f"{doc_id}/versions") is not None:  # a document whose path ends in "versions"
                return JSONResponse(document_out(idx, f"{doc_id}/versions").model_dump())
            raise HTTPException(status_code=404, detail=f"No document {doc_id!r} in the index.")
        return versions_out(doc_id, day.isoformat(), versions)

    @app.get("/documents/{doc_id:path}", response_model=DocumentOut)
    def get_document(doc_id: str, request: Request) -> DocumentOut:
        """A document's source text (page texts for PDFs) and its clauses in order."""
        return document_out(current(request), doc_id)

    @app.post("/check", response_model=CheckResponse)
    def check(body: CheckRequest, request: Request) -> CheckResponse:
        """Each statement of an article: SUPPORTED, CONTRADICTED or NOT_COVERED, with the policy evidence."""
        from consistency.checker import Checker

        idx = current(request)
        text, exclude = body.text, list(body.exclude)
        if settings.articles:  # articles paraphrase policies; checking one against another proves nothing
            exclude.append(settings.articles)
        if body.doc_id:
            doc = idx.store.document(body.doc_id)
            if doc is None:
                raise HTTPException(status_code=404, detail=f"No document {body.doc_id!r} in the index.")
            text = "\n\n".join(c.text for c in idx.store.clauses_of(body.doc_id))
            exclude.append(body.doc_id)
        verdicts = Checker(idx, exclude=tuple(exclude)).check_text(text or "", body.filters.as_dict() if body.filters else None)
        statements = [
            StatementOut(text=v.statement.text, start=v.statement.start, end=v.statement.end, verdict=v.verdict,
                         reason=v.reason, evidence=[
                             EvidenceOut(clause_id=e.clause.clause_id, citation=citation_of(e.clause), text=e.clause.text,
                                         sentence=BestSentence(text=e.clause.text[e.sentence[0]:e.sentence[1]],
                                                               start=e.sentence[0], end=e.sentence[1]))
                             for e in v.evidence])
            for v in verdicts
        ]
        counts = {k: sum(s.verdict == k for s in statements) for k in ("SUPPORTED", "CONTRADICTED", "NOT_COVERED")}
        return CheckResponse(statements=statements, counts=counts)

    @app.get("/healthz", response_model=Health, responses={503: {"model": Health}})
    def healthz(request: Request) -> Health | JSONResponse:
        """Whether the index is loaded, with its counts and model."""
        if index is None:
            reload_if_rebuilt(request.app.state)
        idx: PolicyIndex | None = request.app.state.index
        if idx is None:
            body = Health(status="unavailable", index=str(settings.index), loaded=False, detail=request.app.state.error)
            return JSONResponse(status_code=503, content=body.model_dump())
        m = idx.manifest
        return Health(status="ok", index=str(Path(idx.folder)), loaded=True, model=m.model,
                      clause_count=m.clause_count, document_count=m.document_count, built_at=m.built_at)

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(WEB / "index.html")

    @app.get("/document", include_in_schema=False)
    def document_page() -> FileResponse:
        return FileResponse(WEB / "document.html")

    app.mount("/web", StaticFiles(directory=WEB), name="web")
    return app
