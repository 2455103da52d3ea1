"""Defined terms: read from the policies' own definitions, and a clause found by either name."""

from pathlib import Path

import pytest

from index.build import build_index
from index.embed import HashingEmbedder
from index.search import PolicyIndex, SearchConfig
from index.terms import definitions, expand, expansions, lexical_texts
from ingest.corpus import ingest_folder
from ingest.model import Clause

LEXICAL = SearchConfig(mode="lexical")


@pytest.mark.parametrize("text, expected", [
    ("under the Digital Millennium Copyright Act (“DMCA”), we", [("DMCA", "Digital Millennium Copyright Act")]),
    ('6. Under the California Consumer Privacy Act ("CCPA") you may', [("CCPA", "California Consumer Privacy Act")]),
    ("update Jetpack Ads or WordAds (collectively, “Automattic Ads”), and", [("Automattic Ads", "Jetpack Ads or WordAds")]),
    ('the Stripe Terms of Service ("Stripe Services Agreement")', [("Stripe Services Agreement", "Stripe Terms of Service")]),
    ("**“Feedback”**", []),
    # The name stays within its sentence.
    ('You agree to these Terms. Jetpack Ads or WordAds (collectively, "Automattic Ads")',
     [("Automattic Ads", "Jetpack Ads or WordAds")]),
    ('Privacy Policy.\n\nJetpack Ads or WordAds (collectively, "Automattic Ads")',
     [("Automattic Ads", "Jetpack Ads or WordAds")]),
    # A lower-case phrase, or a name the term shares too little with, is not what the term stands for.
    ("any suggestions or ideas (collectively, “Feedback”)", []),
    ("our work with the Program (the “Purpose”)", []),
    ("Server Products such as GitHub Enterprise Server (“GitHub Terms”)", []),
    ("we (“we”, “us”) and you (“you”)", []),
    # "UK GDPR" is no acronym of "General Data Protection Regulation", nor a name sharing its words.
    ('United Kingdom General Data Protection Regulation ("UK GDPR")', []),
    # A long side that contains the term adds nothing: a clause using it uses the term too.
    ("37signals LLC (“37signals”)", []),
    ("the GitHub Sponsors Program (the “Program”) lets", []),
])
def test_definitions(text, expected):
    assert definitions(text) == expected


def test_expand_adds_the_other_name_only():
    pairs = [("DMCA", "Digital Millennium Copyright Act")]
    assert expand("Send a DMCA notice.", pairs) == "Send a DMCA notice.\nDigital Millennium Copyright Act"
    assert expand("The Digital Millennium Copyright Act says", pairs).endswith("\nDMCA")
    assert expand("DMCA: the Digital Millennium Copyright Act", pairs) == "DMCA: the Digital Millennium Copyright Act"
    assert expand("ADMCAB is no acronym here.", pairs) == "ADMCAB is no acronym here."


def test_a_clause_is_found_by_the_name_it_does_not_use(tmp_path: Path):
    root = tmp_path / "corpus"
    (root / "ads").mkdir(parents=True)
    (root / "ads" / "ad-terms.md").write_text(
        "# Ad Program Terms\n\n## Scope\n\nThese terms cover Jetpack Ads or WordAds (collectively, "
        "“Automattic Ads”).\n\n## Payments\n\nAutomattic Ads pays out once your balance exceeds $100.\n",
        encoding="utf-8")
    build_index(ingest_folder(root), HashingEmbedder(), tmp_path / "idx")
    idx = PolicyIndex(tmp_path / "idx", HashingEmbedder())
    try:
        hits = idx.search("WordAds balance", 1, None, LEXICAL).hits
        assert hits[0].clause.text == "Automattic Ads pays out once your balance exceeds $100."  # text unchanged
    finally:
        idx.close()


def _clause(doc_id: str, text: str) -> Clause:
    return Clause(clause_id=f"{doc_id}#{len(text)}", doc_id=doc_id, doc_title="", section=(), number=None,
                  text=text, page=None, char_start=0, char_end=len(text))


def test_names_hold_in_their_document_and_acronyms_in_their_source():
    clauses = [
        _clause("acme/ads.md", "Jetpack Ads or WordAds (collectively, “Automattic Ads”)."),
        _clause("acme/ads.md", "Automattic Ads pays monthly."),
        _clause("acme/partners.md", "Automattic Ads partners are paid by wire, as the GDPR requires."),
        _clause("acme/privacy.md", "The General Data Protection Regulation (“GDPR”) applies."),
        _clause("other/privacy.md", "We follow the GDPR."),
    ]
    texts = lexical_texts(clauses, [c.text for c in clauses])
    assert texts[1].endswith("\nJetpack Ads or WordAds")
    # The partner terms never said what "Automattic Ads" means; but GDPR is an acronym of acme's.
    assert texts[2].endswith("\nGeneral Data Protection Regulation")
    assert "Jetpack" not in texts[2]
    # Another company's documents do not take acme's acronyms.
    assert texts[4] == clauses[4].text


def test_an_acronym_with_two_meanings_holds_only_where_defined():
    docs = [("acme/dpa.md", "This Data Processing Addendum (“DPA”) applies."),
            ("acme/uk.md", "The Data Protection Act (“DPA”) applies in the UK."),
            ("acme/other.md", "See the DPA.")]
    defined = expansions(docs)
    assert defined["acme/dpa.md"] == [("DPA", "Data Processing Addendum")]
    assert defined["acme/uk.md"] == [("DPA", "Data Protection Act")]
    assert defined["acme/other.md"] == []


def test_real_definitions_are_read(shared_corpus):
    found = {pair for doc in shared_corpus.documents for pair in definitions(doc.text)}
    assert ("Automattic Ads", "Jetpack Ads or WordAds") in found
    assert ("DMCA", "Digital Millennium Copyright Act") in found
    assert ("GPC", "Global Privacy Control") in found


def test_a_long_run_of_capitals_is_read_only_near_the_definition():
    # All-capitals disclaimers are common in terms of service: the name is looked for just before the
    # parenthesis, so a long run costs no more than a short one and yields at most the last few words.
    disclaimer = "THE SERVICES ARE PROVIDED AS IS WITHOUT WARRANTY OF ANY KIND " * 3000
    text = disclaimer + "UNDER THE DIGITAL MILLENNIUM COPYRIGHT ACT (“DMCA”) AND " + disclaimer + "END."
    assert definitions(text) == [("DMCA", "DIGITAL MILLENNIUM COPYRIGHT ACT")]
