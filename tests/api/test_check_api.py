"""POST /check: shape and errors (verdict quality is measured with the real model in tests/consistency)."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings


@pytest.fixture(scope="module")
def client(hashing_index, hashing_index_dir: Path):
    with TestClient(create_app(Settings(index=hashing_index_dir), index=hashing_index)) as c:
        yield c


def test_check_pasted_text_returns_a_verdict_per_statement(client):
    text = "# LIVE\n\nHosts may appoint up to 20 moderators for their LIVEs. Strikes never expire.\n"
    r = client.post("/check", json={"text": text, "filters": {"doc_id": "policies/"}})
    assert r.status_code == 200
    body = r.json()
    assert [s["text"] for s in body["statements"]] == [
        "Hosts may appoint up to 20 moderators for their LIVEs.", "Strikes never expire."]
    for s in body["statements"]:
        assert text[s["start"]:s["end"]] == s["text"]
        assert s["verdict"] in ("SUPPORTED", "CONTRADICTED", "NOT_COVERED") and s["reason"]
        for e in s["evidence"]:
            assert e["text"][e["sentence"]["start"]:e["sentence"]["end"]] == e["sentence"]["text"]
    assert sum(body["counts"].values()) == 2


def test_check_an_indexed_article_never_cites_itself(client):
    r = client.post("/check", json={"doc_id": "policies/help-centre/live-gifts.html"})
    assert r.status_code == 200
    for s in r.json()["statements"]:
        assert all(e["citation"]["doc_id"] != "policies/help-centre/live-gifts.html" for e in s["evidence"])


@pytest.mark.parametrize("payload, status, fragment", [
    ({}, 422, "either text or doc_id"),
    ({"text": "a b c", "doc_id": "x.md"}, 422, "either text or doc_id"),
    ({"text": "   "}, 422, "either text or doc_id"),
    ({"doc_id": "no/such.md"}, 404, "no/such.md"),
    ({"text": "Hosts must be 18.", "filters": {"colour": "red"}}, 422, "Extra inputs"),
])
def test_check_errors(client, payload, status, fragment):
    r = client.post("/check", json=payload)
    assert r.status_code == status and fragment in str(r.json()["detail"])


@pytest.mark.parametrize("articles, cited", [("policies/help-centre/", False), ("", True)])
def test_pasted_text_is_never_checked_against_the_help_centre_articles(hashing_index, hashing_index_dir: Path,
                                                                       articles: str, cited: bool):
    # The statement is the fixture article's own sentence: only the article itself could "support" it.
    text = "You can receive Gifts when you are 18 or older and your LIVE access is not restricted."
    settings = Settings(index=hashing_index_dir, articles=articles)
    with TestClient(create_app(settings, index=hashing_index)) as c:
        [s] = c.post("/check", json={"text": text}).json()["statements"]
        docs = {e["citation"]["doc_id"] for e in s["evidence"]}
        assert ("policies/help-centre/live-gifts.html" in docs) == cited
