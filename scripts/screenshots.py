"""Screenshots of the agent page for the docs, taken with Playwright and the system Chromium (no download).

    python scripts/screenshots.py --url http://127.0.0.1:8000 --out docs/screenshots

Needs a running `policyscope serve` over the shipped corpus. Writes search-1280.png, search-390.png,
no-policy.png, document.png and writer.png.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
QUERY = "can a 17-year-old creator receive LIVE gifts?"
UNANSWERABLE = "what is the parking policy at the Dublin office?"
ARTICLE = """# Going LIVE: quick facts

You need at least 1,000 followers to go LIVE. A host can appoint up to 50 moderators for a LIVE.
You must be 18 or older to send or receive Gifts. Account holders aged 16 can receive Gifts from viewers.
Our office has free parking for visitors.
"""


def search(page, base: str, query: str) -> None:
    """Run a query from the search box and wait for both the cards and the answer."""
    page.goto(base + "/")
    page.fill("#q", query)
    page.press("#q", "Enter")
    page.wait_for_selector("#results[data-state='done']")
    page.wait_for_selector("#answer[data-state='answered'], #answer[data-state='abstained']")
    page.evaluate("document.activeElement.blur()")  # no focus ring or caret in the picture


def take(url: str, out: Path) -> list[Path]:
    """Take every screenshot; returns the files written."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    base = url.rstrip("/")
    written: list[Path] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        wide = browser.new_page(viewport={"width": 1280, "height": 1300})
        search(wide, base, QUERY)
        written.append(out / "search-1280.png")
        wide.screenshot(path=written[-1])

        wide.click("#results .card >> text=Open in document")
        wide.wait_for_selector("body[data-state='ready']")
        written.append(out / "document.png")
        wide.screenshot(path=written[-1])

        search(wide, base, UNANSWERABLE)
        written.append(out / "no-policy.png")
        wide.screenshot(path=written[-1])

        wide.goto(base + "/#writer")
        wide.fill("#article-text", ARTICLE)
        wide.click("#check-button")
        wide.wait_for_selector("#check-results[data-state='done']", timeout=60_000)
        wide.evaluate("document.activeElement.blur()")
        written.append(out / "writer.png")
        wide.screenshot(path=written[-1], full_page=True)

        narrow = browser.new_page(viewport={"width": 390, "height": 1400}, device_scale_factor=1)
        search(narrow, base, QUERY)
        written.append(out / "search-390.png")
        narrow.screenshot(path=written[-1])
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the running policyscope server")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"), help="folder for the PNGs")
    args = parser.parse_args(argv)
    for path in take(args.url, args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
