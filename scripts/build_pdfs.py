"""Build the sample corpus's PDFs from our own Markdown-like sources in scripts/pdf_src/.

Each source starts with YAML front matter: `output` (path under corpus/, e.g. legal/terms-of-service.pdf)
plus the document metadata (title, audience, region, product, language, version, effective,
supersedes, source_url), which is written beside the PDF as NAME.pdf.meta.yaml. The body uses
`# Title`, `## Heading`, `### Subheading`, blank-line-separated paragraphs and `- ` list items.
Every page gets a running header (the title) and a "Page N of M" footer, as real policy PDFs do.
Output is byte-for-byte reproducible (reportlab's invariant mode).

Run: python scripts/build_pdfs.py [--check]   (--check: fail if a committed PDF is out of date)
"""

from __future__ import annotations

import argparse
import sys
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import yaml
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

rl_config.invariant = 1  # no timestamps or random ids in the output: rebuilding gives the same bytes

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "scripts" / "pdf_src"
CORPUS = ROOT / "corpus"
META_KEYS = ("title", "audience", "region", "product", "language", "version", "effective", "supersedes",
             "source_url", "area")


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName="Helvetica", fontSize=10, leading=13,
                          spaceAfter=6)
    return {
        "title": ParagraphStyle("title", parent=base["Title"], fontName="Helvetica-Bold", fontSize=16),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontName="Helvetica-Bold", fontSize=12, spaceBefore=8),
        "h3": ParagraphStyle("h3", parent=base["Heading3"], fontName="Helvetica-Bold", fontSize=10.5),
        "body": body,
    }


def _split(text: str) -> tuple[dict[str, object], str]:
    if not text.startswith("---\n"):
        raise ValueError("a PDF source must start with YAML front matter (--- ... ---)")
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front) or {}
    if not isinstance(meta, dict) or "output" not in meta or "title" not in meta:
        raise ValueError("front matter needs at least `output` and `title`")
    return meta, body


def _flowables(body: str, styles: dict[str, ParagraphStyle]) -> list[object]:
    story: list[object] = []
    items: list[str] = []

    def flush_items() -> None:
        if items:
            story.append(ListFlowable([ListItem(Paragraph(escape(i), styles["body"])) for i in items],
                                      bulletType="bullet", start="–", leftIndent=12))
            items.clear()

    for block in [b.strip() for b in body.split("\n\n") if b.strip()]:
        lines = block.splitlines()
        if all(line.startswith("- ") for line in lines):
            items.extend(line[2:].strip() for line in lines)
            continue
        flush_items()
        text = " ".join(line.strip() for line in lines)
        if text.startswith("# "):
            story += [Paragraph(escape(text[2:]), styles["title"]), Spacer(1, 4 * mm)]
        elif text.startswith("### "):
            story.append(Paragraph(escape(text[4:]), styles["h3"]))
        elif text.startswith("## "):
            story.append(Paragraph(escape(text[3:]), styles["h2"]))
        else:
            story.append(Paragraph(escape(text), styles["body"]))
    flush_items()
    return story


def render(source: Path) -> tuple[Path, bytes, dict[str, object]]:
    """Render one source to (output path, PDF bytes, metadata); raises ValueError on a bad source."""
    meta, body = _split(source.read_text(encoding="utf-8"))
    title = str(meta["title"])
    buffer = BytesIO()

    def furniture(canvas, doc) -> None:  # noqa: ANN001 - reportlab's callback signature
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(20 * mm, A4[1] - 12 * mm, f"{title} — version {meta.get('version', '')}")
        canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, f"Page {doc.page} of {doc._page_count}")  # noqa: SLF001
        canvas.restoreState()

    def build(page_count: int) -> bytes:
        out = BytesIO()
        doc = SimpleDocTemplate(out, pagesize=A4, title=title, author="policyscope sample corpus",
                                topMargin=22 * mm, bottomMargin=20 * mm, leftMargin=20 * mm, rightMargin=20 * mm)
        doc._page_count = page_count  # noqa: SLF001
        doc.build(_flowables(body, _styles()), onFirstPage=furniture, onLaterPages=furniture)
        return out.getvalue()

    # Two passes: the first counts the pages so the footer can say "Page N of M".
    from pypdf import PdfReader

    first = build(0)
    pages = len(PdfReader(BytesIO(first)).pages)
    buffer.write(build(pages))
    return CORPUS / str(meta["output"]), buffer.getvalue(), {k: meta[k] for k in META_KEYS if k in meta}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a committed PDF differs from its source")
    args = parser.parse_args()
    stale = []
    for source in sorted(SOURCES.glob("*.md")):
        out, data, meta = render(source)
        sidecar = out.with_name(out.name + ".meta.yaml")
        side_text = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
        if args.check:
            if not out.exists() or out.read_bytes() != data or not sidecar.exists() or sidecar.read_text() != side_text:
                stale.append(str(out.relative_to(ROOT)))
            continue
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        sidecar.write_text(side_text, encoding="utf-8")
        print(f"{source.relative_to(ROOT)} -> {out.relative_to(ROOT)}")
    if stale:
        print("out of date (run python scripts/build_pdfs.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
