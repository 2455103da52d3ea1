"""POST /answer, GET /facets, GET /documents, the page's routes, and feedback with its export."""

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.cli import main as cli_main
from api.settings import Settings
from eval.labels import DocumentCache, check_queries


@pytest.fixture(scope="module")
def feedback_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("feedback") / "fb.sqlite"


@pytest.fixture(scope="module")
def client(hashing_index, hashing_index_dir: Path, feedback_db: Path):
    with TestClient(create_app(Settings(index=hashing_index_dir, feedback=feedback_db), index=hashing_index)) as c:
        yield c


@pytest.mark.parametrize("query", [
    "how many moderators can a host appoint for their LIVEs",
    "how long do I have to appeal a strike",
    "who can send gifts",
    "refunds",
])
def test_every_answer_sentence_is_verbatim_in_its_cited_clause(client: TestClient, query: str):
    body = client.post("/answer", json={"query": query}).json()
    assert not body["abstained"] and 1 <= len(body["sentences"]) <= 4
    clauses = body["clauses"]
    for s in body["sentences"]:
        cited = clauses[s["marker"] - 1]
        assert cited["clause_id"] == s["clause_id"]
        assert cited["text"][s["start"]:s["end"]] == s["text"]
        assert f"{s['text']} [{s['marker']}]" in body["text"]
    # the answer text is nothing but those sentences and their markers
    assert body["text"] == " ".join(f"{s['text']} [{s['marker']}]" for s in body["sentences"])


def test_answer_takes_two_to_four_sentences_from_the_top_clauses(client: TestClient):
    body = client.post("/answer", json={"query": "how many moderators can a host appoint for their LIVEs"}).json()
    assert 2 <= len(body["sentences"]) <= 4
    assert "20 moderators" in body["text"]
    assert all(s["marker"] <= 3 for s in body["sentences"])
    # the clause number ("3.1 Hosts may appoint ...") is in the citation, not repeated in the answer
    assert any(s["text"].startswith("Hosts may appoint up to 20 moderators") for s in body["sentences"])


def test_answer_respects_filters_and_rejects_bad_input(client: TestClient):
    body = client.post("/answer", json={"query": "Rules about payouts", "filters": {"product": "shop"}}).json()
    assert body["clauses"] and all(c["meta"]["product"] == "shop" for c in body["clauses"])
    assert client.post("/answer", json={"query": "  "}).status_code == 422
    assert client.post("/answer", json={"query": "x", "k": 0}).status_code == 422
    assert client.post("/answer", json={"query": "x", "filters": {"colour": "red"}}).status_code == 422


def test_facets_list_the_filter_values(client: TestClient):
    facets = client.get("/facets").json()
    assert set(facets) == {"audience", "region", "product", "language"}
    assert "shop" in facets["product"] and "feed" in facets["product"]
    assert facets["product"] == sorted(facets["product"])


def test_documents_list_marks_articles(client: TestClient):
    docs = client.get("/documents").json()["documents"]
    by_id = {d["doc_id"]: d for d in docs}
    assert by_id["policies/help-centre/live-gifts.html"]["format"] == "html"
    assert by_id["policies/help-centre/live-gifts.html"]["article"] is False  # not under help-centre/ at the root
    assert by_id["policies/community-guidelines/live.md"]["title"] == "LIVE Policy"


def test_page_and_assets_are_served(client: TestClient):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert client.get("/document").status_code == 200
    assert client.get("/web/app.js").status_code == 200
    assert client.get("/web/nothing.js").status_code == 404


