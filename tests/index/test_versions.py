from datetime import date

import numpy as np
import pytest

from index.search import PolicyIndex
from index.versions import VersionIndex, parse_date

STRIKES = "how many days until strikes expire"
OLD, NEW = "policies/strikes/strikes-2024.md", "policies/strikes/strikes.md"


def _texts(idx: PolicyIndex, query: str, **kwargs) -> set[str]:
    return {h.clause.text for h in idx.search(query, k=10, **kwargs).hits}


def test_before_the_new_version_takes_effect_the_old_one_answers(versioned_index: PolicyIndex):
    texts = _texts(versioned_index, STRIKES, as_of=date(2025, 3, 1))
    assert "Strikes expire after 120 days." in texts
    assert not any("90 days" in t for t in texts)


@pytest.mark.parametrize("as_of", [date(2026, 1, 1), date(2026, 6, 1)])
def test_once_the_new_version_is_in_effect_only_it_answers(versioned_index: PolicyIndex, as_of: date):
    texts = _texts(versioned_index, STRIKES, as_of=as_of)
    assert "Strikes expire after 90 days." in texts
    assert not any("120 days" in t for t in texts)


def test_the_default_date_is_today(versioned_index: PolicyIndex):
    expected = "90" if date.today() >= date(2026, 1, 1) else "120"
    texts = _texts(versioned_index, STRIKES)
    assert texts == _texts(versioned_index, STRIKES, as_of=date.today())
    assert [t for t in texts if "Strikes expire after" in t] == [f"Strikes expire after {expected} days."]


def test_a_successor_not_yet_in_effect_leaves_the_old_version_in_force(versioned_index: PolicyIndex):
    for as_of in (date(2025, 6, 1), date(2099, 12, 31)):
        texts = _texts(versioned_index, "gifts age", as_of=as_of)
        assert "Gifts can be sent by users aged 18 or older." in texts and not any("21" in t for t in texts)
    texts = _texts(versioned_index, "gifts age", as_of=date(2100, 1, 1))
    assert "Gifts can be sent by users aged 21 or older." in texts and not any("18" in t for t in texts)


def test_nothing_is_in_force_before_its_effective_date_but_undated_documents_always_are(versioned_index: PolicyIndex):
    docs = {h.clause.doc_id for h in versioned_index.search("strikes gifts", k=10, as_of=date(2020, 1, 1)).hits}
    assert docs == {"policies/notes/undated.md", "policies/notes/versions"}


def test_as_of_may_come_among_the_filters(versioned_index: PolicyIndex):
    hits = versioned_index.search(STRIKES, k=10, filters={"as_of": "2025-03-01", "doc_id": "policies/strikes"}).hits
    assert [h.clause.doc_id for h in hits] == [OLD]
    hits = versioned_index.search(STRIKES, k=10, filters={"as_of": ["2026-06-01"]}).hits  # as --filter gives it
    assert OLD not in {h.clause.doc_id for h in hits} and NEW in {h.clause.doc_id for h in hits}


@pytest.mark.parametrize("bad", ["2025-13-01", "01/03/2025", "2025-3-1", "", "yesterday", 20250301, ["a", "b"]])
def test_a_bad_as_of_is_a_value_error_naming_the_format(versioned_index: PolicyIndex, bad):
    with pytest.raises(ValueError, match="as_of must be a date YYYY-MM-DD, not"):
        versioned_index.search(STRIKES, k=3, filters={"as_of": bad})


def test_versions_lists_the_chain_newest_first(versioned_index: PolicyIndex):
    for doc_id in (OLD, NEW):
        versions = versioned_index.versions.versions(doc_id, date(2026, 6, 1))
        assert [(v.doc_id, v.version, v.effective, v.supersedes, v.in_force) for v in versions] == [
            (NEW, "4.0", "2026-01-01", OLD, True),
            (OLD, "3.0", "2024-07-01", None, False),
        ]
        assert [v.title for v in versions] == ["Strike Policy", "Strike Policy (2024)"]
    assert [v.in_force for v in versioned_index.versions.versions(NEW, date(2025, 3, 1))] == [False, True]
    assert [v.doc_id for v in versioned_index.versions.versions("policies/notes/undated.md")] == ["policies/notes/undated.md"]
    assert versioned_index.versions.versions("policies/no/such.md") == []


