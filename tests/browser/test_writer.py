"""The writer tab: an article's statements checked against policy, with verdict badges and evidence links."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

ARTICLE = """# Gifts and LIVE

You need at least 1,000 followers to go LIVE. A host can appoint up to 20 moderators for a LIVE.
Account holders aged 16 can receive Gifts from viewers.
"""
LABELS = {"SUPPORTED": "Supported", "CONTRADICTED": "Contradicted", "NOT_COVERED": "Not covered"}


def test_writer_tab_shows_verdicts_for_a_pasted_article(page, api):
    page.goto("/")
    page.click("#tab-writer")
    assert page.get_attribute("#tab-writer", "aria-selected") == "true"
    assert page.is_visible("#panel-writer") and page.is_hidden("#panel-search")
    assert page.get_attribute("#panel-writer", "role") == "tabpanel"
    page.fill("#article-text", ARTICLE)
    page.click("#check-button")
    page.wait_for_selector("#check-results[data-state='done']", timeout=60_000)

    expected = api.post("/check", json={"text": ARTICLE}).json()
    rows = page.locator("#check-results tbody tr")
    assert rows.count() == len(expected["statements"])
    shown = {rows.nth(i).locator("td").first.inner_text(): rows.nth(i) for i in range(rows.count())}
    verdicts = {s["text"]: s for s in expected["statements"]}
    assert set(shown) == set(verdicts)
    assert {s["verdict"] for s in verdicts.values()} & {"SUPPORTED", "CONTRADICTED"}
    for text, row in shown.items():
        s = verdicts[text]
        badge = row.locator(".badge")
        assert badge.get_attribute("data-verdict") == s["verdict"]
        assert LABELS[s["verdict"]] in badge.inner_text()  # the verdict in words, not colour alone
        assert s["reason"] in row.inner_text()
        links = row.locator(".evidence a")
        assert links.count() == len(s["evidence"])
        for i, e in enumerate(s["evidence"]):
            assert links.nth(i).inner_text().startswith(e["citation"]["title"])
            assert links.nth(i).get_attribute("href").startswith("/document?doc_id=")
    contradicted = shown["Account holders aged 16 can receive Gifts from viewers."]
    assert contradicted.locator(".badge").inner_text().endswith("Contradicted")
    counts = page.inner_text("#check-results .counts")
    assert f"{expected['counts']['CONTRADICTED']} contradicted" in counts

    # An evidence link opens the clause in the document view.
    contradicted.locator(".evidence a").first.click()
    page.wait_for_selector("body[data-state='ready']")
    assert "Account holders aged 16 or 17 cannot send or receive Gifts" in page.inner_text("#cited-mark")


def test_writer_tab_lists_help_centre_articles(page):
    page.goto("/#writer")
    assert page.is_visible("#panel-writer")
    page.wait_for_selector("#article-select optgroup[label='Help-centre articles'] option", state="attached")
    first = page.locator("#article-select optgroup[label='Help-centre articles'] option").first
    assert first.get_attribute("value").startswith("help-centre/")
    page.select_option("#article-select", first.get_attribute("value"))
    assert page.is_disabled("#article-text")  # the chosen article is checked, not the text box