def test_feedback_is_stored_and_exported_as_candidate_judgments(client: TestClient, feedback_db: Path,
                                                                corpus_dir: Path, tmp_path: Path):
    query = "how many moderators can a host appoint for their LIVEs"
    hits = client.post("/search", json={"query": query, "k": 3}).json()["hits"]
    good, bad = hits[0]["clause_id"], hits[2]["clause_id"]
    r = client.post("/feedback", json={"query": query, "target": "result", "clause_id": good, "helpful": True})
    assert r.status_code == 200
    fid = r.json()["id"]
    assert client.put(f"/feedback/{fid}", json={"comment": "exactly the rule"}).status_code == 200
    assert client.post("/feedback", json={"query": query, "clause_id": bad, "helpful": False}).status_code == 200
    answer = client.post("/answer", json={"query": query}).json()
    cited = sorted({s["clause_id"] for s in answer["sentences"]})
    assert client.post("/feedback", json={"query": query, "target": "answer", "helpful": True, "clause_ids": cited,
                                          "answer_text": answer["text"]}).status_code == 200
    # bad feedback: unknown clause, a result without its clause, an unknown target, a missing id
    assert client.post("/feedback", json={"query": query, "clause_id": "nope#x", "helpful": True}).status_code == 404
    assert client.post("/feedback", json={"query": query, "helpful": True}).status_code == 422
    assert client.post("/feedback", json={"query": query, "target": "page", "clause_id": good,
                                          "helpful": True}).status_code == 422
    assert client.put("/feedback/99999", json={"comment": "x"}).status_code == 404

    out = tmp_path / "candidates.jsonl"
    assert cli_main(["feedback", "export", "--db", str(feedback_db), "--out", str(out)]) == 0
    items = [json.loads(line) for line in out.read_text().splitlines()]
    item = next(i for i in items if i["query"] == query)
    relevant_quotes = [r["quote"] for r in item["relevant"]]
    assert hits[0]["text"] in relevant_quotes and hits[2]["text"] not in relevant_quotes
    assert item["answerable"] is True and bad in item["review"]["unhelpful_clauses"]
    assert "exactly the rule" in item["review"]["comments"] and item["review"]["answer_votes"] == [True]
    # the candidates pass the labelled-set validator as they are: every quote found once in its document
    assert check_queries(items, DocumentCache(corpus_dir), str(out)) == []


def test_feedback_export_without_a_database_says_where_it_looked(tmp_path: Path, capsys):
    assert cli_main(["feedback", "export", "--index", str(tmp_path / "idx"), "--out", str(tmp_path / "o.jsonl")]) == 2
    assert "idx.feedback.sqlite" in capsys.readouterr().err


@pytest.mark.parametrize("payload, fragment", [
    ({"query": "   ", "clause_id": "x", "helpful": True}, "query is empty"),
    ({"query": "q", "clause_id": "x", "helpful": True, "filters": {"colour": "red"}}, "Extra inputs"),
    ({"query": "q", "clause_id": "x", "helpful": True, "filters": {"as_of": "not-a-date"}}, "date"),
    ({"query": "q", "target": "answer", "helpful": True, "clause_ids": ["x"] * 21}, "at most 20"),
])
def test_bad_feedback_is_rejected_with_a_reason(client: TestClient, payload, fragment):
    r = client.post("/feedback", json=payload)
    assert r.status_code == 422 and fragment in str(r.json()["detail"])


@pytest.mark.parametrize("path, body", [
    ("/feedback/1", {"comment": "   "}), ("/feedback/0", {"comment": "x"}),
    ("/feedback/99999999999999999999", {"comment": "x"}),
])
def test_bad_feedback_comments_are_rejected(client: TestClient, path, body):
    assert client.put(path, json=body).status_code == 422


def test_an_answer_with_no_clause_at_all_says_the_filters_match_nothing(client: TestClient):
    body = client.post("/answer", json={"query": "refunds", "filters": {"product": "no-such-product"}}).json()
    assert body["abstained"] and body["clauses"] == [] and "no clause matches these filters" in body["text"]


def test_feedback_export_reads_the_database_named_by_the_environment(feedback_db: Path, tmp_path: Path,
                                                                    monkeypatch, client: TestClient):
    client.post("/feedback", json={"query": "q env", "clause_id": client.post(
        "/search", json={"query": "strike expires", "k": 1}).json()["hits"][0]["clause_id"], "helpful": True})
    monkeypatch.setenv("POLICYSCOPE_FEEDBACK", str(feedback_db))
    out = tmp_path / "c.jsonl"
    assert cli_main(["feedback", "export", "--index", str(tmp_path / "elsewhere"), "--out", str(out)]) == 0
    assert any(json.loads(line)["query"] == "q env" for line in out.read_text().splitlines())
