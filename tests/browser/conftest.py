"""Browser fixtures, once per session: a real-model index (corpus + a hostile note), a server, a Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from api.settings import Settings
from index.search import PolicyIndex

CHROMIUM = "/usr/bin/chromium"  # Debian's Chromium: never a Playwright browser download
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass(frozen=True)
class Server:
    url: str
    feedback: Path  # the SQLite file the server stores feedback in


@pytest.fixture(scope="session")
def browser_index(shipped_index: PolicyIndex) -> PolicyIndex:
    return shipped_index


@pytest.fixture(scope="session")
def server(browser_index: PolicyIndex, serving) -> Iterator[Server]:
    """uvicorn on loopback, in a thread, over the browser index; feedback goes to its own file."""
    feedback = Path(browser_index.folder).parent / "feedback.sqlite"
    settings = Settings(index=Path(browser_index.folder), feedback=feedback)
    with serving(create_app(settings, index=browser_index)) as url:
        yield Server(url=url, feedback=feedback)


@pytest.fixture(scope="session")
def api(server: Server) -> Iterator[httpx.Client]:
    """The same server's API, to compare the page with."""
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); the browser tests use it")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, server: Server):
    """A factory of pages in fresh contexts (own viewport, permissions); a script error fails the test."""
    contexts, errors = [], []

    def make(width: int = 1280, height: int = 900, permissions: list[str] | None = None,
             init_script: str | None = None):
        context = browser.new_context(viewport={"width": width, "height": height}, base_url=server.url)
        if permissions:
            context.grant_permissions(permissions, origin=server.url)
        if init_script:
            context.add_init_script(init_script)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"script errors on the page: {errors}"


@pytest.fixture
def page(new_page):
    return new_page()


ANSWER_SETTLED = "#answer[data-state='answered'], #answer[data-state='abstained']"


@pytest.fixture(scope="session")
def run_search():
    """Search from the page as an agent does (type, Enter); returns the first-results time in ms."""

    def run(page, query: str, wait_answer: bool = False) -> int:
        page.goto("/")
        page.fill("#q", query)
        page.press("#q", "Enter")
        page.wait_for_selector("#results[data-state='done']")
        if wait_answer:
            page.wait_for_selector(ANSWER_SETTLED)
        return int(page.get_attribute("#results", "data-first-results-ms"))

    return run
