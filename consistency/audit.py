"""Corpus audit: near-duplicate clauses across documents, conflicting clauses, and every article checked.

Findings are grouped by document, most severe first, and written as Markdown and JSON.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np
from scipy import sparse

from consistency.checker import CONTRADICTED, NOT_COVERED, Checker
from consistency.facts import QUALITATIVE, compare, extract_facts
from index.search import PolicyIndex
from index.sentences import sentence_spans
from ingest.model import Clause, words

SEVERITY = {"conflict": 3, "contradicted": 3, "duplicate": 2, "not_covered": 1}
NEIGHBOURS = 10  # nearest clauses compared with each clause
CONFLICT_COSINE = 0.5  # clauses closer than this may be on the same point
SAME_POINT = 0.2  # sentence word overlap (Jaccard) for two sentences to be on the same point
SAME_SENTENCE = 0.7  # ... and for them to be near-identical (a duplicated sentence inside two clauses)
QUALITATIVE_POINT = 0.4  # ... and for a difference of permission, scope or state alone to be a conflict
COPIES = 10  # near-identical passages between two documents beyond which they are near copies, listed once


@dataclass(frozen=True, slots=True)
class Place:
    doc_id: str
    clause_id: str
    number: str | None
    page: int | None
    char_start: int
    char_end: int
    text: str


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str  # conflict | duplicate | contradicted | not_covered
    severity: int
    reason: str
    a: Place
    b: Place | None = None


def _place(c: Clause, text: str | None = None) -> Place:
    return Place(c.doc_id, c.clause_id, c.number, c.page, c.char_start, c.char_end, text or c.text)


def _content(text: str) -> set[str]:
    return {w for w in words(text) if len(w) > 2}


def _sentence_pairs(a: Clause, b: Clause) -> list[tuple[str, str, str, str]]:
    """(kind, reason, sentence of a, sentence of b): sentence pairs whose facts differ, or that are near-identical."""
    out = []
    for sa, ea in sentence_spans(a.text):
        ta = a.text[sa:ea]
        wa = _content(ta)
        fa = extract_facts(ta)
        for sb, eb in sentence_spans(b.text):
            tb = b.text[sb:eb]
            wb = _content(tb)
            overlap = len(wa & wb) / len(wa | wb) if wa and wb else 0.0
            if overlap < SAME_POINT:
                continue
            fb = extract_facts(tb)
            # Both ways for scope: "EU and UK" vs "EU" differs whichever clause comes first.
            diffs = compare(fa, fb) or [d for d in compare(fb, fa) if d.kind == "scope"]
            if diffs and all(d.kind in QUALITATIVE for d in diffs) and overlap < QUALITATIVE_POINT:
                continue  # "any" against "any US", "may" against "may not": noise unless nearly the same words
            if diffs:
                out.append(("conflict", "; ".join(d.reason for d in diffs), ta, tb))
            elif overlap >= SAME_SENTENCE and len(wa) >= 6:
                out.append(("duplicate", "near-identical sentences: drift risk", ta, tb))
    return out


Sentence = tuple[int, str]  # (clause row, sentence text)


class _Restatements:
    """Whether a document states a sentence too: a near-identical sentence (SAME_SENTENCE) whose facts agree."""

    def __init__(self, clauses: list[Clause], skip: list[bool]) -> None:
        self._sentences: dict[str, list[tuple[set[str], str]]] = defaultdict(list)
        for c, skipped in zip(clauses, skip):
            if not skipped:
                self._sentences[c.doc_id] += [(_content(c.text[s:e]), c.text[s:e])
                                              for s, e in sentence_spans(c.text)]

    def states(self, doc_id: str, text: str) -> bool:
        mine, facts = _content(text), extract_facts(text)
        return bool(mine) and any(
            len(mine & theirs) >= SAME_SENTENCE * len(mine | theirs)
            and not compare(extract_facts(other), facts) and not compare(facts, extract_facts(other))
            for theirs, other in self._sentences[doc_id])


def _collapse_copies(findings: list[Finding]) -> list[Finding]:
    """Duplicates between two documents that share more than COPIES passages (versions or copies of one
    document: the Basecamp DPA and its "executable" PDF) listed once, with how many more there are."""
    pairs: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.kind == "duplicate" and f.b is not None:
            pairs[tuple(sorted((f.a.doc_id, f.b.doc_id)))].append(f)
    dropped: set[int] = set()
    replaced: dict[int, Finding] = {}
    for group in pairs.values():
        if len(group) > COPIES:
            first, *rest = group
            dropped |= {id(f) for f in rest}
            replaced[id(first)] = replace(first, reason=f"{first.reason}; {len(rest)} more between these two "
                                                        "documents, which are near copies (if one replaces the "
                                                        "other, declare `supersedes`)")
    return [replaced.get(id(f), f) for f in findings if id(f) not in dropped]


def _duplicate_sentences(clauses: list[Clause], skip: list[bool]) -> list[tuple[Sentence, Sentence]]:
    """Pairs of near-identical sentences (word-set Jaccard >= SAME_SENTENCE, at least 6 words) in different
    documents, as ((row, sentence), (row, sentence)); one pair per pair of clauses."""
    rows, texts, sets = [], [], []
    for row, c in enumerate(clauses):
        if skip[row]:
            continue
        # Whole sentences: "counts as one strike; a strike expires ..." is one rule, not two.
        for s, e in sentence_spans(c.text, semicolons=False):
            w = _content(c.text[s:e])
            if len(w) >= 6 and not c.text[s:e].endswith(":"):  # a lead-in ("the terms mean:") says nothing
                rows.append(row), texts.append(c.text[s:e]), sets.append(w)
    if not sets:
        return []
    vocab = {w: k for k, w in enumerate(sorted(set().union(*sets)))}
    x = sparse.csr_matrix((np.ones(sum(map(len, sets)), dtype=np.float32),
                           [vocab[w] for ws in sets for w in sorted(ws)],
                           np.cumsum([0, *map(len, sets)])), shape=(len(sets), len(vocab)))
    shared = sparse.triu(x @ x.T, k=1).tocoo()  # words two sentences share
    sizes = np.array([len(ws) for ws in sets], dtype=np.float32)
    jaccard = shared.data / (sizes[shared.row] + sizes[shared.col] - shared.data)
    out, seen = [], set()
    near = jaccard >= SAME_SENTENCE
    for a, b in sorted(zip(shared.row[near].tolist(), shared.col[near].tolist())):
        ra, rb = rows[a], rows[b]
        if clauses[ra].doc_id == clauses[rb].doc_id or (ra, rb) in seen:
            continue
        seen.add((ra, rb))
        out.append(((ra, texts[a]), (rb, texts[b])))
    return out


def audit(index: PolicyIndex, articles: str | None = "help-centre/", as_of: date | None = None
          ) -> list[Finding]:
    """Every finding among the clauses in force on as_of (default today): duplicates, conflicts between
    policies, and checked articles."""
    clauses = index.store.iter_clauses()
    is_article = [bool(articles) and c.doc_id.startswith(articles) for c in clauses]
    # A superseded version is history: its differences from the version that replaced it are the change.
    in_force = np.zeros(len(clauses), dtype=bool)
    in_force[index.versions.in_force(as_of or date.today())] = True
    skip = [art or not now for art, now in zip(is_article, in_force)]
    findings: list[Finding] = []
    # (a) near-identical clauses in different documents: a change to one will not reach the other.
    for group in index.duplicate_groups():
        members = [row for row in group if in_force[row]]
        if len(members) < 2:
            continue
        first, *rest = members
        for other in rest:
            a, b = clauses[first], clauses[other]
            if a.doc_id == b.doc_id:  # a clause a document repeats (a contract's schedules) is not drift
                continue
            findings.append(Finding("duplicate", SEVERITY["duplicate"], "near-identical clauses: drift risk",
                                    _place(a), _place(b)))
    # (b) clauses on the same point in different policy documents whose facts differ.
    sims, ids = index.vectors[True].neighbours(NEIGHBOURS)
    seen: set[tuple[int, int]] = set()
    # A sentence the other document also states (two copies of one contract, each with the same sentences) is
    # no conflict between the documents, whatever other sentence of it it was paired with.
    restated = _Restatements(clauses, skip)
    for i in range(len(clauses)):
        if skip[i]:
            continue
        for j, sim in zip(ids[i], sims[i]):
            j = int(j)
            pair = (min(i, j), max(i, j))
            if j < 0 or sim < CONFLICT_COSINE or skip[j] or pair in seen:
                continue
            group = index.group_of(i)
            if clauses[i].doc_id == clauses[j].doc_id or (group is not None and group == index.group_of(j)):
                continue
            seen.add(pair)
            a, b = clauses[pair[0]], clauses[pair[1]]
            pairs = [p for p in _sentence_pairs(a, b) if p[0] != "conflict"
                     or not (restated.states(b.doc_id, p[2]) or restated.states(a.doc_id, p[3]))]
            for kind in ("conflict", "duplicate"):
                for _, reason, ta, tb in [p for p in pairs if p[0] == kind][:1]:
                    findings.append(Finding(kind, SEVERITY[kind], reason, _place(a, ta), _place(b, tb)))
    # (a') near-identical sentences in different documents, wherever their clauses are: a clause that copies
    # one sentence of another is not its neighbour when the rest of it differs.
    reported = {(f.a.clause_id, f.b.clause_id) for f in findings if f.kind == "duplicate" and f.b}
    for (i, ta), (j, tb) in _duplicate_sentences(clauses, skip):
        if (clauses[i].clause_id, clauses[j].clause_id) in reported:
            continue
        reported.add((clauses[i].clause_id, clauses[j].clause_id))
        findings.append(Finding("duplicate", SEVERITY["duplicate"], "near-identical sentences: drift risk",
                                _place(clauses[i], ta), _place(clauses[j], tb)))
    # (c) every article, statement by statement.
    if articles:
        checker = Checker(index, exclude=(articles,))
        for doc_id in sorted({c.doc_id for c, art in zip(clauses, is_article) if art}):
            text = "\n\n".join(c.text for c in index.store.clauses_of(doc_id))
            for v in checker.check_text(text):
                if v.verdict in (CONTRADICTED, NOT_COVERED):
                    art = Place(doc_id, doc_id, None, None, v.statement.start, v.statement.end, v.statement.text)
                    ev = v.evidence[0] if v.evidence else None
                    kind = "contradicted" if v.verdict == CONTRADICTED else "not_covered"
                    findings.append(Finding(kind, SEVERITY[kind], v.reason, art,
                                            _place(ev.clause, ev.clause.text[ev.sentence[0]:ev.sentence[1]]) if ev else None))
    return sorted(_collapse_copies(findings), key=lambda f: (-f.severity, f.a.doc_id, f.a.char_start))


def write_audit(findings: list[Finding], out: Path) -> tuple[Path, Path]:
    """audit.json and audit.md (grouped by document, most severe first) in out."""
    out.mkdir(parents=True, exist_ok=True)
    by_doc: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_doc[f.a.doc_id].append(f)
    order = sorted(by_doc, key=lambda d: (-max(f.severity for f in by_doc[d]), -len(by_doc[d]), d))
    (out / "audit.json").write_text(json.dumps({d: [asdict(f) for f in by_doc[d]] for d in order}, indent=2,
                                               ensure_ascii=False) + "\n", encoding="utf-8")
    counts = defaultdict(int)
    for f in findings:
        counts[f.kind] += 1
    md = ["# Corpus audit", "", ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())), ""]
    for d in order:
        md += [f"## {d}", ""]
        for f in by_doc[d]:
            where = f"`{f.a.clause_id}`" if f.a.clause_id != f.a.doc_id else f"chars {f.a.char_start}-{f.a.char_end}"
            md.append(f"- **{f.kind}** ({f.reason}) {where}: {f.a.text[:220]}")
            if f.b:
                md.append(f"  - vs `{f.b.doc_id}`" + (f" §{f.b.number}" if f.b.number else "") + f": {f.b.text[:220]}")
        md.append("")
    (out / "audit.md").write_text("\n".join(md), encoding="utf-8")
    return out / "audit.md", out / "audit.json"
