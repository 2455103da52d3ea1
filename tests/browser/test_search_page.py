"""The search page in a real browser: cited cards, answer, filters, no-policy state, copy, feedback, keys."""

from __future__ import annotations

import json
import sqlite3
from urllib.parse import unquote, urlencode

import pytest

pytestmark = pytest.mark.slow

GIFTS = "can a 17-year-old creator receive LIVE gifts?"
PARKING = "what is the parking policy at the Dublin office?"
NO_CLAUSE_FILTERS = {"audience": "internal", "product": "shop"}  # no shipped clause is both


def citation_line(c: dict) -> str:
    """The citation line the page must show, written out independently of the page's script."""
    path = [c["title"], *[s for s in c["section"] if s and s != c["title"]]]
    if c["number"]:
        path.append(f"clause {c['number']}")
    extra = [f"p. {c['page']}" if c["page"] else "", f"version {c['version']}" if c["version"] else "",
             f"effective {c['effective']}" if c["effective"] else ""]
    return " · ".join([" > ".join(path), *[e for e in extra if e]])


def shown_cards(page) -> list[dict]:
    return page.eval_on_selector_all("#results .card", """cards => cards.map(c => ({
        clause_id: c.dataset.clauseId, doc_id: c.dataset.docId, near_miss: c.dataset.nearMiss,
        audience: c.dataset.audience, product: c.dataset.product,
        citation: c.querySelector('.citation').textContent,
        marks: [...c.querySelectorAll('.clause-text mark')].map(m => m.textContent),
        label: (c.querySelector('.label-near-miss') || {}).textContent || null}))""")


def test_search_shows_cited_results(page, api, run_search, capsys):
    ms = run_search(page, GIFTS, wait_answer=True)
    with capsys.disabled():
        print(f"\n[browser] first result cards in the DOM {ms} ms after Enter")
    hits = api.post("/search", json={"query": GIFTS, "k": 10}).json()["hits"]
    cards = shown_cards(page)
    assert [c["clause_id"] for c in cards] == [h["clause_id"] for h in hits]
    for card, hit in zip(cards, hits):
        assert hit["citation"]["title"] in card["citation"]
        assert card["citation"] == citation_line(hit["citation"])
        assert card["marks"] == [s["text"] for s in sorted(hit["best_sentences"], key=lambda s: s["start"])]
    assert cards[0]["doc_id"] == "live/live-gifts.md" and cards[0]["marks"]
    # The answer: its sentences, each with a [n] marker that jumps to that clause's card.
    answer = api.post("/answer", json={"query": GIFTS}).json()
    assert not answer["abstained"]
    text = page.inner_text("#answer .answer-text")
    for s in answer["sentences"]:
        assert s["text"] in text and f"[{s['marker']}]" in text
    first = answer["sentences"][0]
    page.click(f"#answer .marker >> text='[{first['marker']}]'")
    focused = page.evaluate("document.activeElement.dataset.clauseId")
    assert focused == first["clause_id"]


def test_a_card_lists_the_other_places_a_clause_appears(page, api, run_search):
    query = "strike expires 90 days after it is issued"
    hits = api.post("/search", json={"query": query, "k": 10}).json()["hits"]
    hit = next((h for h in hits if h["also_in"]), None)
    assert hit, "no hit with also_in for this query any more; pick another"
    run_search(page, query)
    card = page.locator(f"#result-{hits.index(hit) + 1}")
    assert card.get_attribute("data-clause-id") == hit["clause_id"]
    links = card.locator(".also-in a")
    assert links.count() == len(hit["also_in"])
    for i, place in enumerate(hit["also_in"]):
        assert links.nth(i).inner_text() == citation_line(place)
        assert place["doc_id"] in unquote(links.nth(i).get_attribute("href"))


