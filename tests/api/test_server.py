"""The API behind a real uvicorn server on loopback."""

from pathlib import Path

import httpx
import pytest

from api.app import create_app
from api.settings import Settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(hashing_index_dir: Path, serving):
    # The server loads the index itself at start-up, as `policyscope serve` does.
    with serving(create_app(Settings(index=hashing_index_dir))) as url:
        yield url


def test_search_over_real_http(server: str):
    with httpx.Client(base_url=server, timeout=10) as c:
        assert c.get("/healthz").json()["loaded"] is True
        r = c.post("/search", json={"query": "how many moderators can a host appoint for their LIVEs", "k": 5,
                                    "filters": {"doc_id": "policies/community-guidelines"}})
        assert r.status_code == 200
        hits = r.json()["hits"]
        assert hits[0]["citation"]["number"] == "3.1"
        assert all(h["citation"]["doc_id"] == "policies/community-guidelines/live.md" for h in hits)
        bad = c.post("/search", content=b"{oops", headers={"content-type": "application/json"})
        assert bad.status_code == 422
