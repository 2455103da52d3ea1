import pytest

from index.search import PolicyIndex


def test_search_ranks_the_matching_clause_first(hashing_index: PolicyIndex):
    hits = hashing_index.search("how many moderators can a host appoint for their LIVEs", k=5).hits
    assert hits[0].clause.doc_id == "policies/community-guidelines/live.md"
    assert hits[0].clause.number == "3.1"
    assert [h.rank for h in hits] == [1, 2, 3, 4, 5]
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:]))


def test_a_filter_matching_one_percent_still_returns_k(hashing_index: PolicyIndex):
    allowed = hashing_index.allowed_rows({"product": "shop"})
    assert 0.009 <= len(allowed) / hashing_index.clause_count <= 0.011
    hits = hashing_index.search("Rules about refunds", k=10, filters={"product": "shop"}).hits
    assert len(hits) == 10
    assert {h.clause.meta["product"] for h in hits} == {"shop"}
    assert {h.clause.doc_id for h in hits} == {"synthetic/synthetic-099.md"}


@pytest.mark.parametrize(
    "filters, expect",
    [
        ({"doc_id": "policies/enforcement"}, {"policies/enforcement/appeals.md", "policies/enforcement/strikes.md"}),
        ({"doc_id": "policies/enforcement/appeals.md"}, {"policies/enforcement/appeals.md"}),
        ({"format": "html"}, {"policies/help-centre/live-gifts.html"}),
        ({"product": ["live", "platform"], "format": "markdown"},
         {"policies/community-guidelines/live.md", "policies/enforcement/appeals.md", "policies/enforcement/strikes.md"}),
    ],
)
def test_filters_hold(hashing_index: PolicyIndex, filters, expect):
    hits = hashing_index.search("appeal gifts strikes", k=50, filters=filters).hits
    assert {h.clause.doc_id for h in hits} == expect


def test_region_filter_keeps_global_clauses(hashing_index: PolicyIndex):
    hits = hashing_index.search("appeal", k=50, filters={"region": "EU", "doc_id": "policies/"}).hits
    assert hits and all(h.clause.meta["region"] == "global" for h in hits)


def test_a_filter_nothing_matches_returns_nothing(hashing_index: PolicyIndex):
    assert hashing_index.search("appeal", k=10, filters={"product": "no-such-product"}).hits == []


@pytest.mark.parametrize("query, k, filters, message", [
    ("   ", 10, None, "empty"), ("appeal", 0, None, "at least 1"), ("appeal", 5, {"colour": "red"}, "unknown filter"),
])
def test_bad_search_input_raises_value_error(hashing_index: PolicyIndex, query, k, filters, message):
    with pytest.raises(ValueError, match=message):
        hashing_index.search(query, k, filters)