@pytest.mark.parametrize(("key", "value"), [("product", "monetisation"), ("audience", "internal")])
def test_a_filter_changes_the_results(page, run_search, key, value):
    run_search(page, GIFTS)
    before = shown_cards(page)
    assert any(c[key] != value for c in before)  # the unfiltered results include other values
    page.wait_for_selector(f"#filter-{key} option[value='{value}']", state="attached")
    with page.expect_response(lambda r: r.url.endswith("/search")):
        page.select_option(f"#filter-{key}", value)  # changing a filter re-runs the search
    page.wait_for_selector("#results[data-state='done']")
    after = shown_cards(page)
    assert after, "the filter left no results"
    assert {c["clause_id"] for c in after} != {c["clause_id"] for c in before}
    assert all(value in [v.strip().lower() for v in c[key].split(",")] for c in after)
    assert f"{key}={value}" in page.url  # the search is kept in the address, for "Back to search"


def test_unanswerable_question_shows_no_policy_and_near_misses(page, api, run_search):
    assert api.post("/answer", json={"query": PARKING}).json()["abstained"] is True
    run_search(page, PARKING, wait_answer=True)
    assert page.get_attribute("#answer", "data-state") == "abstained"
    assert "No policy found" in page.inner_text("#answer")
    assert page.locator("#answer .marker").count() == 0
    cards = shown_cards(page)
    assert cards
    assert all(c["near_miss"] == "true" and c["label"] == "Near miss – not an answer" for c in cards)
    assert page.is_visible("#results .card .label-near-miss")
    assert "Near misses" in page.inner_text("#results .results-title")


def test_copy_citation_puts_it_on_the_clipboard(new_page, api, run_search):
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    run_search(page, GIFTS)
    hit = api.post("/search", json={"query": GIFTS, "k": 10}).json()["hits"][0]
    page.click("#result-1 >> text=Copy citation")
    page.wait_for_selector("#result-1 .copy-status:has-text('Citation copied')")
    copied = page.evaluate("navigator.clipboard.readText()")
    c = hit["citation"]
    assert copied == f"{citation_line(c)}\n{c['doc_id']} (characters {c['char_start']}-{c['char_end']})"
    assert page.is_hidden("#result-1 .copy-fallback")


def test_copy_citation_falls_back_to_a_visible_field(new_page, api, run_search):
    page = new_page(init_script="Object.defineProperty(navigator, 'clipboard', {value: undefined});")
    run_search(page, GIFTS)
    hit = api.post("/search", json={"query": GIFTS, "k": 10}).json()["hits"][0]
    page.click("#result-1 >> text=Copy citation")
    field = page.locator("#result-1 .copy-fallback textarea")
    field.wait_for(state="visible")
    assert field.get_attribute("readonly") is not None
    assert field.input_value().startswith(citation_line(hit["citation"]) + "\n" + hit["citation"]["doc_id"])


def test_slash_focuses_the_search_box_and_enter_searches(page):
    page.goto("/")
    page.wait_for_selector("#filter-product option[value='live']", state="attached")
    page.click(".tagline")  # focus away from any field
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    assert page.input_value("#q") == ""  # the "/" is a shortcut, not typed
    page.keyboard.type(GIFTS)
    page.keyboard.press("Enter")
    page.wait_for_selector("#results[data-state='done']")
    assert page.locator("#results .card").count() > 0
    # Every field is labelled; the keyboard focus is visible.
    unlabelled = page.evaluate("""[...document.querySelectorAll('input, select, textarea')]
        .filter(e => !e.labels.length).map(e => e.id || e.outerHTML)""")
    assert unlabelled == []
    page.focus("#q")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Search"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    # In a text field "/" is just a character; on the tabs the arrow keys move between them.
    page.focus("#tab-search")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == "tab-writer"
    assert page.get_attribute("#tab-writer", "aria-selected") == "true" and page.is_visible("#panel-writer")
    page.focus("#article-text")
    page.keyboard.type("a/b")
    assert page.input_value("#article-text") == "a/b"


