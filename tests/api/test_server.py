"""The API behind a real uvicorn server on loopback."""

import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn

from api.app import create_app
from api.settings import Settings

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(hashing_index_dir: Path):
    port = _free_port()
    # The server loads the index itself at start-up, as `policyscope serve` does.
    settings = Settings(index=hashing_index_dir, port=port)
    srv = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


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
