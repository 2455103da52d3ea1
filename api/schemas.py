"""Request and response models of the HTTP API (and the CLI's JSON output)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from index.search import Hit
from ingest.model import Clause

MAX_QUERY_CHARS = 1000
FilterValue = Annotated[str, Field(min_length=1, max_length=200)] | list[Annotated[str, Field(min_length=1)]]


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
        if not value.strip():
            raise ValueError("query is empty; type a question or some keywords")
        return value.strip()


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


class ClauseOut(BaseModel):
    clause_id: str
    text: str
    citation: Citation
    meta: dict[str, str]


class HitOut(ClauseOut):
    score: float
    rank: int


class SearchResponse(BaseModel):
    query: str
    k: int
    filters: dict[str, str | list[str]]
    hits: list[HitOut]


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


def hit_out(hit: Hit) -> HitOut:
    c = hit.clause
    return HitOut(clause_id=c.clause_id, text=c.text, citation=citation_of(c), meta=dict(c.meta),
                  score=round(hit.score, 6), rank=hit.rank)
