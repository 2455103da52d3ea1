from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.schemas import citation_of, hit_out
from api.settings import Settings
from index.search import Hit


@pytest.fixture(scope="module")
def client(hashing_index, hashing_index_dir: Path):
    with TestClient(create_app(Settings(index=hashing_index_dir), index=hashing_index)) as c:
        yield c


def test_search_returns_cited_hits(client: TestClient):
    r = client.post("/search", json={"query": "how many moderators can a host appoint for their LIVEs", "k": 3})
    assert r.status_code == 200
    body = r.json()
    assert body["k"] == 3 and len(body["hits"]) == 3
    top = body["hits"][0]
    assert top["citation"] == {
        "doc_id": "policies/community-guidelines/live.md", "title": "LIVE Policy",
        "section": ["LIVE Policy", "3. LIVE moderation"], "number": "3.1", "page": None,
        "char_start": top["citation"]["char_start"], "char_end": top["citation"]["char_end"],
        "version": "2.0", "effective": "2026-03-01", "source_url": None,
    }
    doc = client.get(f"/documents/{top['citation']['doc_id']}").json()
    span = doc["text"][top["citation"]["char_start"] : top["citation"]["char_end"]]
    assert span.startswith("3.1 Hosts may appoint up to 20 moderators")
    assert top["text"].startswith("3.1 Hosts may appoint") and top["rank"] == 1 and top["score"] > 0


def test_filters_over_http_with_one_percent_match(client: TestClient):
    r = client.post("/search", json={"query": "Rules about payouts", "k": 10, "filters": {"product": "shop"}})
    hits = r.json()["hits"]
    assert r.status_code == 200 and len(hits) == 10
    assert all(h["meta"]["product"] == "shop" for h in hits)


def test_clause_and_document_endpoints(client: TestClient):
    hit = client.post("/search", json={"query": "strike expires", "k": 1}).json()["hits"][0]
    clause = client.get(f"/clauses/{quote(hit['clause_id'], safe='/')}")  # "#" must be sent as %23
    assert clause.status_code == 200 and clause.json()["text"] == hit["text"]
    doc = client.get(f"/documents/{hit['citation']['doc_id']}").json()
    assert hit["clause_id"] in [c["clause_id"] for c in doc["clauses"]]
    assert doc["format"] == "markdown" and doc["meta"]["audience"] == "public"


def test_healthz_reports_the_loaded_index(client: TestClient):
    h = client.get("/healthz").json()
    assert h["status"] == "ok" and h["loaded"] and h["model"] == "hashing-256" and h["clause_count"] > 1000


def test_openapi_docs_are_served(client: TestClient):
    assert client.get("/docs").status_code == 200
    assert "/search" in client.get("/openapi.json").json()["paths"]


@pytest.mark.parametrize(
    "payload, fragment",
    [
        ({"query": ""}, "query is empty"),
        ({"query": "   "}, "query is empty"),
        ({"query": "x" * 1001}, "at most 1000 characters"),
        ({"query": "appeal", "k": 0}, "greater than or equal to 1"),
        ({"query": "appeal", "k": 51}, "less than or equal to 50"),
        ({"query": "appeal", "k": "many"}, "valid integer"),
        ({"query": "appeal", "filters": {"colour": "red"}}, "Extra inputs are not permitted"),
        ({"query": "appeal", "filters": {"region": ""}}, "at least 1 character"),
        ({"k": 5}, "Field required"),
        ({"query": 42}, "valid string"),
        ({"query": "appeal", "unknown": 1}, "Extra inputs are not permitted"),
        ([1, 2], "valid dictionary"),
    ],
)
def test_bad_input_is_422_with_a_detail(client: TestClient, payload, fragment):
    r = client.post("/search", json=payload)
    assert r.status_code == 422
    assert fragment in str(r.json()["detail"])


def test_malformed_json_is_422(client: TestClient):
    r = client.post("/search", content=b'{"query": "appeal", ', headers={"content-type": "application/json"})
    assert r.status_code == 422 and "JSON" in str(r.json()["detail"])


def test_unknown_clause_and_document_are_404(client: TestClient):
    assert client.get("/clauses/" + quote("nope#x/1", safe="/")).status_code == 404
    r = client.get("/documents/no/such.md")
    assert r.status_code == 404 and "no/such.md" in r.json()["detail"]


