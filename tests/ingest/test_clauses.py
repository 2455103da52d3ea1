import re

from ingest.clauses import MAX_WORDS, split_clauses
from ingest.markdown import parse_markdown
from ingest.model import citation_holds


def _sentence(i: int) -> str:
    return f"Sentence {i} says that creators in region {i} must wait {i} days before a payout is released to them."


LONG = "# Policy\n\n## Payouts\n\n" + " ".join(_sentence(i) for i in range(40)) + "\n\n## Other\n\nShort text here.\n"


def test_long_section_is_split_at_sentence_ends_within_the_window():
    doc = parse_markdown(LONG, "long.md")
    payouts = [c for c in split_clauses(doc) if c.section[-1] == "Payouts"]
    assert len(payouts) > 1
    for c in payouts:
        assert len(c.text.split()) <= MAX_WORDS
        assert re.match(r"^Sentence \d+ says", c.text) and c.text.endswith("to them.")
        assert citation_holds(doc.text, c.text, c.char_start, c.char_end)
    assert " ".join(c.text for c in payouts) == " ".join(_sentence(i) for i in range(40))


def test_a_clause_never_crosses_a_section():
    doc = parse_markdown(LONG, "long.md")
    other = [c for c in split_clauses(doc) if c.section[-1] == "Other"]
    assert [c.text for c in other] == ["Short text here."]


def test_tiny_unnumbered_neighbours_merge_but_numbered_clauses_stay_apart():
    text = "# P\n\n## S\n\nIntro.\n\nMore.\n\n1.1 First rule here.\n\n1.2 Second rule here.\n"
    got = [(c.number, c.text) for c in split_clauses(parse_markdown(text, "p.md"))]
    assert got == [(None, "Intro.\nMore."), ("1.1", "1.1 First rule here."), ("1.2", "1.2 Second rule here.")]


def test_a_long_table_is_split_by_rows_with_its_header_repeated():
    rows = "\n".join(f"| Region {i} with a long descriptive name | {i} | {i + 1} years and some more words |" for i in range(40))
    text = f"# T\n\n| Region | Age | Note |\n|---|---|---|\n{rows}\n"
    doc = parse_markdown(text, "t.md")
    parts = split_clauses(doc)
    assert len(parts) > 1
    for p in parts:
        assert p.text.splitlines()[0] == "Region | Age | Note"
        assert len(p.text.split()) <= MAX_WORDS
        assert citation_holds(doc.text, p.text, p.char_start, p.char_end)
    body = [line for p in parts for line in p.text.splitlines()[1:]]
    assert len(body) == 40


BASE = """# Policy

## Appeals

You may appeal a removal within 180 days of the decision, either from the notification that announced it or from the account status page, and you may add up to five hundred characters of context.

We aim to decide appeals within seven days, and complex appeals, such as those that involve intellectual property or several linked accounts, may take up to thirty days before a final answer is sent.

## Strikes

A strike expires ninety days after it was issued, and an expired strike no longer counts towards feature restrictions or bans, although it stays visible to the account holder in the account status page.
"""


def test_ids_are_identical_across_ingests_and_unique():
    a = [c.clause_id for c in split_clauses(parse_markdown(BASE, "p.md"))]
    b = [c.clause_id for c in split_clauses(parse_markdown(BASE, "p.md"))]
    assert a == b and len(set(a)) == len(a) == 3


def test_editing_one_paragraph_changes_only_its_clause_id():
    before = [c.clause_id for c in split_clauses(parse_markdown(BASE, "p.md"))]
    edited = BASE.replace("within seven days", "within ten days").replace("# Policy\n", "# Policy\n\nA new preamble paragraph.\n")
    after = [c.clause_id for c in split_clauses(parse_markdown(edited, "p.md"))]
    assert before[0] in after and before[2] in after
    assert before[1] not in after
