from pathlib import Path

import pytest

from ingest.html import parse_html
from ingest.model import DocumentError, ParsedDocument, citation_holds

FIXTURE = Path(__file__).parent / "fixtures" / "help_article.html"


@pytest.fixture(scope="module")
def source() -> str:
    return FIXTURE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def doc(source: str) -> ParsedDocument:
    return parse_html(source, "live/gifts-eligibility.html")


def test_document_fields(doc: ParsedDocument, source: str) -> None:
    assert doc.doc_id == "live/gifts-eligibility.html"
    assert doc.format == "html"
    assert doc.text == source
    assert doc.pages is None


def test_title_drops_site_suffix(doc: ParsedDocument) -> None:
    assert doc.title == "LIVE Gifts eligibility"


def test_meta(doc: ParsedDocument) -> None:
    assert doc.meta == {
        "description": "Who can send and receive LIVE Gifts, and the age limits that apply in each region.",
        "audience": "public",
        "region": "global",
        "product": "live",
        "language": "en",
        "source_url": "https://help.example.com/live/gifts-eligibility",
    }


def test_headings(doc: ParsedDocument) -> None:
    headings = [(b.kind, b.level, b.text) for b in doc.blocks if b.kind == "heading"]
    assert headings == [
        ("heading", 1, "How LIVE Gifts work"),
        ("heading", 2, "Who can send Gifts"),
        ("heading", 2, "Who can receive Gifts"),
        ("heading", 3, "Age thresholds by region"),
    ]


def test_block_sequence(doc: ParsedDocument) -> None:
    assert [(b.kind, b.level) for b in doc.blocks] == [
        ("heading", 1),
        ("paragraph", 0),
        ("heading", 2),
        ("paragraph", 0),
        ("list_item", 1),
        ("list_item", 1),
        ("heading", 2),
        ("paragraph", 0),
        ("list_item", 1),
        ("list_item", 1),
        ("list_item", 2),
        ("list_item", 2),
        ("heading", 3),
        ("table", 0),
        ("paragraph", 0),
    ]


def test_entities_decoded_and_whitespace_normalised(doc: ParsedDocument) -> None:
    paragraphs = [b.text for b in doc.blocks if b.kind == "paragraph"]
    assert paragraphs[0] == (
        "LIVE Gifts let viewers show appreciation to creators during a LIVE. "
        "Gifts are bought with Coins & can be converted to Diamonds by the creator."
    )
    assert paragraphs[1] == (
        "Viewers must be adults in their region to buy Coins or send Gifts. "
        "We don\u2019t allow minors to purchase Coins."
    )


def test_table_is_one_block_header_first(doc: ParsedDocument) -> None:
    tables = [b for b in doc.blocks if b.kind == "table"]
    rows = [
        "Region | Minimum age to go LIVE | Minimum age to receive Gifts",
        "Global | 18 | 18",
        "South Korea | 19 | 19",
        "Japan | 18 | 20",
    ]
    assert [t.text for t in tables] == ["\n".join(rows)]
    assert tables[0].number is None


def test_ordered_items_numbered_by_position(doc: ParsedDocument) -> None:
    items = [(b.number, b.text) for b in doc.blocks if b.kind == "list_item"]
    assert items[:2] == [
        ("1.", "Open the LIVE you\u2019re watching."),
        ("2.", "Tap the Gift icon and choose a Gift."),
    ]


def test_nested_list_items(doc: ParsedDocument) -> None:
    items = [(b.level, b.number, b.text) for b in doc.blocks if b.kind == "list_item"]
    assert items[2:] == [
        (1, None, "The account meets the minimum age for its region."),
        (1, None, "The account is in good standing:"),
        (2, None, "No active LIVE bans."),
        (2, None, "No unresolved Community Guidelines strikes."),
    ]


@pytest.mark.parametrize(
    "chrome",
    [
        "cookies",  # cookie banner
        "Accept all",  # button inside the banner
        "Skip to content",  # skip link
        "Help home",  # nav
        "Safety centre",
        "Home",  # breadcrumb
        "Share on social",  # share buttons inside the article
        "Popular articles",  # sidebar
        "Privacy policy",  # footer
        "2024",
        "JSONLD",  # JSON-LD script
        "trackingPixelFired",  # inline script
        "font-family",  # inline style
    ],
)
def test_no_page_chrome_in_blocks(doc: ParsedDocument, chrome: str) -> None:
    assert not [b.text for b in doc.blocks if chrome.lower() in b.text.lower()]


def test_every_block_citation_holds(doc: ParsedDocument, source: str) -> None:
    for block in doc.blocks:
        assert citation_holds(source, block.text, block.char_start, block.char_end), block


