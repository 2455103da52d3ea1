"""The naive RAG baseline: fixed 1,000-character windows, 200 overlap, on a tiny md + html + pdf corpus."""

import json
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from api.cli import main
from eval.harness import CONFIGS, evaluate_configs
from eval.naive import build_naive_index, chunk_document, ensure_naive_index, html_visible, windows
from index.build import read_manifest
from index.embed import HashingEmbedder
from index.search import PolicyIndex, SearchConfig
from ingest.corpus import ingest_folder
from ingest.model import citation_holds, words

TOPICS = ["refunds", "appeals", "gifts", "payouts", "strikes", "privacy", "ads", "verification", "music", "bans",
          "badges", "comments", "duets", "captions", "filters", "stickers", "polls", "subscriptions"]
MARKDOWN = "---\ntitle: Creator Rules\naudience: public\nregion: global\n---\n# Creator Rules\n\n" + "".join(
    f"## {topic.title()}\n\nCreators asking about {topic} should read this section: it explains how {topic} "
    f"work, who may use them and when the rules about {topic} change.\n\n" for topic in TOPICS
)
HTML = """<!DOCTYPE html>
<html lang="en">
<head>
  <title>Coins and refunds | Help Center</title>
  <meta name="product" content="live">
  <style>body { font-family: sans-serif; color: stylecolourword; }</style>
  <script>window.trackingsecretword = {enabled: true, account: "scriptonlyword"};</script>
</head>
<body>
  <nav><a href="/">Help Center</a> <a href="/live">LIVE</a> <a href="/account">Account settings</a></nav>
  <main>
    <h1>Coins and refunds</h1>
    <p>Coins are the virtual currency you use to send Gifts to creators during their LIVE.</p>
    <p>You need to be 18 or older to buy Coins &amp; send Gifts. Gifts can&rsquo;t be refunded.</p>
    <script type="text/javascript">
      document.querySelectorAll(".faq").forEach(function (el) { el.dataset.scriptonlyword = "open"; });
    </script>
    <h2>Refunds</h2>
    <p>You were charged twice for the same purchase? Contact us within 30 days and we refund the duplicate.</p>
    <p>Coins that did not arrive within 48 hours are refunded to the payment method you used.</p>
    <p>Purchases made by a minor without permission can be refunded when a parent asks us within 90 days.</p>
    <p>Refund requests are answered by the payments team within five business days of the request.</p>
  </main>
</body>
</html>
"""
PDF_PAGES = [
    [f"Page one rule {n}: a creator payout is calculated on the first business day of month {n}." for n in range(16)],
    [f"Page two rule {n}: withheld payouts are released once the review of invalid traffic ends." for n in range(16)],
]


def _pdf(path: Path) -> None:
    pdf = canvas.Canvas(str(path), pagesize=letter, invariant=1)
    pdf.setTitle("Payout Rules")
    for lines in PDF_PAGES:
        pdf.setFont("Helvetica", 10)
        for i, line in enumerate(lines):
            pdf.drawString(54, 720 - 16 * i, line)
        pdf.showPage()
    pdf.save()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("naive-corpus")
    (root / "rules.md").write_text(MARKDOWN, encoding="utf-8")
    (root / "help").mkdir()
    (root / "help" / "coins.html").write_text(HTML, encoding="utf-8")
    _pdf(root / "payouts.pdf")
    return root


@pytest.fixture(scope="module")
def docs(corpus):
    return {d.doc_id: d for d in ingest_folder(corpus).documents}


@pytest.fixture(scope="module")
def naive_index(corpus, tmp_path_factory):
    folder = tmp_path_factory.mktemp("naive-index") / "idx"
    build_naive_index(corpus, HashingEmbedder(), folder)
    idx = PolicyIndex(folder, HashingEmbedder())
    yield idx
    idx.close()


def _spans(chunks) -> list[tuple[int | None, int, int]]:
    return [(c.page, c.char_start, c.char_end) for c in chunks]


@pytest.mark.parametrize("length, expected", [
    (2500, [(0, 1000), (800, 1800), (1600, 2500)]),
    (1000, [(0, 1000)]),
    (1001, [(0, 1000), (800, 1001)]),
    (300, [(0, 300)]),
    (0, []),
])
def test_windows_are_1000_characters_with_stride_800(length, expected):
    assert list(windows("x" * length)) == expected


