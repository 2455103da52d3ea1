"""Defined terms: read from the policies' own definitions, and a clause found by either name."""

from pathlib import Path

import pytest

from index.build import build_index
from index.embed import HashingEmbedder
from index.search import PolicyIndex, SearchConfig
from index.terms import definitions, expand
from ingest.corpus import ingest_folder

LEXICAL = SearchConfig(mode="lexical")


@pytest.mark.parametrize("text, expected", [
    ("under the Digital Millennium Copyright Act (“DMCA”), we", [("DMCA", "Digital Millennium Copyright Act")]),
    ('6. Under the California Consumer Privacy Act ("CCPA") you may', [("CCPA", "California Consumer Privacy Act")]),
    ("update Jetpack Ads or WordAds (collectively, “Automattic Ads”), and", [("Automattic Ads", "Jetpack Ads or WordAds")]),
    ("the GitHub Sponsors Program and Terms (the “Sponsors Terms”)", [("Sponsors Terms", "GitHub Sponsors Program and Terms")]),
    ("**“Feedback”**", []),
    # A lower-case phrase, or a name the term shares nothing with, is not what the term stands for.
    ("any suggestions or ideas (collectively, “Feedback”)", []),
    ("our work with the Program (the “Purpose”)", []),
    ("we (“we”, “us”) and you (“you”)", []),
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
    (root / "ads" / "partner-terms.md").write_text(
        "# Partner Terms\n\n## Payments\n\nAutomattic Ads partners are paid by wire.\n\n## Privacy\n\n"
        "We process data as the GDPR requires.\n", encoding="utf-8")
    (root / "privacy.md").write_text(
        "# Privacy\n\n## Law\n\nThe General Data Protection Regulation (“GDPR”) applies to EU users.\n",
        encoding="utf-8")
    build_index(ingest_folder(root), HashingEmbedder(), tmp_path / "idx")
    idx = PolicyIndex(tmp_path / "idx", HashingEmbedder())
    try:
        hits = idx.search("WordAds balance", 5, None, LEXICAL).hits
        assert hits and hits[0].clause.text.startswith("Automattic Ads pays out")
        # A name's definition holds in its own document only: the partner terms never said what it means.
        assert all(h.clause.doc_id == "ads/ad-terms.md" for h in hits)
        # An acronym's holds everywhere: the partner terms' GDPR clause is found by the full name.
        found = {h.clause.doc_id for h in idx.search("General Data Protection Regulation", 5, None, LEXICAL).hits}
        assert "ads/partner-terms.md" in found
        # The clause text itself is unchanged: the other name is only in the lexical text.
        assert hits[0].clause.text == "Automattic Ads pays out once your balance exceeds $100."
    finally:
        idx.close()


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
