"""Hostile markup in the corpus shows as text and never runs; the pages fit 390 px and 1280 px screens."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

pytestmark = pytest.mark.slow

GIFTS = "can a 17-year-old creator receive LIVE gifts?"
NO_INJECTED = """sel => [...document.querySelectorAll(sel)].filter(n =>
    n.tagName === 'SCRIPT' || n.tagName === 'IMG' || n.hasAttribute('onerror')).length"""
FITS = "document.documentElement.scrollWidth <= window.innerWidth"


def assert_inert(page, container: str) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate(NO_INJECTED, f"{container} *") == 0


def test_hostile_markup_is_shown_as_text_and_never_runs(page, hostile, run_search):
    run_search(page, hostile.query, wait_answer=True)
    cards = page.locator(f"#results .card[data-doc-id='{hostile.doc_id}']")
    assert cards.count() >= 1, "the hostile note is not among the results"
    text = "\n".join(cards.all_inner_texts())
    assert "<script>window.__pwned=1</script>" in text and '<img src=x onerror="window.__pwned=1">' in text
    card = cards.first
    assert_inert(page, "#results")
    assert_inert(page, "#answer")

    clause_id = card.get_attribute("data-clause-id")
    page.goto("/document?" + urlencode({"doc_id": hostile.doc_id, "clause_id": clause_id}))
    page.wait_for_selector("body[data-state='ready']")
    body = page.inner_text("#doc-body")
    assert "<script>window.__pwned=1</script>" in body
    assert '<img src=x onerror="window.__pwned=1">' in body
    assert_inert(page, "#doc")
    assert page.inner_text("#doc-title") == "hostile-note"

    page.goto("/#writer")
    article = 'Gifts need an adult account. <img src=x onerror="window.__pwned=1"> <script>x</script>'
    page.fill("#article-text", article)
    page.click("#check-button")
    page.wait_for_selector("#check-results[data-state='done']", timeout=60_000)
    assert "onerror" in page.inner_text("#check-results")
    assert_inert(page, "#check-results")


@pytest.mark.parametrize("width", [390, 1280])
def test_pages_fit_the_screen_without_sideways_scrolling(new_page, hostile, run_search, width):
    page = new_page(width=width, height=900)
    run_search(page, GIFTS, wait_answer=True)
    assert page.evaluate(FITS), f"search page scrolls sideways at {width}px"
    # A long unbreakable word (the hostile note has one) and long doc ids must wrap.
    run_search(page, hostile.query, wait_answer=True)
    assert page.locator(f"#results .card[data-doc-id='{hostile.doc_id}']").count() >= 1
    assert page.evaluate(FITS), f"results with a long word scroll sideways at {width}px"
    page.click(f"#results .card[data-doc-id='{hostile.doc_id}'] >> text=Open in document")
    page.wait_for_selector("body[data-state='ready']")
    assert hostile.long_word in page.inner_text("#doc-body")
    assert page.evaluate(FITS), f"document view scrolls sideways at {width}px"
    page.goto("/document?" + urlencode({"doc_id": "legal/terms-of-service.pdf"}))
    page.wait_for_selector("body[data-state='ready']")
    assert page.evaluate(FITS), f"PDF document view scrolls sideways at {width}px"
    page.goto("/#writer")
    page.fill("#article-text", "You need at least 1,000 followers to go LIVE. Strikes expire after 90 days.")
    page.click("#check-button")
    page.wait_for_selector("#check-results[data-state='done']", timeout=60_000)
    assert page.evaluate(FITS), f"writer tab scrolls sideways at {width}px"
