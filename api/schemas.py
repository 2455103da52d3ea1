"""Request and response models of the HTTP API (and the CLI's JSON output)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from index.answer import Answer
from index.search import Hit, SearchResult
from index.versions import DocumentVersion, parse_date
from ingest.model import Clause

MAX_QUERY_CHARS = 1000
FilterValue = Annotated[str, Field(min_length=1, max_length=200)] | list[Annotated[str, Field(min_length=1)]]


def query_text(value: str) -> str:
    """A query stripped of surrounding space; raises ValueError when nothing is left."""
    if not value.strip():
        raise ValueError("query is empty; type a question or some keywords")
    return value.strip()


class SearchFilters(BaseModel):
    """Metadata filters; each takes one value or a list (any of them). doc_id matches a prefix."""

    model_config = ConfigDict(extra="forbid")

    audience: FilterValue | None = None
    region: FilterValue | None = None
    product: FilterValue | None = None
    language: FilterValue | None = None
    doc_id: FilterValue | None = None
    format: FilterValue | None = None
    area: FilterValue | None = None
    as_of: str | None = Field(None, description="Search the policies in force on this date (YYYY-MM-DD); "
                              "default today.", examples=["2025-03-01"])

    @field_validator("as_of")
    @classmethod
    def _a_date(cls, value: str | None) -> str | None:
        return None if value is None else parse_date(value).isoformat()

    def as_dict(self) -> dict[str, str | list[str]]:
        return {k: v for k, v in self.model_dump().items() if v is not None}


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(max_length=MAX_QUERY_CHARS, description="A question or keywords, in plain words.")
    k: int = Field(10, ge=1, le=50, description="How many clauses to return (1 to 50).")
    filters: SearchFilters | None = None

    @field_validator("query")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        return query_text(value)


class Citation(BaseModel):
    doc_id: str
    title: str
    section: list[str]
    number: str | None
    page: int | None
    char_start: int
    char_end: int
    version: str | None = None
    effective: str | None = None
    source_url: str | None = None


class Place(Citation):
    """Another place a near-identical clause appears: its citation and clause id."""

    clause_id: str


class BestSentence(BaseModel):
    """A best-matching sentence of a hit: text == hit text[start:end]."""

    text: str
    start: int
    end: int


class ClauseOut(BaseModel):
    clause_id: str
    text: str
    citation: Citation
    meta: dict[str, str]


class HitOut(ClauseOut):
    score: float
    rank: int
    near_miss: bool = Field(description="Returned although the search abstained: the closest clause, not an answer.")
    best_sentences: list[BestSentence] = Field(description="The sentence(s) of the text that best match the query.")
    also_in: list[Place] = Field(description="Near-identical clauses in other documents, folded into this hit.")


class SearchResponse(BaseModel):
    query: str
    k: int
    filters: dict[str, str | list[str]]
    abstained: bool = Field(description="True when no clause is judged to answer the query; hits are near misses.")
    confidence: float | None = Field(description="Probability (0 to 1) that the top hit answers the query; "
                                     "null when not estimated.")
    hits: list[HitOut]


class VersionOut(BaseModel):
    doc_id: str
    title: str
    version: str | None
    effective: str | None
    supersedes: str | None
    in_force: bool


class VersionsOut(BaseModel):
    doc_id: str
    as_of: str
    versions: list[VersionOut] = Field(description="Every version in the document's supersedes chain, newest first.")


class DocumentOut(BaseModel):
    doc_id: str
    title: str
    format: str
    text: str
    pages: list[str] | None
    meta: dict[str, str]
    clauses: list[ClauseOut]


class Health(BaseModel):
    status: str
    index: str
    loaded: bool
    model: str | None = None
    clause_count: int | None = None
    document_count: int | None = None
    built_at: str | None = None
    detail: str | None = None


def citation_of(clause: Clause) -> Citation:
    """The full citation of a clause."""
    meta = clause.meta
    return Citation(
        doc_id=clause.doc_id, title=clause.doc_title, section=list(clause.section), number=clause.number,
        page=clause.page, char_start=clause.char_start, char_end=clause.char_end, version=meta.get("version"),
        effective=meta.get("effective"), source_url=meta.get("source_url"),
    )


def clause_out(clause: Clause) -> ClauseOut:
    return ClauseOut(clause_id=clause.clause_id, text=clause.text, citation=citation_of(clause), meta=dict(clause.meta))


def place_of(clause: Clause) -> Place:
    """Where else a near-identical clause appears: its citation and clause id."""
    return Place(clause_id=clause.clause_id, **citation_of(clause).model_dump())


def hit_out(hit: Hit) -> HitOut:
    c = hit.clause
    return HitOut(clause_id=c.clause_id, text=c.text, citation=citation_of(c), meta=dict(c.meta),
                  score=round(hit.score, 6), rank=hit.rank, near_miss=hit.near_miss,
                  best_sentences=[BestSentence(text=c.text[s:e], start=s, end=e) for s, e in hit.best],
                  also_in=[place_of(o) for o in hit.also_in])


def search_response(query: str, k: int, filters: dict[str, str | list[str]], result: SearchResult) -> SearchResponse:
    """The API's (and the CLI's --json) view of a search result."""
    confidence = None if result.confidence is None else round(float(result.confidence), 6)
    return SearchResponse(query=query, k=k, filters=filters, abstained=result.abstained, confidence=confidence,
                          hits=[hit_out(h) for h in result.hits])


def versions_out(doc_id: str, as_of: str, versions: list[DocumentVersion]) -> VersionsOut:
    """A policy's versions, newest first, with in_force as of the given date."""
    return VersionsOut(doc_id=doc_id, as_of=as_of,
                       versions=[VersionOut.model_validate(v, from_attributes=True) for v in versions])