def test_markdown_is_cut_into_fixed_windows_of_the_file_text(docs):
    doc = docs["rules.md"]
    assert 2400 < len(MARKDOWN) < 3200 and doc.text == MARKDOWN
    chunks = chunk_document(doc)
    assert _spans(chunks) == [(None, 0, 1000), (None, 800, 1800), (None, 1600, 2600), (None, 2400, len(MARKDOWN))]
    first = chunks[0]
    assert first.clause_id == "rules.md#chunk-0" and chunks[3].clause_id == "rules.md#chunk-3"
    assert (first.doc_title, first.section, first.number) == ("Creator Rules", (), None)
    assert first.meta == doc.meta and first.meta["region"] == "global"
    # The window as it is (front matter, Markdown syntax and all), whitespace collapsed.
    assert first.text == " ".join(MARKDOWN[:1000].split())
    assert first.text.startswith("--- title: Creator Rules audience: public")


def test_pdf_chunks_never_cross_a_page(docs):
    doc = docs["payouts.pdf"]
    assert doc.pages is not None and len(doc.pages) == 2
    chunks = chunk_document(doc)
    expected = [(n, s, e) for n, page in enumerate(doc.pages, 1) for s, e in windows(page)]
    assert _spans(chunks) == expected and {c.page for c in chunks} == {1, 2}
    for c in chunks:
        assert ("Page two" in c.text) == (c.page == 2) and ("Page one" in c.text) == (c.page == 1)
    assert [c.clause_id for c in chunks] == [f"payouts.pdf#chunk-{n}" for n in range(len(chunks))]


def test_html_chunks_index_the_raw_html_without_script_or_style_text(docs):
    doc = docs["help/coins.html"]
    assert doc.text == HTML
    visible = html_visible(HTML)
    assert len(visible) == len(HTML)
    at = visible.index("Coins are the virtual currency")
    assert HTML[at:at + 30] == "Coins are the virtual currency"
    chunks = chunk_document(doc)
    assert _spans(chunks) == [(None, s, e) for s, e in windows(HTML)] and len(chunks) >= 2
    text = " ".join(c.text for c in chunks)
    for hidden in ("trackingsecretword", "scriptonlyword", "stylecolourword", "querySelectorAll", "<p>", "href"):
        assert hidden not in text
    # A naive pipeline keeps page chrome: the nav's words are in the first chunk; entities are decoded.
    assert "Account settings" in chunks[0].text and "Coins & send Gifts" in text and "can’t" in text


def test_every_chunk_cites_its_source_through_the_index_store(naive_index, docs):
    chunks = naive_index.store.iter_clauses()
    assert naive_index.clause_count == len(chunks) == sum(len(chunk_document(d)) for d in docs.values())
    for c in chunks:
        doc = naive_index.store.document(c.doc_id)
        assert doc is not None and words(c.text)
        assert citation_holds(doc.source_for(c.page), c.text, c.char_start, c.char_end), c.clause_id


def test_chunks_are_embedded_as_they_are(naive_index):
    chunk = naive_index.store.iter_clauses()[1]
    # The chunk's own text finds it with score 1: its vector is the embedding of exactly that text.
    hit = naive_index.search(chunk.text, k=1, config=SearchConfig(mode="dense")).hits[0]
    assert hit.clause.clause_id == chunk.clause_id and hit.score == pytest.approx(1.0, abs=1e-5)


def test_the_naive_index_is_built_once_per_corpus_and_model(corpus, tmp_path):
    folder = ensure_naive_index(corpus, tmp_path, HashingEmbedder())
    built = read_manifest(folder).built_at
    assert ensure_naive_index(corpus, tmp_path, HashingEmbedder()) == folder
    assert read_manifest(folder).built_at == built and folder.name.startswith(f"{corpus.name}-naive-")
    assert ensure_naive_index(corpus, tmp_path, HashingEmbedder(128)) != folder


def test_a_configuration_without_its_index_is_refused(naive_index):
    with pytest.raises(ValueError, match="no naive index given for configurations naive-rag"):
        evaluate_configs({"main": naive_index}, [], [CONFIGS["naive-rag"]])