def test_no_index_is_503_naming_the_command(tmp_path: Path):
    with TestClient(create_app(Settings(index=tmp_path / "missing"))) as c:
        r = c.post("/search", json={"query": "appeal"})
        assert r.status_code == 503 and "policyscope ingest" in r.json()["detail"]
        h = c.get("/healthz")
        assert h.status_code == 503 and h.json()["loaded"] is False
        assert c.get("/documents/x.md").status_code == 503


ODD_PAYLOADS = [
    None, "", "query", 3.5, {}, {"query": None}, {"query": ["a"]}, {"query": {"nested": 1}}, {"query": "\x00\x01"},
    {"query": "ok", "k": -3}, {"query": "ok", "k": 2.5}, {"query": "ok", "k": 10**30}, {"query": "ok", "k": None},
    {"query": "ok", "filters": []}, {"query": "ok", "filters": "region=EU"}, {"query": "ok", "filters": {"region": [1, 2]}},
    {"query": "ok", "filters": {"region": [[]]}}, {"query": "ok", "filters": {"doc_id": None}},
    {"query": "🙂" * 999}, {"query": "‮ RTL override \u202e"}, {"query": "a", "filters": {"region": ["", "EU"]}},
]


@pytest.mark.parametrize("payload", ODD_PAYLOADS)
def test_no_odd_input_gets_a_500(client: TestClient, payload):
    r = client.post("/search", json=payload)
    assert r.status_code in (200, 422), r.text
    if r.status_code == 422:
        assert r.json()["detail"]


@pytest.mark.parametrize("path", ["/clauses/%00", "/documents/..%2F..%2Fetc%2Fpasswd", "/clauses/" + "x" * 5000])
def test_odd_paths_are_404_not_500(client: TestClient, path):
    assert client.get(path).status_code == 404


def test_search_response_carries_abstention_confidence_and_hit_fields(client: TestClient):
    body = client.post("/search", json={"query": "strike expires", "k": 3}).json()
    assert isinstance(body["abstained"], bool)
    assert body["confidence"] is None or 0.0 <= body["confidence"] <= 1.0
    for hit in body["hits"]:
        assert isinstance(hit["near_miss"], bool)
        assert isinstance(hit["best_sentences"], list) and isinstance(hit["also_in"], list)
        for best in hit["best_sentences"]:
            assert hit["text"][best["start"] : best["end"]] == best["text"]


def test_hit_out_shows_best_sentences_and_other_places(hashing_index):
    top, other = (h.clause for h in hashing_index.search("strike expires after 90 days", k=2).hits)
    end = top.text.index(".") + 1
    out = hit_out(Hit(top, 0.5, 1, also_in=(other,), best=((0, end),), near_miss=True)).model_dump()
    assert out["near_miss"] is True
    assert out["best_sentences"] == [{"text": top.text[:end], "start": 0, "end": end}]
    assert out["also_in"] == [{**citation_of(other).model_dump(), "clause_id": other.clause_id}]


@pytest.fixture(scope="module")
def versioned_client(versioned_index, versioned_index_dir: Path):
    with TestClient(create_app(Settings(index=versioned_index_dir), index=versioned_index)) as c:
        yield c


def _strike_texts(c: TestClient, filters: dict) -> list[str]:
    r = c.post("/search", json={"query": "how many days until strikes expire", "k": 10, "filters": filters})
    assert r.status_code == 200, r.text
    return [h["text"] for h in r.json()["hits"] if "Strikes expire" in h["text"]]


def test_search_as_of_picks_the_version_in_force(versioned_client: TestClient):
    assert _strike_texts(versioned_client, {"as_of": "2025-03-01"}) == ["Strikes expire after 120 days."]
    assert _strike_texts(versioned_client, {"as_of": "2026-06-01"}) == ["Strikes expire after 90 days."]
    today = _strike_texts(versioned_client, {})
    assert today == (["Strikes expire after 90 days."] if date.today() >= date(2026, 1, 1)
                     else ["Strikes expire after 120 days."])
    r = versioned_client.post("/search", json={"query": "strikes", "filters": {"as_of": "2025-03-01"}}).json()
    assert r["filters"] == {"as_of": "2025-03-01"}
    assert {h["citation"]["version"] for h in r["hits"] if h["citation"]["doc_id"].startswith("policies/strikes")} == {"3.0"}