class CheckRequest(BaseModel):
    """An article to check: pasted text, or the doc_id of an article already in the index."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, max_length=50_000, description="Article text (Markdown or plain).")
    doc_id: str | None = Field(None, description="An article in the index; it is never its own evidence.")
    filters: SearchFilters | None = None
    exclude: list[str] = Field(default_factory=list, description="doc_id prefixes never used as evidence.")

    @model_validator(mode="after")
    def _one_source(self) -> CheckRequest:
        if bool(self.text and self.text.strip()) == bool(self.doc_id):
            raise ValueError("give either text or doc_id (not both, not neither)")
        return self


class EvidenceOut(BaseModel):
    clause_id: str
    citation: Citation
    text: str
    sentence: BestSentence  # the clause sentence compared with the statement, as offsets into text


class StatementOut(BaseModel):
    text: str
    start: int  # span of the statement in the checked text
    end: int
    verdict: str  # SUPPORTED | CONTRADICTED | NOT_COVERED
    reason: str
    evidence: list[EvidenceOut]


class CheckResponse(BaseModel):
    statements: list[StatementOut]
    counts: dict[str, int]


class AnswerRequest(SearchRequest):
    k: int = Field(5, ge=1, le=20, description="How many clauses to search and return (1 to 20).")


class AnswerSentenceOut(BaseModel):
    """One answer sentence: text == clauses[marker - 1].text[start:end]."""

    text: str
    marker: int
    clause_id: str
    start: int
    end: int


class AnswerResponse(BaseModel):
    query: str
    filters: dict[str, str | list[str]]
    abstained: bool = Field(description="True when no policy answers: text says so and clauses are near misses.")
    confidence: float | None
    text: str = Field(description="2 to 4 sentences copied from the clauses, each followed by its marker [n]; "
                      "or the no-policy message.")
    sentences: list[AnswerSentenceOut]
    clauses: list[HitOut] = Field(description="The clauses searched; marker n cites clauses[n - 1].")


class Facets(BaseModel):
    audience: list[str]
    region: list[str]
    product: list[str]
    language: list[str]


class DocumentSummary(BaseModel):
    doc_id: str
    title: str
    format: str
    meta: dict[str, str]
    article: bool = Field(description="A help-centre article (what the writer tab checks).")


class DocumentList(BaseModel):
    documents: list[DocumentSummary]


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(max_length=MAX_QUERY_CHARS, description="The query the feedback is about.")
    filters: SearchFilters | None = Field(None, description="The filters it was searched with.")
    target: str = Field("result", pattern="^(result|answer)$", description="A result card or the guidance answer.")
    helpful: bool
    clause_id: str | None = Field(None, max_length=500, description="The clause of a result card.")
    clause_ids: list[Annotated[str, Field(max_length=500)]] = Field(
        default_factory=list, max_length=20, description="The clauses an answer cited.")
    comment: str | None = Field(None, max_length=2000)
    answer_text: str | None = Field(None, max_length=5000)

    @field_validator("query")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        return query_text(value)

    @field_validator("comment")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @model_validator(mode="after")
    def _about_something(self) -> FeedbackRequest:
        if self.target == "result" and not self.clause_id:
            raise ValueError("feedback on a result needs its clause_id")
        return self


class FeedbackComment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: str = Field(min_length=1, max_length=2000)

    @field_validator("comment")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("comment is empty")
        return value.strip()


class FeedbackSaved(BaseModel):
    id: int


def answer_response(query: str, filters: dict[str, str | list[str]], answer: Answer) -> AnswerResponse:
    """The API's view of a guidance answer."""
    result = answer.result
    hits = [hit_out(h) for h in result.hits]
    if answer.abstained:  # no sentence answers: every clause shown is a near miss, whatever the search said
        hits = [h.model_copy(update={"near_miss": True}) for h in hits]
    return AnswerResponse(
        query=query, filters=filters, abstained=answer.abstained,
        confidence=None if result.confidence is None else round(float(result.confidence), 6), text=answer.text,
        sentences=[AnswerSentenceOut(text=s.text, marker=s.hit + 1, clause_id=result.hits[s.hit].clause.clause_id,
                                     start=s.start, end=s.end) for s in answer.sentences],
        clauses=hits)
