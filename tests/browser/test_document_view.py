"""The document view: the cited clause highlighted and scrolled into view (Markdown, PDF, HTML sources)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

pytestmark = pytest.mark.slow

GIFTS = "can a 17-year-old creator receive LIVE gifts?"
IN_VIEW = """() => { const r = document.getElementById('cited-mark').getBoundingClientRect();
                   return {top: r.top, bottom: r.bottom, height: window.innerHeight}; }"""


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def assert_cited(page, clause: dict) -> None:
    """The page highlights exactly this clause, and the highlight is on screen."""
    mark = page.locator("#cited-mark")
    assert mark.count() == 1
    assert words(clause["text"]) <= words(mark.inner_text())
    box = page.evaluate(IN_VIEW)
    assert 0 <= box["top"] and box["bottom"] <= box["height"], box
    assert page.inner_text("#doc-title") == clause["citation"]["title"]


def open_document(page, doc_id: str, clause_id: str) -> None:
    page.goto("/document?" + urlencode({"doc_id": doc_id, "clause_id": clause_id}))
    page.wait_for_selector("body[data-state='ready']")


def test_open_in_document_highlights_the_clause(page, api, run_search):
    run_search(page, GIFTS)
    hit = api.post("/search", json={"query": GIFTS, "k": 10}).json()["hits"][0]
    page.click("#result-1 >> text=Open in document")
    page.wait_for_selector("body[data-state='ready']")
    query = parse_qs(urlparse(page.url).query)
    assert query == {"doc_id": [hit["citation"]["doc_id"]], "clause_id": [hit["clause_id"]]}
    assert_cited(page, hit)
    doc = api.get(f"/documents/{hit['citation']['doc_id']}").json()
    c = hit["citation"]
    assert page.inner_text("#cited-mark") == doc["text"][c["char_start"]:c["char_end"]]
    terms = page.locator("#doc-meta dt").all_inner_texts()
    meta = dict(zip(terms, page.locator("#doc-meta dd").all_inner_texts()))
    assert meta["Version"] == c["version"] and meta["Effective"] == c["effective"]
    assert meta["Document"] == c["doc_id"]
    # Back to search keeps the query: the results come back.
    page.click("#back-link")
    page.wait_for_selector("#results[data-state='done']")
    assert page.input_value("#q") == GIFTS


def test_pdf_clause_is_highlighted_in_its_page(page, api):
    doc = api.get("/documents/legal/terms-of-service.pdf").json()
    clause = next(c for c in doc["clauses"] if (c["citation"]["page"] or 0) >= 4)
    open_document(page, doc["doc_id"], clause["clause_id"])
    assert_cited(page, clause)
    page_no = clause["citation"]["page"]
    section = page.locator(".doc-page", has=page.locator("#cited-mark"))
    assert section.locator("h2").inner_text() == f"Page {page_no}"
    assert page.locator(".doc-page h2").count() == len(doc["pages"])


def test_html_article_shows_its_clauses_with_the_cited_one_marked(page, api):
    doc = api.get("/documents/help-centre/going-live.html").json()
    clause = doc["clauses"][len(doc["clauses"]) * 2 // 3]
    open_document(page, doc["doc_id"], clause["clause_id"])
    assert_cited(page, clause)
    assert page.inner_text("#cited-mark") == clause["text"]
    assert page.locator(".doc-clause").count() == len(doc["clauses"])
    assert "<" not in page.inner_text("#doc-body")  # clause text, never the page's raw markup
    assert clause["citation"]["section"][-1] in page.inner_text("#doc-body")


def test_unknown_document_says_so(page):
    page.goto("/document?" + urlencode({"doc_id": "no/such-document.md"}))
    page.wait_for_selector("body[data-state='error']")
    assert "Cannot open no/such-document.md" in page.inner_text("#doc-status")


EMOJI_DOC = "zz-emoji/otter-lounge.txt"  # written by the shipped_corpus_dir fixture (tests/conftest.py)
OTTER = "how long may a creator pin an otter sticker in the otter lounge?"


def has_astral(text: str) -> bool:
    """Whether text holds a character JavaScript counts as two (an emoji): offsets differ after it."""
    return any(ord(ch) > 0xFFFF for ch in text)


def test_highlights_after_emoji_land_on_the_right_characters(page, api, run_search):
    hits = api.post("/search", json={"query": OTTER, "k": 10}).json()["hits"]
    hit = next(h for h in hits if h["citation"]["doc_id"] == EMOJI_DOC)
    best = sorted(hit["best_sentences"], key=lambda s: s["start"])
    assert best and has_astral(hit["text"][:best[0]["start"]])  # the API counts code points, JS UTF-16 units
    run_search(page, OTTER)
    card = page.locator(f"#results .card[data-clause-id='{hit['clause_id']}']")
    marks = card.locator(".clause-text mark").evaluate_all("ms => ms.map(m => m.textContent)")
    assert marks == [s["text"] for s in best]
    assert "".join(card.locator(".clause-text").all_text_contents()) == hit["text"]

    card.locator("text=Open in document").click()
    page.wait_for_selector("body[data-state='ready']")
    doc = api.get(f"/documents/{EMOJI_DOC}").json()
    c = hit["citation"]
    assert has_astral(doc["text"][:c["char_start"]])
    assert page.text_content("#cited-mark") == doc["text"][c["char_start"]:c["char_end"]]


def test_a_clause_taller_than_the_screen_is_shown_from_its_start(new_page, api):
    page = new_page(width=390, height=500)
    doc = api.get("/documents/ads/advertising-policy.md").json()
    clause = max(doc["clauses"], key=lambda c: len(c["text"]))
    open_document(page, doc["doc_id"], clause["clause_id"])
    box = page.evaluate(IN_VIEW)
    assert box["bottom"] - box["top"] > box["height"], "the clause fits the screen; pick a longer one"
    assert page.evaluate("window.scrollY") > 0
    assert 0 <= box["top"] < box["height"] / 2, box  # its first lines on screen, not centred above it