QUERIES = [
    {"query_id": "n1", "query": "who may use duets", "area": "rules", "answerable": True,
     "relevant": [{"doc_id": "rules.md", "quote": "it explains how duets work, who may use them", "grade": 2}]},
    {"query_id": "n2", "query": "refund when charged twice for the same purchase", "area": "coins", "answerable": True,
     "relevant": [{"doc_id": "help/coins.html", "quote": "You were charged twice for the same purchase?", "grade": 2}]},
]


def test_eval_reports_the_default_beside_naive_rag(corpus, tmp_path, capsys):
    queries = tmp_path / "q.jsonl"
    queries.write_text("".join(json.dumps(q) + "\n" for q in QUERIES))
    cache, out = tmp_path / "cache", tmp_path / "out"
    code = main(["eval", "--queries", str(queries), "--corpus", str(corpus), "--cache", str(cache), "--out", str(out),
                 "--model", "hashing-256", "--configs", "default,naive-rag", "--quiet"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "| naive-rag |" in printed and "| default |" in printed and "naive chunks" in printed
    report = json.loads((out / "report.json").read_text())
    assert set(report["configs"]) == {"default", "naive-rag"}
    naive = report["configs"]["naive-rag"]
    assert naive["description"] == "dense, with context, naive index"
    assert naive["citation_fidelity"] == 1.0 and set(naive["per_query"]) == {"n1", "n2"}
    assert naive["metrics"]["success@5"] == 1.0  # each judged quote lies inside some chunk's wide span
    assert report["naive_chunks"] == sum(len(chunk_document(d)) for d in ingest_folder(corpus).documents)
    assert "naive-rag" in report["paired_t_test_p"]["default"]
    assert len(list(cache.iterdir())) == 2  # the main index and the naive one

    # Only the naive configuration: only the naive index is built.
    only = tmp_path / "cache-naive"
    assert main(["eval", "--queries", str(queries), "--corpus", str(corpus), "--cache", str(only), "--out",
                 str(tmp_path / "o2"), "--model", "hashing-256", "--configs", "naive-rag", "--quiet"]) == 0
    assert [p.name.startswith(f"{corpus.name}-naive-") for p in only.iterdir()] == [True]


def test_naive_rag_cannot_be_judged_by_clause_id_qrels(corpus, tmp_path):
    queries = tmp_path / "q.jsonl"
    queries.write_text(json.dumps({"query_id": "t1", "query": "duets"}) + "\n")
    qrels = tmp_path / "qrels.txt"
    qrels.write_text("t1 0 rules.md#duets/1 2\n")
    with pytest.raises(SystemExit, match="qrels judge clause ids"):
        main(["eval", "--queries", str(queries), "--qrels", str(qrels), "--corpus", str(corpus), "--cache",
              str(tmp_path / "c"), "--model", "hashing-256", "--configs", "naive-rag", "--quiet"])


# One query: the paired t-test has no variance to work with, and scipy says so.
@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning", "ignore:invalid value:RuntimeWarning")
def test_naive_rag_on_a_passage_benchmark(tmp_path):
    bench = tmp_path / "bench"
    bench.mkdir()
    passages = [("site-a.com", "site-a.com#1", "We share your email address with advertisers for marketing."),
                ("site-a.com", "site-a.com#2", "You can delete your account at any time from the settings page."),
                ("site-b.com", "site-b.com#1", "We never share your email address with advertisers.")]
    (bench / "corpus.jsonl").write_text("".join(
        json.dumps({"doc_id": d, "passage_id": p, "text": t}) + "\n" for d, p, t in passages))
    (bench / "queries.jsonl").write_text(
        json.dumps({"query_id": "b1", "query": "do you share my email address with advertisers", "doc_id": "site-a.com",
                    "relevant": ["site-a.com#1"]}) + "\n")
    assert main(["eval", "--benchmark", str(bench), "--scope", "restricted", "--cache", str(tmp_path / "cache"),
                 "--out", str(tmp_path / "o"), "--model", "hashing-256", "--configs", "default,naive-rag",
                 "--quiet"]) == 0
    report = json.loads((tmp_path / "o" / "report.json").read_text())
    naive = report["configs"]["naive-rag"]
    assert report["naive_chunks"] == report["clauses"] == 3  # each short passage is one window
    assert naive["metrics"]["success@1"] == 1.0 and naive["citation_fidelity"] == 1.0