@pytest.mark.parametrize("as_of", ["2025-13-01", "01/03/2025", "2025-3-1", "soon", 20250301, ["2025-03-01"]])
def test_a_bad_as_of_is_422(versioned_client: TestClient, as_of):
    r = versioned_client.post("/search", json={"query": "strikes", "filters": {"as_of": as_of}})
    assert r.status_code == 422
    detail = str(r.json()["detail"])
    assert "as_of" in detail and ("YYYY-MM-DD" in detail or "valid string" in detail)


def test_versions_endpoint_lists_the_chain_newest_first(versioned_client: TestClient):
    old, new = "policies/strikes/strikes-2024.md", "policies/strikes/strikes.md"
    for doc_id in (old, new):
        r = versioned_client.get(f"/documents/{doc_id}/versions", params={"as_of": "2026-06-01"})
        assert r.status_code == 200
        assert r.json() == {"doc_id": doc_id, "as_of": "2026-06-01", "versions": [
            {"doc_id": new, "title": "Strike Policy", "version": "4.0", "effective": "2026-01-01", "supersedes": old,
             "in_force": True},
            {"doc_id": old, "title": "Strike Policy (2024)", "version": "3.0", "effective": "2024-07-01",
             "supersedes": None, "in_force": False},
        ]}
    earlier = versioned_client.get(f"/documents/{new}/versions", params={"as_of": "2025-03-01"}).json()
    assert [v["in_force"] for v in earlier["versions"]] == [False, True]
    today = versioned_client.get(f"/documents/{new}/versions").json()
    assert today["as_of"] == date.today().isoformat()
    assert [v["in_force"] for v in today["versions"]] == [date.today() >= date(2026, 1, 1), date.today() < date(2026, 1, 1)]


def test_documents_and_versions_routes_both_work(versioned_client: TestClient):
    doc = versioned_client.get("/documents/policies/strikes/strikes.md")
    assert doc.status_code == 200 and doc.json()["clauses"][0]["text"] == "Strikes expire after 90 days."
    # A document whose own path ends in "versions" is still served as a document.
    named = versioned_client.get("/documents/policies/notes/versions")
    assert named.status_code == 200 and named.json()["doc_id"] == "policies/notes/versions"
    assert versioned_client.get("/documents/policies/notes/versions/versions").json()["versions"][0]["doc_id"] == (
        "policies/notes/versions")


@pytest.mark.parametrize("path, status", [
    ("/documents/policies/no/such.md/versions", 404),
    ("/documents/policies/strikes/strikes.md/versions?as_of=2025-02-30", 422),
])
def test_versions_endpoint_errors(versioned_client: TestClient, path, status):
    r = versioned_client.get(path)
    assert r.status_code == status and r.json()["detail"]


def test_a_rebuilt_index_is_served_without_a_restart(tmp_path: Path, monkeypatch):
    import shutil

    import api.app
    from index.build import build_index
    from index.embed import HashingEmbedder
    from ingest.corpus import ingest_folder

    monkeypatch.setattr(api.app, "RELOAD_EVERY", 0.0)
    src = tmp_path / "src"
    shutil.copytree(Path(__file__).parents[1] / "fixtures" / "policies", src)
    idx = tmp_path / "idx"
    query = {"query": "content removals and feature restrictions may be appealed", "k": 3}
    with TestClient(create_app(Settings(index=idx))) as c:
        # Started before its index was built: unavailable, then serving once `ingest` has written it.
        assert c.post("/search", json=query).status_code == 503
        build_index(ingest_folder(src), HashingEmbedder(), idx)
        assert c.get("/healthz").json()["loaded"] is True
        texts = " ".join(h["text"] for h in c.post("/search", json=query).json()["hits"])
        assert "180 days of the decision" in texts
        # Re-ingested after an edit: the next search reads the new build.
        appeals = src / "enforcement" / "appeals.md"
        appeals.write_text(appeals.read_text().replace("180 days of the decision", "120 days of the decision"))
        build_index(ingest_folder(src), HashingEmbedder(), idx)
        texts = " ".join(h["text"] for h in c.post("/search", json=query).json()["hits"])
        assert "120 days of the decision" in texts and "180 days of the decision" not in texts
