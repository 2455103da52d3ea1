from pathlib import Path

import pytest

from ingest.clauses import split_clauses
from ingest.corpus import parse_file
from ingest.markdown import parse_markdown
from ingest.model import DocumentError, citation_holds

FIXTURE = Path(__file__).parent / "fixtures" / "payouts.md"


@pytest.fixture(scope="module")
def doc():
    return parse_file(FIXTURE, "payouts.md")


@pytest.fixture(scope="module")
def clauses(doc):
    return split_clauses(doc)


def test_front_matter_becomes_metadata(doc):
    assert doc.title == "Creator Payouts Policy"
    assert doc.meta == {
        "audience": "public", "region": "EU, UK", "product": "monetisation", "language": "en", "version": "2.1",
        "effective": "2026-02-01", "source_url": "https://policies.example.com/payouts", "format": "markdown",
    }


def test_sections_and_numbers(clauses):
    got = [(c.section, c.number) for c in clauses]
    assert got == [
        (("Creator Payouts Policy",), None),
        (("Creator Payouts Policy", "1. Eligibility"), "1.1"),
        (("Creator Payouts Policy", "1. Eligibility"), "1.2"),
        (("Creator Payouts Policy", "2. Payout schedule", "2.1 Thresholds"), None),
        (("Creator Payouts Policy", "2. Payout schedule", "2.2 Holds"), None),
    ]


def test_table_is_whole_with_header_first(clauses):
    table = clauses[3]
    assert table.text == "Region | Minimum payout | Currency\nEU | 50 | EUR\nUK | 40 | GBP"


def test_list_items_merge_with_their_lead_in(clauses):
    holds = clauses[4]
    assert holds.text.splitlines() == [
        "Payouts are held when:",
        "the account is under review for fake engagement;",
        "a chargeback is pending on gifts received;",
        "tax information is missing.",
    ]


def test_spans_point_at_the_source(doc, clauses):
    for c in clauses:
        assert citation_holds(doc.text, c.text, c.char_start, c.char_end), c.clause_id
    first = clauses[1]
    assert doc.text[first.char_start : first.char_end].startswith("1.1 A creator must be at least 18")


def test_markup_is_removed_from_text():
    doc = parse_markdown("# T\n\nSee **the** [appeals page](https://x.example/a) and `code` {{ site.email }}.\n", "t.md")
    assert doc.blocks[1].text == "See the appeals page and code ."


@pytest.mark.parametrize(
    "text, reason",
    [("---\ntitle: [unclosed\n---\nBody\n", "not valid YAML"), ("---\n- a\n- b\n---\nBody\n", "mapping"),
     ("---\ntitle: Only front matter\n---\n", "no text")],
)
def test_bad_markdown_raises_with_reason(text, reason):
    with pytest.raises(DocumentError, match=reason):
        parse_markdown(text, "bad.md")