def test_spans_start_at_their_tag_increase_and_stay_inside_main(doc: ParsedDocument, source: str) -> None:
    main_start = source.index("<main")
    main_end = source.index("</main>") + len("</main>")
    starts = [b.char_start for b in doc.blocks]
    assert starts == sorted(set(starts))
    for block in doc.blocks:
        assert main_start <= block.char_start < block.char_end <= main_end
    opening = {"heading": "<h", "paragraph": "<p", "list_item": "<li", "table": "<table"}
    for block in doc.blocks:
        assert source.startswith(opening[block.kind], block.char_start), block
    table = next(b for b in doc.blocks if b.kind == "table")
    assert source[table.char_start : table.char_end].endswith("</table>")


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>Hello policy world</p>", [("paragraph", 0, "Hello policy world")]),
        ("Plain words without any markup", [("paragraph", 0, "Plain words without any markup")]),
        ("<li>Loose item</li>", [("list_item", 1, "Loose item")]),
        (
            "<h2>Appeals</h2>Unwrapped &amp; loose text",
            [("heading", 2, "Appeals"), ("paragraph", 0, "Unwrapped & loose text")],
        ),
        ("<p>One<p>Two", [("paragraph", 0, "One"), ("paragraph", 0, "Two")]),
    ],
)
def test_fragments_parse(html: str, expected: list[tuple[str, int, str]]) -> None:
    doc = parse_html(html, "fragment.html")
    assert [(b.kind, b.level, b.text) for b in doc.blocks] == expected
    assert doc.title == "fragment.html"
    for block in doc.blocks:
        assert citation_holds(html, block.text, block.char_start, block.char_end)


@pytest.mark.parametrize(
    ("html", "title"),
    [
        ("<title>Appeals - Help Center</title><p>x</p>", "Appeals"),
        ("<title>Appeals - Community Guidelines - Example</title><p>x</p>", "Appeals - Community Guidelines"),
        (
            "<title>Appeal a ban - what happens next and why</title><p>x</p>",
            "Appeal a ban - what happens next and why",
        ),
        ("<h1>Appeals</h1><p>x</p>", "Appeals"),
        ("<p>x</p>", "page.html"),
    ],
)
def test_title_fallbacks(html: str, title: str) -> None:
    assert parse_html(html, "page.html").title == title


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n ",
        "<!-- only a comment -->",
        "<script>var x = 1;</script><style>p { color: red }</style>",
        "<html><body><nav><a href='/'>Home</a></nav><footer>Terms</footer></body></html>",
        "<main>  <div id='cookie-banner'>We use cookies</div> </main><p>Outside main</p>",
    ],
)
def test_no_main_content_raises(html: str) -> None:
    with pytest.raises(DocumentError, match="no main content text"):
        parse_html(html, "empty.html")


def test_clause_numbers_as_printed() -> None:
    html = (
        "<main><h2>Section 3 Appeals</h2><p>4.2(b) Creators must comply.</p>"
        "<ol start='3'><li>(a) Printed wins.</li><li>Counted item.</li></ol></main>"
    )
    doc = parse_html(html, "numbers.html")
    assert [(b.number, b.text) for b in doc.blocks] == [
        ("Section 3", "Section 3 Appeals"),
        ("4.2(b)", "4.2(b) Creators must comply."),
        ("(a)", "(a) Printed wins."),
        ("4.", "Counted item."),
    ]


def test_boilerplate_matching_is_by_word() -> None:
    html = (
        "<article><ul><li class='menu-item'>Menu prices must be shown.</li></ul>"
        "<section id='parental-consent'><h2>Parental consent</h2><p>Required under 13.</p></section>"
        "<div class='related-articles'><p>Read more</p></div></article>"
    )
    doc = parse_html(html, "words.html")
    assert [b.text for b in doc.blocks] == [
        "Menu prices must be shown.",
        "Parental consent",
        "Required under 13.",
    ]


def test_deeply_nested_unclosed_paragraphs() -> None:
    html = "<body>" + "<p>clause " * 3000
    doc = parse_html(html, "legacy.html")
    assert len(doc.blocks) == 3000
    assert all(citation_holds(html, b.text, b.char_start, b.char_end) for b in doc.blocks)


def test_meta_fallback_sources() -> None:
    html = (
        '<html lang="de"><head><meta name="language" content="en-GB">'
        '<meta property="og:description" content="About appeals.">'
        '<meta name="version" content="3.1"><meta property="article:modified_time" content="2024-05-01">'
        '<meta property="og:url" content="https://help.example.com/appeals"></head>'
        "<body><p>Appeals text.</p></body></html>"
    )
    assert parse_html(html, "appeals.html").meta == {
        "description": "About appeals.",
        "version": "3.1",
        "language": "en-GB",
        "effective": "2024-05-01",
        "source_url": "https://help.example.com/appeals",
    }


@pytest.mark.parametrize(
    "html",
    [
        "<p>Gi<b>fts</b> can be reversed</p>",  # a word split by an inline tag
        "<div><div>First</div> loose tail</div>",  # same-named nesting with trailing text
        "<div><div>First</div> unclosed tail",
        "<p>One\r\n<p>Two &amp; three\r\n<ul><li>a<li>b</ul>",  # omitted end tags, CRLF
        "<p>Before <!-- a comment --> after</p><p>x &copy y &#150; z</p>",
        "<ul><li>Own words <ul><li>child</li></ul> and a tail</li></ul>",
    ],
)
def test_citations_hold_on_awkward_markup(html: str) -> None:
    doc = parse_html(html, "awkward.html")
    assert doc.blocks
    for block in doc.blocks:
        assert citation_holds(html, block.text, block.char_start, block.char_end), block