def test_feedback_is_stored_with_a_comment(page, api, server, run_search):
    run_search(page, GIFTS, wait_answer=True)
    clause_id = page.get_attribute("#result-1", "data-clause-id")
    with page.expect_response(lambda r: r.url.endswith("/feedback") and r.request.method == "POST") as posted:
        page.locator("#result-1").get_by_role("button", name="Helpful", exact=True).click()
    assert posted.value.status == 200
    feedback_id = posted.value.json()["id"]
    page.wait_for_selector("#result-1 .feedback-status:has-text('Thanks')")
    page.fill("#result-1 .feedback-comment input", "Exactly the age rule I needed")
    with page.expect_response(lambda r: r.url.endswith(f"/feedback/{feedback_id}")) as put:
        page.locator("#result-1").get_by_role("button", name="Send comment").click()
    assert put.value.status == 200
    page.wait_for_selector("#result-1 .feedback-status:has-text('comment added')")
    with page.expect_response(lambda r: r.url.endswith("/feedback")) as answer_vote:
        page.locator("#answer").get_by_role("button", name="Not helpful", exact=True).click()
    page.wait_for_selector("#answer .feedback-status:has-text('Thanks')")
    with sqlite3.connect(server.feedback) as db:
        rows = {r[0]: r[1:] for r in db.execute(
            "SELECT id, query, target, helpful, comment, clause_ids FROM feedback")}
    assert rows[feedback_id] == (GIFTS, "result", 1, "Exactly the age rule I needed", f'["{clause_id}"]')
    query, target, helpful, comment, clause_ids = rows[answer_vote.value.json()["id"]]
    cited = {s["clause_id"] for s in api.post("/answer", json={"query": GIFTS}).json()["sentences"]}
    assert (query, target, helpful, comment) == (GIFTS, "answer", 0, None)
    assert set(json.loads(clause_ids)) == cited


def test_filters_in_the_address_match_whatever_their_case(page, api):
    assert "eu" in api.get("/facets").json()["region"]
    with page.expect_request(lambda r: r.url.endswith("/search")) as searched:
        page.goto("/?" + urlencode({"q": GIFTS, "region": "EU"}))
    assert json.loads(searched.value.post_data)["filters"] == {"region": "eu"}
    page.wait_for_selector("#results[data-state='done']")
    assert page.input_value("#filter-region") == "eu"
    assert page.locator("#filter-region option:checked").inner_text() == "EU"  # shown as the code is written


def test_filters_that_match_no_clause_say_so(page, api):
    body = {"query": GIFTS, "filters": NO_CLAUSE_FILTERS}
    assert api.post("/search", json=body).json()["hits"] == []
    assert api.post("/answer", json=body).json()["clauses"] == []
    page.goto("/?" + urlencode({"q": GIFTS, **NO_CLAUSE_FILTERS}))
    page.wait_for_selector("#results[data-state='done']")
    page.wait_for_selector("#answer[data-state='empty']", state="attached")
    assert page.inner_text("#search-status") == "No clause matches these filters."
    assert "No clause matches these filters." in page.inner_text("#results .notice")
    assert page.is_hidden("#answer")  # no "No policy found" panel over an empty list
    assert "near miss" not in page.inner_text("#main").lower()
    assert page.locator("#results .card").count() == 0


def test_voting_by_keyboard_keeps_the_focus_in_the_card(page, run_search):
    run_search(page, GIFTS)
    page.locator("#result-1").get_by_role("button", name="Helpful", exact=True).focus()
    page.keyboard.press("Enter")  # the button is disabled once pressed: the focus goes on to the comment field
    page.wait_for_selector("#result-1 .feedback-comment input")
    assert page.evaluate("document.activeElement.matches('#result-1 .feedback-comment input')")
    page.keyboard.type("Clear")
    page.keyboard.press("Enter")
    page.wait_for_selector("#result-1 .feedback-status:has-text('comment added')")
    assert page.evaluate("document.activeElement.matches('#result-1 .feedback-status')")


def test_card_buttons_say_which_clause_they_act_on(page, run_search):
    run_search(page, GIFTS, wait_answer=True)
    assert page.get_attribute("#answer", "aria-live") == "polite"
    assert page.get_attribute("#search-status", "aria-live") == "polite"
    cards = page.eval_on_selector_all("#results .card", """cards => cards.map(card => {
        const citation = card.querySelector('.citation');
        return [...card.querySelectorAll('.card-actions button, .card-actions a.button')].map(b =>
            [b.textContent, document.getElementById(b.getAttribute('aria-describedby')) === citation]);
    })""")
    assert cards
    for buttons in cards:
        names = {name for name, _ in buttons}
        assert {"Helpful", "Not helpful", "Copy citation", "Open in document"} <= names
        assert all(tied for _, tied in buttons), buttons