def _index(docs: dict[str, dict[str, str]], rows_per_doc: int = 2) -> VersionIndex:
    doc_ids = [d for d in docs for _ in range(rows_per_doc)]
    return VersionIndex(doc_ids, [docs[d] for d in doc_ids])


def test_in_force_returns_sorted_row_ids_over_a_chain_of_three():
    idx = _index({
        "v1.md": {"effective": "2020-01-01"},
        "other.md": {},
        "v3.md": {"effective": "2024-01-01", "supersedes": "v2.md"},
        "v2.md": {"effective": "2022-01-01", "supersedes": "v1.md"},
    })
    assert idx.in_force(date(2019, 1, 1)).tolist() == [2, 3]
    assert idx.in_force(date(2021, 1, 1)).tolist() == [0, 1, 2, 3]
    assert idx.in_force(date(2022, 1, 1)).tolist() == [2, 3, 6, 7]
    assert idx.in_force(date(2030, 1, 1)).tolist() == [2, 3, 4, 5]
    assert idx.in_force(date(2030, 1, 1)).dtype == np.int64
    assert [v.doc_id for v in idx.versions("v2.md", date(2030, 1, 1))] == ["v3.md", "v2.md", "v1.md"]
    assert [v.in_force for v in idx.versions("v1.md", date(2023, 1, 1))] == [False, True, False]


@pytest.mark.parametrize("docs, as_of, expect", [
    # A successor without an effective date is in force from the start, so it always supersedes.
    ({"old.md": {"effective": "2020-01-01"}, "new.md": {"supersedes": "old.md"}}, date(2030, 1, 1), ["new.md"]),
    # A supersedes naming no indexed document, or the document itself, changes nothing.
    ({"a.md": {"supersedes": "gone.md"}, "b.md": {"supersedes": "b.md"}}, date(2030, 1, 1), ["a.md", "b.md"]),
    # Two successors: the earlier one in effect retires the old version.
    ({"old.md": {}, "x.md": {"effective": "2025-01-01", "supersedes": "old.md"},
      "y.md": {"effective": "2027-01-01", "supersedes": "old.md"}}, date(2026, 1, 1), ["x.md"]),
    # supersedes is relative to the ingested folder; the index may have been built from a parent folder.
    ({"corpus/a/old.md": {}, "corpus/a/new.md": {"supersedes": "a/old.md"}}, date(2030, 1, 1), ["corpus/a/new.md"]),
    ({"corpus/a/old.md": {}, "corpus/a/new.md": {"supersedes": "./old.md"}}, date(2030, 1, 1), ["corpus/a/new.md"]),
])
def test_in_force_edge_cases(docs, as_of, expect):
    idx = _index(docs, rows_per_doc=1)
    ids = list(docs)
    assert sorted(ids[r] for r in idx.in_force(as_of)) == sorted(expect)


def test_a_supersedes_cycle_does_not_hang_versions():
    idx = _index({"a.md": {"supersedes": "b.md"}, "b.md": {"supersedes": "a.md"}}, rows_per_doc=1)
    assert {v.doc_id for v in idx.versions("a.md")} == {"a.md", "b.md"}


def test_in_force_is_cached_and_read_only():
    idx = _index({"a.md": {"effective": "2020-01-01"}})
    rows = idx.in_force(date(2021, 1, 1))
    assert idx.in_force(date(2021, 1, 1)) is rows and not rows.flags.writeable


@pytest.mark.parametrize("value, expect", [("2025-03-01", date(2025, 3, 1)), (" 2026-01-01 ", date(2026, 1, 1)),
                                           (date(2024, 2, 29), date(2024, 2, 29))])
def test_parse_date(value, expect):
    assert parse_date(value) == expect
